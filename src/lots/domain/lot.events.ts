import type { Ev } from '../../shared/domain/decider';
import type { Hazard } from '../../catalogue/domain/hazard';
import type { MedicalWasteClass } from '../../catalogue/domain/medical-waste';

/**
 * Events of one lot's stream (批次 — one labelled container of one waste code). Past tense, and
 * self-contained: every event names its lot, and an event that opens a stream carries the whole
 * description, so that a stream reads alone. Event data is plain JSON, as the ledger hashes its
 * canonical serialisation: instants are ISO strings (`at` is always the business time), masses
 * integer grams, optional facts written as `null` or `false` (never `undefined`).
 */

/** 物理性状 — the physical form printed on the label (HJ 1276-2022): solid, semi-solid, liquid, gas. */
export const LOT_FORMS = ['SOLID', 'SEMI_SOLID', 'LIQUID', 'GAS'] as const;
export type LotForm = (typeof LOT_FORMS)[number];

/** Whether a mass was estimated by the producer or weighed on a scale. */
export const MASS_BASES = ['ESTIMATED', 'WEIGHED'] as const;
export type MassBasis = (typeof MASS_BASES)[number];

/** 利用 utilisation (Basel R1–R13) or 处置 disposal (Basel D1–D15). */
export type TreatmentMode = 'UTILISE' | 'DISPOSE';

/** A Basel Convention Annex IV code: `D1`…`D15` (disposal) or `R1`…`R13` (recovery). */
export type BaselMethod = string;

export const RECEIPT_DECISIONS = ['ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED'] as const;
export type ReceiptDecision = (typeof RECEIPT_DECISIONS)[number];

export const LOSS_KINDS = ['SPILL', 'EVAPORATION', 'THEFT', 'OTHER'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** What a label shows about its container; carried by every event that opens a lot's stream. */
export interface LotDescription {
  readonly labelCode: string;
  /** Shared by the containers generated together (产生批次编码). */
  readonly batchCode: string;
  readonly wasteCode: string;
  /** `HWnn`, from the catalogue. */
  readonly category: string;
  /** Mandatory for HW01, null otherwise (医疗废物分类目录). */
  readonly medicalClass: MedicalWasteClass | null;
  readonly form: LotForm;
  readonly packaging: string;
  readonly mainComponents: readonly string[];
  readonly hazards: readonly Hazard[];
  readonly massBasis: MassBasis;
}

/** A lot and a mass, as lineage lists them. */
export interface LotMass {
  readonly lotId: string;
  readonly massGrams: number;
}

/** How a receipt mass compares with the pickup weighing when there is one, else with the declared mass. */
export interface ReceiptDiscrepancy {
  readonly baseline: 'PICKUP' | 'DECLARED';
  readonly baselineGrams: number;
  /** Measured minus baseline. */
  readonly differenceGrams: number;
  readonly toleranceBasisPoints: number;
  readonly beyondTolerance: boolean;
}

export type LotGenerated = Ev<
  'LotGenerated',
  LotDescription & {
    readonly lotId: string;
    readonly producerPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly massGrams: number;
    /** The producer is exempt for this waste (e.g. exemption #2, a clinic with ≤ 19 beds). */
    readonly exemptSource: boolean;
    /** Made under an emergency authorisation (应急处置). */
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** 贮存 — first store-in at a facility of the lot's site. */
export type LotStored = Ev<
  'LotStored',
  { readonly lotId: string; readonly siteId: string; readonly facilityId: string; readonly at: string }
>;

/** Moved between facilities of the same site; the storage clock keeps running. */
export type LotMoved = Ev<
  'LotMoved',
  {
    readonly lotId: string;
    readonly siteId: string;
    readonly fromFacilityId: string;
    readonly toFacilityId: string;
    readonly at: string;
  }
>;

export type LotReservedOnManifest = Ev<
  'LotReservedOnManifest',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly consignorPartyId: string;
    readonly at: string;
  }
>;

export type LotReleasedFromManifest = Ev<
  'LotReleasedFromManifest',
  { readonly lotId: string; readonly manifestId: string; readonly reason: string; readonly at: string }
>;

/** The first carrier took the container on the manifest (leg 1). */
export type LotCustodyTaken = Ev<
  'LotCustodyTaken',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly fromPartyId: string;
    readonly carrierPartyId: string;
    readonly leg: number;
    readonly pickupMassGrams: number | null;
    /** An offline act whose checks failed at sync: recorded, with a reconciliation alert. */
    readonly disputed: boolean;
    readonly disputeReasons: readonly string[];
    readonly at: string;
  }
>;

/** The carrier refused the container before departure: it leaves the manifest and stays put. */
export type LotRefusedAtLoading = Ev<
  'LotRefusedAtLoading',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly carrierPartyId: string;
    readonly reason: string;
    readonly at: string;
  }
>;

/** Relay transport: the next carrier took custody from the previous one. */
export type LotRelayed = Ev<
  'LotRelayed',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly fromCarrierPartyId: string;
    readonly toCarrierPartyId: string;
    readonly leg: number;
    readonly place: string | null;
    readonly disputed: boolean;
    readonly disputeReasons: readonly string[];
    readonly at: string;
  }
>;

export type LotDelivered = Ev<
  'LotDelivered',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly carrierPartyId: string;
    readonly receiverPartyId: string;
    readonly siteId: string;
    readonly at: string;
  }
>;

/** 接收 — the receiver's weighing and decision; the measured mass is authoritative from here on. */
export type LotReceived = Ev<
  'LotReceived',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly receiverPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly decision: ReceiptDecision;
    readonly measuredMassGrams: number;
    readonly acceptedMassGrams: number;
    readonly rejectedMassGrams: number;
    /** The new REJECTED lot holding the refused part of a partial acceptance. */
    readonly rejectedLotId: string | null;
    readonly reason: string | null;
    /** Measured minus the lot's mass before receipt: the gain or loss booked so totals add up. */
    readonly massAdjustmentGrams: number;
    readonly discrepancy: ReceiptDiscrepancy;
    readonly at: string;
  }
>;

/** Opens the stream of the refused part of a partially accepted lot, held by the receiver. */
export type LotRejectedPartCreated = Ev<
  'LotRejectedPartCreated',
  LotDescription & {
    readonly lotId: string;
    readonly sourceLotId: string;
    readonly manifestId: string;
    readonly producerPartyId: string | null;
    readonly receiverPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly massGrams: number;
    readonly reason: string;
    readonly exemptSource: boolean;
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** Handed over without a manifest under an exemption (≤ 19-bed clinic → its township health centre). */
export type LotHandedOverExempt = Ev<
  'LotHandedOverExempt',
  {
    readonly lotId: string;
    readonly fromPartyId: string;
    readonly toPartyId: string;
    readonly toSiteId: string;
    readonly toFacilityId: string;
    readonly at: string;
  }
>;

/** 合并 — this lot went whole into a consolidated lot. */
export type LotConsolidatedInto = Ev<
  'LotConsolidatedInto',
  { readonly lotId: string; readonly targetLotId: string; readonly massGrams: number; readonly at: string }
>;

/** 合并、重新包装 — opens the stream of a lot made from several; lineage names the sources. */
export type LotCreatedByConsolidation = Ev<
  'LotCreatedByConsolidation',
  LotDescription & {
    readonly lotId: string;
    readonly originPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly sources: readonly LotMass[];
    readonly massGrams: number;
    /** New mass minus the sum of the sources: positive a gain, negative a loss. */
    readonly gainOrLossGrams: number;
    readonly toleranceBasisPoints: number;
    /** The earliest storage clock of the sources: repackaging does not reset a deadline. */
    readonly clockStartsAt: string;
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** 分装 — this lot was split into parts. */
export type LotSplit = Ev<
  'LotSplit',
  {
    readonly lotId: string;
    readonly massGrams: number;
    readonly parts: readonly LotMass[];
    /** Sum of the parts minus the source: positive a gain, negative a loss. */
    readonly gainOrLossGrams: number;
    readonly toleranceBasisPoints: number;
    readonly at: string;
  }
>;

export type LotCreatedBySplit = Ev<
  'LotCreatedBySplit',
  LotDescription & {
    readonly lotId: string;
    readonly sourceLotId: string;
    readonly producerPartyId: string | null;
    readonly originPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly massGrams: number;
    /** Inherited from the source. */
    readonly clockStartsAt: string;
    readonly exemptSource: boolean;
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** 利用 / 处置 — utilised or disposed of, with the Basel method; the whole lot's mass is treated. */
export type LotTreated = Ev<
  'LotTreated',
  {
    readonly lotId: string;
    readonly method: BaselMethod;
    readonly mode: TreatmentMode;
    readonly treatedMassGrams: number;
    readonly residueLotIds: readonly string[];
    readonly treaterPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    /** Treated at the producer's own facility rather than under a licence. */
    readonly ownFacility: boolean;
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** Opens the stream of a residue (e.g. fly ash, HW18), a new waste generated by the treater. */
export type LotCreatedAsResidue = Ev<
  'LotCreatedAsResidue',
  LotDescription & {
    readonly lotId: string;
    readonly sourceLotIds: readonly string[];
    readonly producerPartyId: string;
    readonly siteId: string;
    readonly facilityId: string;
    readonly massGrams: number;
    readonly emergency: boolean;
    readonly at: string;
  }
>;

/** Spill, evaporation, theft: part of the mass, or all of it (`total`, the lot is LOST). */
export type LotLossRecorded = Ev<
  'LotLossRecorded',
  {
    readonly lotId: string;
    readonly kind: LossKind;
    readonly massGrams: number;
    readonly remainingMassGrams: number;
    readonly total: boolean;
    readonly reason: string;
    /** The manifest the lot was on or travelling on, for the manifest's reconciliation; else null. */
    readonly manifestId: string | null;
    readonly recordedByPartyId: string;
    readonly at: string;
  }
>;

export type LotEvent =
  | LotGenerated
  | LotStored
  | LotMoved
  | LotReservedOnManifest
  | LotReleasedFromManifest
  | LotCustodyTaken
  | LotRefusedAtLoading
  | LotRelayed
  | LotDelivered
  | LotReceived
  | LotRejectedPartCreated
  | LotHandedOverExempt
  | LotConsolidatedInto
  | LotCreatedByConsolidation
  | LotSplit
  | LotCreatedBySplit
  | LotTreated
  | LotCreatedAsResidue
  | LotLossRecorded;

export type LotEventType = LotEvent['type'];

/** The events of one stream, as a multi-lot decision returns them. */
export interface LotStreamEvents {
  readonly lotId: string;
  readonly events: readonly LotEvent[];
}

/**
 * What a multi-lot act decides: events to append to existing lots' streams, and the first events
 * of new lots' streams (append those expecting an empty stream: the compare-and-set on version 0
 * is what guarantees that a service-made id is new).
 */
export interface LotDecision {
  readonly sourceEvents: readonly LotStreamEvents[];
  readonly newLotEvents: readonly LotStreamEvents[];
}
