import { assertNever } from '../../shared/domain/domain-error';
import { impossible } from '../../shared/domain/decider';
import { applyCorrection } from './manifest-correction.policy';
import type { LotReceiptRecorded, ManifestEvent, ManifestEventType } from './manifest.events';
import type { CapacityReservation } from './manifest.facts';
import type {
  CorrectionChange,
  CustodyAct,
  DisputeReason,
  ManifestContent,
  ManifestStateStatus,
  ManifestStatus,
} from './manifest.types';

/**
 * The state of one transfer manifest (转移联单), keyed by status. `evolve` is total and throws on
 * an event that cannot follow (the ledger can never hold such a history).
 */

export interface Submission {
  readonly at: string;
  readonly capacityReservations: readonly CapacityReservation[];
  readonly crossProvince: {
    readonly approvalId: string;
    readonly reservationId: string;
    readonly grams: number;
  } | null;
}

export interface RefusedLot {
  readonly lotId: string;
  readonly labelCode: string;
  readonly carrierId: string;
  readonly reason: string;
  readonly at: string;
}

/** One custody step: pickup (leg 1) or a relay to a later leg. */
export interface CustodyStep {
  readonly leg: number;
  readonly carrierId: string;
  readonly at: string;
  readonly place: string | null;
  readonly disputed: boolean;
}

export type LotReceipt = Omit<LotReceiptRecorded['data'], 'manifestId'>;

export interface PendingCorrection {
  readonly correctionId: string;
  readonly requestedByPartyId: string;
  readonly changes: readonly CorrectionChange[];
  readonly reason: string;
  readonly respondBy: string;
  readonly approverPartyIds: readonly string[];
  readonly approvedBy: readonly string[];
}

/** A disputed offline act, kept for the reconciliation view and `allowedActions`. */
export interface Dispute {
  readonly eventType: ManifestEventType;
  readonly act: CustodyAct;
  readonly at: string;
  readonly reasons: readonly DisputeReason[];
}

export interface PaperEntry {
  readonly paperNumber: string;
  readonly enteredAt: string;
  readonly tripEndedAt: string;
  readonly late: boolean;
}

export interface ManifestData {
  readonly manifestId: string;
  /** The manifest as it reads now (amendments and approved corrections applied; refused lots removed). */
  readonly content: ManifestContent;
  readonly agentId: string | null;
  readonly submission: Submission | null;
  /** The live one-time handover code (id and expiry only); null before submission and once used. */
  readonly handoverCode: { readonly handoverCodeId: string; readonly expiresAt: string } | null;
  readonly refusedLots: readonly RefusedLot[];
  /** The leg whose carrier holds the waste (1-based); 0 before pickup. */
  readonly currentLeg: number;
  readonly custodySteps: readonly CustodyStep[];
  /** The manifest's lots on the vehicle (after pickup), which the receiver receives. */
  readonly carriedLotIds: readonly string[];
  /** Masses weighed at pickup, by lot id. */
  readonly pickupGrams: { readonly [lotId: string]: number };
  readonly deliveredAt: string | null;
  readonly receipts: readonly LotReceipt[];
  readonly receivedAt: string | null;
  readonly closedAt: string | null;
  readonly cancelledAt: string | null;
  readonly nationalNumber: string | null;
  readonly paper: PaperEntry | null;
  readonly pendingCorrection: PendingCorrection | null;
  readonly correctionCount: number;
  readonly disputes: readonly Dispute[];
}

export type ActiveManifest = { [K in ManifestStatus]: ManifestData & { readonly status: K } }[ManifestStatus];
export type ManifestState = { readonly status: 'NONE' } | ActiveManifest;

export const initialManifestState = (): ManifestState => ({ status: 'NONE' });

const fresh = (manifestId: string, content: ManifestContent, agentId: string | null): ManifestData => ({
  manifestId,
  content,
  agentId,
  submission: null,
  handoverCode: null,
  refusedLots: [],
  currentLeg: 0,
  custodySteps: [],
  carriedLotIds: [],
  pickupGrams: {},
  deliveredAt: null,
  receipts: [],
  receivedAt: null,
  closedAt: null,
  cancelledAt: null,
  nationalNumber: null,
  paper: null,
  pendingCorrection: null,
  correctionCount: 0,
  disputes: [],
});

/** The state narrowed to the statuses an event may follow, or a bug. */
function from<K extends ManifestStateStatus>(
  s: ManifestState,
  e: ManifestEvent,
  ...allowed: K[]
): Extract<ManifestState, { status: K }> {
  if (!(allowed as string[]).includes(s.status)) impossible(s, e.type);
  return s as Extract<ManifestState, { status: K }>;
}

const active = (s: ManifestState, e: ManifestEvent): ActiveManifest => {
  if (s.status === 'NONE') impossible(s, e.type);
  return s;
};

const to = (status: ManifestStatus, data: ManifestData): ActiveManifest => ({ ...data, status });

/** The statuses in which the content may be corrected (after a signature, not once cancelled). */
export const CORRECTION_STATUSES = ['SUBMITTED', 'IN_TRANSIT', 'DELIVERED', 'RECEIVED', 'CLOSED'] as const;

export function evolveManifest(s: ManifestState, e: ManifestEvent): ManifestState {
  switch (e.type) {
    case 'ManifestDrafted':
      from(s, e, 'NONE');
      return to('DRAFT', fresh(e.data.manifestId, e.data.content, e.data.agentId));
    case 'ManifestDraftAmended': {
      const m = from(s, e, 'DRAFT');
      return to('DRAFT', { ...m, content: { ...m.content, ...e.data.changes } });
    }
    case 'ManifestSubmitted': {
      const m = from(s, e, 'DRAFT');
      const { at, capacityReservations, crossProvince } = e.data;
      return to('SUBMITTED', { ...m, submission: { at, capacityReservations, crossProvince } });
    }
    case 'HandoverCodeIssued': {
      const m = from(s, e, 'SUBMITTED');
      return to('SUBMITTED', {
        ...m,
        handoverCode: { handoverCodeId: e.data.handoverCodeId, expiresAt: e.data.expiresAt },
      });
    }
    case 'ContainerRefused': {
      const m = from(s, e, 'SUBMITTED');
      const { lotId, labelCode, carrierId, reason, at } = e.data;
      return to('SUBMITTED', {
        ...m,
        content: { ...m.content, lots: m.content.lots.filter((l) => l.lotId !== lotId) },
        refusedLots: [...m.refusedLots, { lotId, labelCode, carrierId, reason, at }],
      });
    }
    case 'CustodyTaken': {
      const m = from(s, e, 'SUBMITTED');
      const d = e.data;
      const pickupGrams = Object.fromEntries(d.pickupMasses.map((p) => [p.lotId, p.grams]));
      return to('IN_TRANSIT', {
        ...m,
        handoverCode: null,
        currentLeg: 1,
        carriedLotIds: d.carriedLotIds,
        pickupGrams,
        custodySteps: [{ leg: 1, carrierId: d.carrierId, at: d.at, place: d.place, disputed: d.disputed }],
        disputes: d.disputed
          ? [...m.disputes, dispute(e.type, 'takeCustody', d.at, d.disputeReasons)]
          : m.disputes,
      });
    }
    case 'CustodyRelayed': {
      const m = from(s, e, 'IN_TRANSIT');
      const d = e.data;
      if (d.fromLeg !== m.currentLeg || d.toLeg !== m.currentLeg + 1) impossible(s, e.type);
      return to('IN_TRANSIT', {
        ...m,
        currentLeg: d.toLeg,
        carriedLotIds: d.carriedLotIds,
        custodySteps: [
          ...m.custodySteps,
          { leg: d.toLeg, carrierId: d.toCarrierId, at: d.at, place: d.place, disputed: d.disputed },
        ],
        disputes: d.disputed ? [...m.disputes, dispute(e.type, 'relay', d.at, d.disputeReasons)] : m.disputes,
      });
    }
    case 'ManifestDelivered': {
      const m = from(s, e, 'IN_TRANSIT');
      return to('DELIVERED', { ...m, deliveredAt: e.data.at });
    }
    case 'DisputedScanRecorded': {
      const m = active(s, e);
      const d = e.data;
      return to(m.status, { ...m, disputes: [...m.disputes, dispute(e.type, d.act, d.at, d.reasons)] });
    }
    case 'LotReceiptRecorded': {
      const m = from(s, e, 'DELIVERED');
      const { manifestId: _id, ...receipt } = e.data;
      return to('DELIVERED', { ...m, receipts: [...m.receipts, receipt] });
    }
    case 'ManifestReceived': {
      const m = from(s, e, 'DELIVERED');
      return to('RECEIVED', { ...m, receivedAt: e.data.at });
    }
    case 'ManifestClosed': {
      const m = from(s, e, 'RECEIVED');
      return to('CLOSED', { ...m, closedAt: e.data.at });
    }
    case 'ManifestCancelled': {
      const m = from(s, e, 'DRAFT', 'SUBMITTED');
      return to('CANCELLED', { ...m, handoverCode: null, cancelledAt: e.data.at });
    }
    case 'CorrectionRequested': {
      const m = from(s, e, ...CORRECTION_STATUSES);
      const { manifestId: _id, at: _at, ...request } = e.data;
      return to(m.status, { ...m, pendingCorrection: { ...request, approvedBy: [] } });
    }
    case 'CorrectionApproved': {
      const m = from(s, e, ...CORRECTION_STATUSES);
      const p = pending(s, e);
      return to(m.status, {
        ...m,
        pendingCorrection: { ...p, approvedBy: [...p.approvedBy, e.data.byPartyId] },
      });
    }
    case 'CorrectionRefused':
    case 'CorrectionLapsed': {
      const m = from(s, e, ...CORRECTION_STATUSES);
      pending(s, e);
      return to(m.status, { ...m, pendingCorrection: null });
    }
    case 'ManifestCorrected': {
      const m = from(s, e, ...CORRECTION_STATUSES);
      pending(s, e);
      return to(m.status, {
        ...m,
        content: applyCorrection(m.content, e.data.changes),
        pendingCorrection: null,
        correctionCount: m.correctionCount + 1,
      });
    }
    case 'NationalNumberReported': {
      const m = active(s, e);
      return to(m.status, { ...m, nationalNumber: e.data.nationalNumber });
    }
    case 'PaperManifestEntered': {
      const d = e.data;
      const base =
        s.status === 'NONE'
          ? fresh(d.manifestId, d.content ?? impossible(s, e.type), d.agentId)
          : from(s, e, 'DRAFT', 'SUBMITTED', 'IN_TRANSIT');
      return to('DELIVERED', {
        ...base,
        handoverCode: null,
        currentLeg: base.content.legs.length,
        carriedLotIds: d.carriedLotIds,
        deliveredAt: d.tripEndedAt,
        paper: { paperNumber: d.paperNumber, enteredAt: d.at, tripEndedAt: d.tripEndedAt, late: d.late },
      });
    }
    default:
      return assertNever(e, 'manifest event');
  }
}

function dispute(
  eventType: ManifestEventType,
  act: CustodyAct,
  at: string,
  reasons: readonly DisputeReason[],
): Dispute {
  return { eventType, act, at, reasons };
}

function pending(s: ManifestState, e: ManifestEvent & { data: { correctionId: string } }): PendingCorrection {
  const p = s.status === 'NONE' ? null : s.pendingCorrection;
  if (!p || p.correctionId !== e.data.correctionId) impossible(s, e.type);
  return p;
}
