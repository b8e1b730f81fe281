import type { LotDescription, LotMass, LossKind, BaselMethod } from './lot.events';

/**
 * A lot's state (批次), keyed by status. Every live lot names its custodian (the party that holds
 * it now), its mass in grams, and its storage clock (贮存 — SPEC section 5: from generation for
 * the producer, from receipt for a collector or receiver; moves do not reset it; consolidation
 * and split inherit the earliest clock of their sources). Terminal lots keep the mass they ended
 * with; their mass lives on elsewhere (a consolidated lot, split parts, treatment, loss).
 */
export const LOT_STATUSES = [
  'NONE',
  'GENERATED',
  'STORED',
  'IN_TRANSIT',
  'DELIVERED',
  'REJECTED',
  'UTILISED',
  'DISPOSED',
  'CONSOLIDATED',
  'SPLIT',
  'LOST',
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LIVE_LOT_STATUSES = ['GENERATED', 'STORED', 'IN_TRANSIT', 'DELIVERED', 'REJECTED'] as const;
export const TERMINAL_LOT_STATUSES = ['UTILISED', 'DISPOSED', 'CONSOLIDATED', 'SPLIT', 'LOST'] as const;

/** Where a lot comes from: its lineage (custody is a directed acyclic graph, not a line). */
export type LotOrigin =
  | { readonly kind: 'GENERATED' }
  | { readonly kind: 'CONSOLIDATION'; readonly sources: readonly LotMass[] }
  | { readonly kind: 'SPLIT'; readonly sourceLotId: string }
  | { readonly kind: 'RESIDUE'; readonly sourceLotIds: readonly string[] }
  | { readonly kind: 'REJECTED_PART'; readonly sourceLotId: string };

export interface LotCommon extends LotDescription {
  readonly lotId: string;
  readonly origin: LotOrigin;
  /** The party whose act opened this stream (producer, consolidator, splitter, treater, receiver). */
  readonly originPartyId: string;
  /** The generating producer, inherited by split and rejected parts; null for a consolidated lot. */
  readonly producerPartyId: string | null;
  readonly custodianPartyId: string;
  readonly massGrams: number;
  /** ISO instant from which the current holder's storage time limit runs. */
  readonly clockStartsAt: string;
  readonly exemptSource: boolean;
  readonly emergency: boolean;
}

/** Held at a facility of a site; may be reserved on one submitted manifest. */
export interface AtFacility {
  readonly siteId: string;
  readonly facilityId: string;
  /** The submitted manifest this lot is on, if any (a lot is on at most one open manifest). */
  readonly openManifestId: string | null;
}

export interface NoLotState {
  readonly status: 'NONE';
}
export interface GeneratedLotState extends LotCommon, AtFacility {
  readonly status: 'GENERATED';
}
/** 贮存 — stored at a facility. */
export interface StoredLotState extends LotCommon, AtFacility {
  readonly status: 'STORED';
}
/** Refused at receipt (whole, or the refused part of a partial acceptance), held by the receiver. */
export interface RejectedLotState extends LotCommon, AtFacility {
  readonly status: 'REJECTED';
  readonly rejectedOnManifestId: string;
}
export interface InTransitLotState extends LotCommon {
  readonly status: 'IN_TRANSIT';
  readonly manifestId: string;
  readonly leg: number;
  readonly consignorPartyId: string;
  readonly pickupMassGrams: number | null;
  readonly disputed: boolean;
}
export interface DeliveredLotState extends LotCommon {
  readonly status: 'DELIVERED';
  readonly manifestId: string;
  readonly carrierPartyId: string;
  readonly receiverPartyId: string;
  readonly siteId: string;
  readonly pickupMassGrams: number | null;
  readonly disputed: boolean;
}
interface TreatedFields extends LotCommon {
  readonly siteId: string;
  readonly facilityId: string;
  readonly method: BaselMethod;
  readonly treatedMassGrams: number;
  readonly residueLotIds: readonly string[];
  readonly endedAt: string;
}
/** 利用 — utilised (Basel R codes). */
export interface UtilisedLotState extends TreatedFields {
  readonly status: 'UTILISED';
}
/** 处置 — disposed of (Basel D codes). */
export interface DisposedLotState extends TreatedFields {
  readonly status: 'DISPOSED';
}
/** 合并 — went whole into another lot. */
export interface ConsolidatedLotState extends LotCommon {
  readonly status: 'CONSOLIDATED';
  readonly siteId: string;
  readonly facilityId: string;
  readonly targetLotId: string;
  readonly endedAt: string;
}
export interface SplitLotState extends LotCommon {
  readonly status: 'SPLIT';
  readonly siteId: string;
  readonly facilityId: string;
  readonly parts: readonly LotMass[];
  readonly endedAt: string;
}
export interface LostLotState extends LotCommon {
  readonly status: 'LOST';
  /** Null when lost in transit. */
  readonly siteId: string | null;
  readonly lossKind: LossKind;
  readonly endedAt: string;
}

export type LotState =
  | NoLotState
  | GeneratedLotState
  | StoredLotState
  | RejectedLotState
  | InTransitLotState
  | DeliveredLotState
  | UtilisedLotState
  | DisposedLotState
  | ConsolidatedLotState
  | SplitLotState
  | LostLotState;

export type LiveLotState =
  GeneratedLotState | StoredLotState | RejectedLotState | InTransitLotState | DeliveredLotState;
export type ExistingLotState = Exclude<LotState, NoLotState>;

export const initialLotState = (): LotState => ({ status: 'NONE' });

export const isLive = (s: LotState): s is LiveLotState =>
  (LIVE_LOT_STATUSES as readonly string[]).includes(s.status);

/** The description fields of a lot, to copy into the events that open derived lots' streams. */
export function descriptionOf(s: LotCommon): LotDescription {
  return {
    labelCode: s.labelCode,
    batchCode: s.batchCode,
    wasteCode: s.wasteCode,
    category: s.category,
    medicalClass: s.medicalClass,
    form: s.form,
    packaging: s.packaging,
    mainComponents: s.mainComponents,
    hazards: s.hazards,
    massBasis: s.massBasis,
  };
}
