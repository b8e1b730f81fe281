import { kg, type SignatureStep } from './manifest-document';

/**
 * 签章环节 — the signed steps of a manifest, read from its ledger stream (pure): each event that a
 * party signs becomes one line with the step, the business time, the record time and who signed.
 * Events nobody signs as a step (a handover code issued) are left out.
 */

/** An event of the manifest stream, as the ledger stores it (only what the steps need). */
export interface StepEvent {
  readonly position: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly offline: boolean;
  /** Who signed, already resolved to a printable name (user, device or system). */
  readonly actor: string;
  /** The party the actor acted for, resolved to its name. */
  readonly partyName: string | null;
}

const STEPS: Record<string, [zh: string, en: string]> = {
  ManifestDrafted: ['填写联单', 'Drafted'],
  ManifestDraftAmended: ['修改草稿', 'Draft amended'],
  ManifestSubmitted: ['移出人确认提交', 'Submitted by the consignor'],
  ContainerRefused: ['承运人拒装容器', 'Container refused at loading'],
  CustodyTaken: ['承运人接收（装车）', 'Custody taken by the carrier'],
  CustodyRelayed: ['联运交接', 'Relayed to the next carrier'],
  ManifestDelivered: ['运抵交付', 'Delivered to the receiver'],
  DisputedScanRecorded: ['争议扫描（待核对）', 'Disputed offline scan'],
  LotReceiptRecorded: ['接受人称重确认', 'Lot weighed and decided'],
  ManifestReceived: ['接受人确认接收', 'Received'],
  ManifestClosed: ['联单办结', 'Closed'],
  ManifestCancelled: ['联单撤销', 'Cancelled'],
  CorrectionRequested: ['申请更正', 'Correction requested'],
  CorrectionApproved: ['同意更正', 'Correction approved'],
  CorrectionRefused: ['拒绝更正', 'Correction refused'],
  CorrectionLapsed: ['更正申请逾期', 'Correction lapsed'],
  ManifestCorrected: ['更正生效', 'Corrected'],
  NationalNumberReported: ['报送国家系统', 'National number reported'],
  PaperManifestEntered: ['纸质联单补录', 'Paper manifest entered'],
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A short detail for the step: place, leg, lot and masses, reason. */
function detail(e: StepEvent): string | null {
  const d = e.data;
  const parts: string[] = [];
  switch (e.type) {
    case 'CustodyTaken':
      parts.push('第1程');
      break;
    case 'CustodyRelayed':
      parts.push(`第${num(d.fromLeg) ?? '?'}程→第${num(d.toLeg) ?? '?'}程`);
      break;
    case 'ContainerRefused':
      parts.push(`${str(d.labelCode) ?? ''} ${str(d.reason) ?? ''}`.trim());
      break;
    case 'LotReceiptRecorded': {
      const measured = num(d.measuredGrams);
      parts.push(`${str(d.labelCode) ?? ''} ${kg(measured)} kg ${str(d.decision) ?? ''}`.trim());
      if (d.discrepancy === true) parts.push(`差异 ${kg(num(d.differenceGrams))} kg`);
      if (d.late === true) parts.push('逾期确认');
      break;
    }
    case 'ManifestCancelled':
    case 'CorrectionRequested':
    case 'CorrectionRefused':
      if (str(d.reason)) parts.push(str(d.reason)!);
      break;
    case 'NationalNumberReported':
      if (str(d.nationalNumber)) parts.push(str(d.nationalNumber)!);
      break;
    case 'PaperManifestEntered':
      if (str(d.paperNumber)) parts.push(`纸质联单 ${str(d.paperNumber)}`);
      break;
  }
  const place = str(d.place);
  if (place) parts.push(place);
  if (d.disputed === true) parts.push('有争议');
  return parts.length ? parts.join('；') : null;
}

/** The signed steps, oldest first. */
export function signatureSteps(events: readonly StepEvent[]): SignatureStep[] {
  return [...events]
    .sort((a, b) => a.position - b.position)
    .flatMap((e) => {
      const step = STEPS[e.type];
      if (!step) return [];
      return [
        {
          position: e.position,
          eventType: e.type,
          stepZh: step[0],
          stepEn: step[1],
          at: str(e.data.at) ?? e.occurredAt,
          recordedAt: e.recordedAt,
          actor: e.actor,
          partyName: e.partyName,
          detail: detail(e),
          offline: e.offline,
        },
      ];
    });
}
