import type { Cmd } from '../../shared/domain/decider';
import type { CarrierCheck, CloseFacts, HandoverCodeFact, SubmitChecks } from './manifest.facts';
import type {
  AmendableContent,
  CorrectableField,
  CorrectionValue,
  ManifestContent,
  ReceiptDecision,
} from './manifest.types';

/**
 * Commands on one transfer manifest (转移联单), imperative. Who acts, when (business and record
 * time) and whether offline come in `meta`; ids, handover code ids and facts from other streams
 * come in `data`. Masses are integer grams (the service parses the GraphQL `Mass` decimal).
 */

/** 移出人 (or its agent, `actor.onBehalfOfPartyId`) drafts a manifest. */
export type DraftManifest = Cmd<
  'DraftManifest',
  { readonly manifestId: string; readonly content: ManifestContent }
>;

/** Changes some fields of a draft; the others stay. */
export type AmendManifestDraft = Cmd<
  'AmendManifestDraft',
  { readonly manifestId: string; readonly changes: Partial<AmendableContent> }
>;

/** Submits the draft with the service's checks, and issues the first one-time handover code. */
export type SubmitManifest = Cmd<
  'SubmitManifest',
  {
    readonly manifestId: string;
    readonly checks: SubmitChecks;
    readonly handoverCode: { readonly handoverCodeId: string; readonly expiresAt: Date };
  }
>;

/** 移出人 reissues the one-time handover code (a new random code; the old one stops working). */
export type IssueHandoverCode = Cmd<
  'IssueHandoverCode',
  { readonly manifestId: string; readonly handoverCodeId: string; readonly expiresAt: Date }
>;

/** A lot weighed at pickup (weighbridge), by its label. */
export interface PickupMass {
  readonly labelCode: string;
  readonly grams: number;
}

/** 承运人 of leg 1 takes custody: shipper's loading check, every label scanned, handover code entered. */
export type TakeCustody = Cmd<
  'TakeCustody',
  {
    readonly manifestId: string;
    readonly scannedLabels: readonly string[];
    readonly pickupMasses?: readonly PickupMass[];
    /** 托运人's loading check (Transfer Measures art. 13): permits, vehicle, crew and labels match. */
    readonly shipperLoadingCheckPassed: boolean;
    readonly handoverCode: HandoverCodeFact;
    /** Permit, vehicle and certificates re-checked at the moment custody is taken. */
    readonly carrierCheck: CarrierCheck;
    readonly place?: string | null;
  }
>;

/** 承运人 of leg 1 refuses one container at loading, before departure. */
export type RefuseContainer = Cmd<
  'RefuseContainer',
  { readonly manifestId: string; readonly lotId: string; readonly reason: string }
>;

/** 联运: the next leg's carrier takes custody from the previous one. */
export type RelayCustody = Cmd<
  'RelayCustody',
  {
    readonly manifestId: string;
    readonly scannedLabels: readonly string[];
    readonly place: string;
    readonly carrierCheck: CarrierCheck;
  }
>;

/** The last carrier or the named 接受人 records the handover at the receiver. */
export type DeliverManifest = Cmd<
  'DeliverManifest',
  {
    readonly manifestId: string;
    /** The party the waste is handed to: must be the named receiver. */
    readonly receiverId: string;
    readonly place?: string | null;
  }
>;

/** One lot's receipt. */
export interface LotReceiptInput {
  readonly lotId: string;
  readonly measuredGrams: number;
  readonly decision: ReceiptDecision;
  /** PARTIALLY_ACCEPTED only: 0 < rejected < measured. */
  readonly rejectedGrams?: number | null;
  /** PARTIALLY_ACCEPTED only: the id of the new REJECTED lot for the rejected part. */
  readonly rejectedLotId?: string | null;
  /** Required for PARTIALLY_ACCEPTED and REJECTED. */
  readonly reason?: string | null;
  /** Basel D/R code the receiver applies; the declared method when absent. */
  readonly method?: string | null;
}

/** The default receipt tolerance: 5 % (configurable), in basis points. */
export const DEFAULT_RECEIPT_TOLERANCE_BP = 500;

/** 接受人 records the receipt of one or more lots. */
export type RecordReceipt = Cmd<
  'RecordReceipt',
  {
    readonly manifestId: string;
    readonly receipts: readonly LotReceiptInput[];
    /** Fact: 5 working days after delivery, 24:00 Asia/Shanghai (working calendar). */
    readonly receiptDeadline: Date;
    /** Discrepancy tolerance in basis points (500 = 5 %). */
    readonly toleranceBasisPoints?: number;
  }
>;

/** 接受人 (or the system) closes the manifest once every lot's fate is settled. */
export type CloseManifest = Cmd<'CloseManifest', { readonly manifestId: string; readonly facts: CloseFacts }>;

/** 移出人 cancels before custody is taken. */
export type CancelManifest = Cmd<
  'CancelManifest',
  { readonly manifestId: string; readonly reason?: string | null }
>;

export interface CorrectionChangeInput {
  readonly field: CorrectableField;
  readonly lotId?: string | null;
  readonly to: CorrectionValue;
}

/** A party on the manifest asks to correct descriptive fields; the other parties answer by `respondBy`. */
export type RequestCorrection = Cmd<
  'RequestCorrection',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly changes: readonly CorrectionChangeInput[];
    readonly reason: string;
    /** Fact: now plus the configurable answer time. */
    readonly respondBy: Date;
  }
>;

export type ApproveCorrection = Cmd<
  'ApproveCorrection',
  { readonly manifestId: string; readonly correctionId: string }
>;

export type RefuseCorrection = Cmd<
  'RefuseCorrection',
  { readonly manifestId: string; readonly correctionId: string; readonly reason: string }
>;

/** The number the national system gave this manifest. */
export type ReportNationalNumber = Cmd<
  'ReportNationalNumber',
  { readonly manifestId: string; readonly nationalNumber: string }
>;

/** 移出人 enters a trip run on a paper manifest during an outage. */
export type EnterPaperManifest = Cmd<
  'EnterPaperManifest',
  {
    readonly manifestId: string;
    readonly paperNumber: string;
    readonly reason?: string | null;
    /** Required when the manifest is not on the ledger yet; must be absent otherwise (file a correction). */
    readonly content?: ManifestContent | null;
    readonly tripStartedAt: Date;
    readonly tripEndedAt: Date;
    /** Fact: 10 working days after the trip ended, 24:00 Asia/Shanghai. */
    readonly backEntryDeadline: Date;
  }
>;

export type ManifestCommand =
  | DraftManifest
  | AmendManifestDraft
  | SubmitManifest
  | IssueHandoverCode
  | TakeCustody
  | RefuseContainer
  | RelayCustody
  | DeliverManifest
  | RecordReceipt
  | CloseManifest
  | CancelManifest
  | RequestCorrection
  | ApproveCorrection
  | RefuseCorrection
  | ReportNationalNumber
  | EnterPaperManifest;

export type ManifestCommandType = ManifestCommand['type'];
