import type { Cmd } from '../../shared/domain/decider';
import type { Hazard } from '../../catalogue/domain/hazard';
import type { MedicalWasteClass } from '../../catalogue/domain/medical-waste';
import type { BaselMethod, LossKind, LotForm, MassBasis, ReceiptDecision, TreatmentMode } from './lot.events';

/**
 * Commands on lots (批次). Ids (lot ids, label codes, batch codes) are made by the service and come
 * in on the command; so does time (`meta.occurredAt`). Everything `decide` needs from outside the
 * lot's own stream comes in under `facts`, looked up by the service, so that `decide` stays pure.
 * Masses are integer grams; tolerances are basis points (100 = 1 %).
 */

/** A facility as the parties registry knows it: its site and the party that runs it. */
export interface FacilityFact {
  readonly facilityId: string;
  readonly siteId: string;
  readonly partyId: string;
  /** PRODUCTION, STORAGE_WAREHOUSE, …, OWN_TREATMENT, MOBILE_DISPOSAL_UNIT (SPEC section 2). */
  readonly type: string;
}

/** A waste code as the catalogue in force at the business time knows it. */
export interface WasteCodeFact {
  readonly codeExists: boolean;
  /** The code's category (`HWnn`) in the catalogue; null for an unknown code. */
  readonly category: string | null;
}

/** What a label shows about a new container, as entered. */
export interface NewLotInput {
  readonly lotId: string;
  readonly labelCode: string;
  readonly batchCode: string;
  readonly wasteCode: string;
  readonly massGrams: number;
  readonly massBasis: MassBasis;
  readonly form: LotForm;
  readonly packaging: string;
  readonly mainComponents: readonly string[];
  readonly hazards: readonly Hazard[];
  /** Mandatory for HW01 (and must be the class of the code), null otherwise. */
  readonly medicalClass: MedicalWasteClass | null;
}

/** 产生 — a producer generates one labelled container (several containers: one command each, one batch code). */
export type GenerateLot = Cmd<
  'GenerateLot',
  NewLotInput & {
    readonly producerPartyId: string;
    readonly facilityId: string;
    readonly facts: {
      readonly code: WasteCodeFact;
      readonly facility: FacilityFact | null;
      /** Configurable maximum mass of one container. */
      readonly maxLotMassGrams: number;
      readonly exemptSource: boolean;
      readonly emergency: boolean;
    };
  }
>;

/** 贮存 — store in (from GENERATED) or move between facilities of the same site (from STORED). */
export type StoreLot = Cmd<
  'StoreLot',
  {
    readonly lotId: string;
    readonly facilityId: string;
    readonly facts: { readonly facility: FacilityFact | null };
  }
>;

/** The manifest this lot is on was submitted: reserve the lot for it (no state change). */
export type ReserveLotOnManifest = Cmd<
  'ReserveLotOnManifest',
  { readonly lotId: string; readonly manifestId: string }
>;

/** The manifest was cancelled (or the lot taken off it) before custody was taken. */
export type ReleaseLotFromManifest = Cmd<
  'ReleaseLotFromManifest',
  { readonly lotId: string; readonly manifestId: string; readonly reason: string }
>;

/** Custody facts of a manifest-borne act, as the manifest's own checks found them. */
export interface CustodyCheckFacts {
  /** Failed handover-code, label or licence checks of an offline act, found at sync (empty online). */
  readonly disputeReasons: readonly string[];
}

/** 转移 — the first carrier named on the manifest takes the container. */
export type TakeLotCustody = Cmd<
  'TakeLotCustody',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly pickupMassGrams: number | null;
    readonly facts: CustodyCheckFacts & { readonly namedCarrierPartyId: string };
  }
>;

/** The named carrier refuses the container before departure; it stays with its custodian, free. */
export type RefuseLotAtLoading = Cmd<
  'RefuseLotAtLoading',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly reason: string;
    readonly facts: { readonly namedCarrierPartyId: string };
  }
>;

/** 运输 relay — the carrier named for the next leg takes custody from the current one. */
export type RelayLot = Cmd<
  'RelayLot',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly place: string | null;
    readonly facts: CustodyCheckFacts & { readonly nextCarrierPartyId: string | null };
  }
>;

/** Handover to the receiver named on the manifest (only to that receiver). */
export type DeliverLot = Cmd<
  'DeliverLot',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly receiverPartyId: string;
    readonly facts: { readonly namedReceiverPartyId: string; readonly namedReceiverSiteId: string };
  }
>;

/** 接收 — the named receiver weighs the container and accepts it, part of it, or none of it. */
export type RecordLotReceipt = Cmd<
  'RecordLotReceipt',
  {
    readonly lotId: string;
    readonly manifestId: string;
    readonly decision: ReceiptDecision;
    readonly measuredMassGrams: number;
    /** Only for PARTIALLY_ACCEPTED: the refused mass, 0 < rejected < measured. */
    readonly rejectedMassGrams: number | null;
    /** Only for PARTIALLY_ACCEPTED: the new lot (and its label) for the refused part. */
    readonly rejectedPart: { readonly lotId: string; readonly labelCode: string } | null;
    /** Required unless ACCEPTED. */
    readonly reason: string | null;
    /** Where the receiver puts the container(s). */
    readonly facilityId: string;
    readonly facts: {
      readonly facility: FacilityFact | null;
      /** Configurable discrepancy tolerance (default 500 = 5 %). */
      readonly discrepancyToleranceBasisPoints: number;
    };
  }
>;

/** Exempt handover without a manifest (exemption #2: ≤ 19-bed clinic → its township health centre). */
export type HandOverLotExempt = Cmd<
  'HandOverLotExempt',
  {
    readonly lotId: string;
    readonly toPartyId: string;
    readonly toFacilityId: string;
    readonly facts: {
      readonly toFacility: FacilityFact | null;
      /** The exemption list (data) covers this producer, code and receiver at this stage. */
      readonly exemptionApplies: boolean;
      /** A declared major epidemic suspends the exemption in the producer's region. */
      readonly epidemicSuspendsExemption: boolean;
    };
  }
>;

/** 合并、重新包装 — merge several STORED lots into one new lot. */
export type ConsolidateLots = Cmd<
  'ConsolidateLots',
  {
    readonly sourceLotIds: readonly string[];
    readonly newLot: {
      readonly lotId: string;
      readonly labelCode: string;
      readonly batchCode: string;
      readonly wasteCode: string;
      readonly massGrams: number;
      readonly massBasis: MassBasis;
      readonly form: LotForm;
      readonly packaging: string;
    };
    readonly facilityId: string;
    readonly facts: {
      readonly code: WasteCodeFact;
      readonly facility: FacilityFact | null;
      /** A licence item with the STORE mode covers the code (or a township centre gathers exempt waste). */
      readonly licensedToConsolidate: boolean;
      /** Other codes a licence item explicitly allows to merge into the new lot's code. */
      readonly mergeAllowedCodes: readonly string[];
      /** Configurable (default 100 = 1 %). */
      readonly toleranceBasisPoints: number;
      readonly maxLotMassGrams: number;
      readonly emergency: boolean;
    };
  }
>;

/** 分装 — split one STORED lot into new lots at the same facility. */
export type SplitLot = Cmd<
  'SplitLot',
  {
    readonly lotId: string;
    readonly parts: readonly {
      readonly lotId: string;
      readonly labelCode: string;
      readonly massGrams: number;
      readonly packaging: string;
    }[];
    readonly facts: { readonly toleranceBasisPoints: number; readonly maxLotMassGrams: number };
  }
>;

/** A residue of treatment (e.g. fly ash), a new lot that starts its own chain. */
export type ResidueInput = NewLotInput;

/** 利用 / 处置 — treat whole lots by a Basel method, possibly making residue lots. */
export type TreatLots = Cmd<
  'TreatLots',
  {
    readonly lotIds: readonly string[];
    readonly method: BaselMethod;
    readonly facilityId: string;
    readonly residues: readonly ResidueInput[];
    readonly facts: {
      readonly facility: FacilityFact | null;
      /** The modes the actor's ACTIVE licence items (or emergency authorisations) allow, per waste code. */
      readonly licensedModes: Readonly<Record<string, readonly TreatmentMode[]>>;
      readonly residueCodes: Readonly<Record<string, WasteCodeFact>>;
      readonly maxLotMassGrams: number;
      /** The treatment relies on an emergency authorisation (应急处置). */
      readonly emergency: boolean;
    };
  }
>;

/** Spill, evaporation, theft: part of the mass (`massGrams`), or all of it (`null`). */
export type RecordLotLoss = Cmd<
  'RecordLotLoss',
  {
    readonly lotId: string;
    readonly kind: LossKind;
    readonly massGrams: number | null;
    readonly reason: string;
  }
>;

/** Commands on one lot's stream, handled by `decide`. */
export type LotCommand =
  | GenerateLot
  | StoreLot
  | ReserveLotOnManifest
  | ReleaseLotFromManifest
  | TakeLotCustody
  | RefuseLotAtLoading
  | RelayLot
  | DeliverLot
  | HandOverLotExempt
  | RecordLotLoss;

/** Commands that write several streams, handled by `decideReceipt`, `decideConsolidation`, `decideSplit`, `decideTreatment`. */
export type MultiLotCommand = RecordLotReceipt | ConsolidateLots | SplitLot | TreatLots;
