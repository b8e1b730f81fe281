import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import { decideReceipt, type RecordLotReceipt } from '../lots/domain';
import { LotFactsService } from '../lots/lot-facts.service';
import { newLabelCode } from '../lots/lot-input';
import type { Principal } from '../shared/auth/principal';
import type { Actor } from '../shared/domain/actor';
import { isDomainError } from '../shared/domain/domain-error';
import { Clock } from '../shared/clock';
import { uuidv7 } from '../shared/ids';
import {
  lotsToSettle,
  TERMINAL_LOT_STATES,
  type ActiveManifest,
  type LotReceiptInput,
  type LotReceiptRecorded,
  type TerminalLotState,
} from './domain';
import type { ManifestRefInput, RecordReceiptInput } from './graphql/manifest.inputs';
import { ManifestAccess } from './manifest-access';
import { ManifestFactsService } from './manifest-facts.service';
import { envelope, withInputFields, withInputFieldsAsync } from './manifest-input';
import { kg, manifestAlert, ManifestLedger } from './manifest-ledger';
import { ManifestReservations } from './manifest-reservations';
import { MANIFEST_ALERT_RULES } from './manifest-streams';

/** Receipt confirmation limit (Transfer Measures art. 18): 5 working days after delivery. */
export const RECEIPT_WORKING_DAYS = 5;

/**
 * 接收 — the 接受人 weighs each lot and decides (accepted, partially accepted — the rejected part
 * becomes a new REJECTED lot — or rejected). A receipt is a fact: a late confirmation or a
 * discrepancy beyond the tolerance is recorded, flagged on the manifest and the lot, and alerted,
 * never refused. Capacity and cross-province reservations settle on the accepted mass. Then 办结:
 * the manifest closes once every lot's fate is settled.
 */
@Injectable()
export class ManifestReceiptService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly manifests: ManifestLedger,
    private readonly facts: ManifestFactsService,
    private readonly lotFacts: LotFactsService,
    private readonly access: ManifestAccess,
    private readonly reservations: ManifestReservations,
    private readonly env: Env,
    private readonly clock: Clock,
  ) {}

  get toleranceBasisPoints(): number {
    return Math.round(this.env.RECEIPT_TOLERANCE_PERCENT * 100);
  }

  async recordReceipt(who: Principal, input: RecordReceiptInput): Promise<void> {
    const acting = await this.facts.acting(who, null, input.occurredAt ?? this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    const facilities = new Map<string, Awaited<ReturnType<LotFactsService['facility']>>>();
    for (const id of new Set([
      input.facilityId,
      ...input.receipts.map((r) => r.facilityId ?? input.facilityId),
    ])) {
      facilities.set(id, await this.lotFacts.facility(id));
    }
    await this.ledger.execute(
      envelope('recordReceipt', acting.actor, input, input.occurredAt),
      async (tx) => {
        const m = await this.manifests.existing(tx, input.manifestId);
        const s = m.state;
        const deadline = s.deliveredAt
          ? this.facts.deadline(new Date(s.deliveredAt), RECEIPT_WORKING_DAYS)
          : null;
        const parts = new Map<string, { lotId: string; labelCode: string }>();
        const receipts: LotReceiptInput[] = input.receipts.map((r) => {
          const part =
            r.decision === 'PARTIALLY_ACCEPTED'
              ? { lotId: uuidv7(tx.now.getTime()), labelCode: newLabelCode(tx.occurredAt) }
              : null;
          if (part) parts.set(r.lotId, part);
          return {
            lotId: r.lotId,
            measuredGrams: r.measuredMass,
            decision: r.decision,
            rejectedGrams: r.rejectedMass ?? null,
            rejectedLotId: part?.lotId ?? null,
            reason: r.reason ?? null,
            method: r.method ?? null,
          };
        });
        const change = await withInputFieldsAsync(() =>
          this.manifests.decide(tx, m, {
            type: 'RecordReceipt',
            data: {
              manifestId: input.manifestId,
              receipts,
              receiptDeadline: deadline?.endsAt ?? tx.now,
              toleranceBasisPoints: this.toleranceBasisPoints,
            },
            meta: tx.meta(),
          }),
        );
        if (change.after.status === 'NONE') return null;
        const recorded = change.emitted.filter(
          (e): e is LotReceiptRecorded => e.type === 'LotReceiptRecorded',
        );
        for (const e of recorded) {
          const i = input.receipts.findIndex((r) => r.lotId === e.data.lotId);
          const given = input.receipts[i];
          const facilityId = given.facilityId ?? input.facilityId;
          await this.receiveLot(
            tx,
            e,
            facilityId,
            facilities.get(facilityId) ?? null,
            parts.get(e.data.lotId) ?? null,
            i,
          );
          const lot = s.content.lots.find((l) => l.lotId === e.data.lotId)!;
          await this.reservations.settle(tx, s, lot, e.data.acceptedGrams, tx.occurredAt);
          if (e.data.discrepancy) await tx.raiseAlert(this.discrepancyAlert(change.after, e));
        }
        const late = recorded.filter((e) => e.data.late);
        if (late.length > 0 && deadline) {
          await tx.raiseAlert(
            manifestAlert(change.after, MANIFEST_ALERT_RULES.RECEIPT_LATE, deadline.date, 'WARNING', {
              deliveredAt: s.deliveredAt,
              deadline: deadline.endsAt.toISOString(),
              deadlineDate: deadline.date,
              provisional: deadline.provisional,
              confirmedAt: tx.now.toISOString(),
              lotIds: late.map((e) => e.data.lotId),
            }),
          );
        }
        return null;
      },
    );
  }

  /** The lot's own receipt (its stream; a partial acceptance opens the rejected part's stream). */
  private async receiveLot(
    tx: LedgerTransaction,
    e: LotReceiptRecorded,
    facilityId: string,
    facility: Awaited<ReturnType<LotFactsService['facility']>>,
    part: { lotId: string; labelCode: string } | null,
    i: number,
  ): Promise<void> {
    const d = e.data;
    const loaded = await this.manifests.loadLots(tx, [d.lotId]);
    const command: RecordLotReceipt = {
      type: 'RecordLotReceipt',
      data: {
        lotId: d.lotId,
        manifestId: d.manifestId,
        decision: d.decision,
        measuredMassGrams: d.measuredGrams,
        rejectedMassGrams: d.decision === 'PARTIALLY_ACCEPTED' ? d.rejectedGrams : null,
        rejectedPart: part,
        reason: d.reason,
        facilityId,
        facts: { facility, discrepancyToleranceBasisPoints: this.toleranceBasisPoints },
      },
      meta: tx.meta(),
    };
    const decision = withInputFields(
      () => decideReceipt(command, loaded.get(d.lotId)!.state),
      `input.receipts.${i}`,
    );
    await this.manifests.commitLots(tx, loaded, decision);
  }

  private discrepancyAlert(m: ActiveManifest, e: LotReceiptRecorded) {
    const d = e.data;
    return manifestAlert(m, MANIFEST_ALERT_RULES.MASS_DISCREPANCY, `lot:${d.lotId}`, 'WARNING', {
      lotId: d.lotId,
      labelCode: d.labelCode,
      measuredKg: kg(d.measuredGrams),
      reference: d.reference,
      referenceKg: kg(d.referenceGrams),
      differenceKg: kg(d.differenceGrams),
      tolerancePercent: d.toleranceBasisPoints / 100,
    });
  }

  /**
   * 办结 — every accepted lot terminal at the receiver (treated, consolidated, split, lost) or gone
   * on a later manifest, every rejected lot (or rejected part) on a RETURN or redirect manifest.
   */
  async close(who: Principal, input: ManifestRefInput): Promise<void> {
    const acting = await this.facts.acting(who, null, this.clock.now());
    await this.access.assertParty(acting, input.manifestId);
    await this.ledger.execute(envelope('closeManifest', acting.actor, input), async (tx) => {
      const m = await this.manifests.existing(tx, input.manifestId);
      const facts = await this.closeFacts(m.state);
      await this.manifests.decide(tx, m, {
        type: 'CloseManifest',
        data: { manifestId: m.manifestId, facts },
        meta: tx.meta(),
      });
      return null;
    });
  }

  /**
   * 自动办结 — closes a received manifest as `actor` (the system) if every lot is settled; false,
   * with nothing written, when it is not (or no longer RECEIVED). See ManifestAutoClose.
   */
  async closeWhenSettled(manifestId: string, actor: Actor): Promise<boolean> {
    try {
      await this.ledger.execute({ act: 'closeManifest', actor, request: { manifestId } }, async (tx) => {
        const m = await this.manifests.existing(tx, manifestId);
        await this.manifests.decide(tx, m, {
          type: 'CloseManifest',
          data: { manifestId, facts: await this.closeFacts(m.state) },
          meta: tx.meta(),
        });
        return null;
      });
      return true;
    } catch (e) {
      if (isDomainError(e) && e.code === 'INVALID_TRANSITION') return false;
      throw e;
    }
  }

  /** Where each accepted and rejected lot of a received manifest is now (lot read model and manifests). */
  async closeFacts(m: ActiveManifest) {
    if (m.status !== 'RECEIVED') return { accepted: [], rejected: [] };
    const { accepted, rejected } = lotsToSettle(m);
    const ids = [...accepted, ...rejected];
    const lots = await this.db.query<{ lot_id: string; status: string }[]>(
      `SELECT lot_id, status FROM lot WHERE lot_id = ANY($1)`,
      [ids],
    );
    const later = await this.db.query<{ lot_id: string; manifest_id: string }[]>(
      `SELECT ml.lot_id, ml.manifest_id FROM manifest_lot ml JOIN manifest x ON x.manifest_id = ml.manifest_id
        WHERE ml.lot_id = ANY($1) AND ml.manifest_id <> $2 AND ml.status <> 'REFUSED'
          AND x.status NOT IN ('DRAFT', 'CANCELLED') AND x.drafted_at >= $3
        ORDER BY x.drafted_at`,
      [ids, m.manifestId, m.receivedAt ?? m.deliveredAt],
    );
    const on = (lotId: string) => later.find((r) => r.lot_id === lotId)?.manifest_id ?? null;
    const terminal = (lotId: string): TerminalLotState | null =>
      TERMINAL_LOT_STATES.find((t) => t === lots.find((l) => l.lot_id === lotId)?.status) ?? null;
    return {
      accepted: accepted.map((lotId) => ({
        lotId,
        terminalState: terminal(lotId),
        leftOnManifestId: on(lotId),
      })),
      rejected: rejected.map((lotId) => ({ lotId, onManifestId: on(lotId) })),
    };
  }
}
