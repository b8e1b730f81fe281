import type { Ev } from '../../shared/domain/decider';
import type { AcceptedLotFate, CapacityLevel, CapacityReservation, RejectedLotFate } from './manifest.facts';
import type {
  AmendableContent,
  CorrectionChange,
  CustodyAct,
  DisputeReason,
  ManifestContent,
  ManifestStateStatus,
  ReceiptDecision,
} from './manifest.types';

/**
 * Events of one transfer manifest's stream (电子转移联单). Past tense, plain JSON (the ledger
 * hashes their canonical form): instants ISO strings (`at` is the business time), masses integer
 * grams, absent facts `null`. Secrets never appear: a handover code is named by its id and expiry,
 * its hash stays with the service.
 */

export type ManifestDrafted = Ev<
  'ManifestDrafted',
  {
    readonly manifestId: string;
    readonly content: ManifestContent;
    /** The agent (e.g. a collector) that drafted for the consignor, if any. */
    readonly agentId: string | null;
    readonly at: string;
  }
>;

export type ManifestDraftAmended = Ev<
  'ManifestDraftAmended',
  { readonly manifestId: string; readonly changes: Partial<AmendableContent>; readonly at: string }
>;

export type ManifestSubmitted = Ev<
  'ManifestSubmitted',
  {
    readonly manifestId: string;
    readonly at: string;
    readonly declaredGrams: number;
    /** Capacity reserved on the receiver's licence items (empty for a RETURN). */
    readonly capacityReservations: readonly CapacityReservation[];
    readonly capacityLevel: CapacityLevel | null;
    readonly crossProvince: {
      readonly approvalId: string;
      readonly reservationId: string;
      readonly grams: number;
    } | null;
    /** Set when the plan check failed under ALERT enforcement: submitted, and an alert is due. */
    readonly planAlert: { readonly reason: string; readonly lotIds: readonly string[] } | null;
  }
>;

export type HandoverCodeIssued = Ev<
  'HandoverCodeIssued',
  {
    readonly manifestId: string;
    readonly handoverCodeId: string;
    readonly expiresAt: string;
    /** The code this one replaces (a reissue), which stops working. */
    readonly replacesHandoverCodeId: string | null;
    readonly at: string;
  }
>;

/** Fields every custody event carries about how it was made and whether it is disputed. */
interface CustodyEvidence {
  readonly at: string;
  readonly scannedLabels: readonly string[];
  /** The manifest's lots that are on the vehicle after this act. */
  readonly carriedLotIds: readonly string[];
  readonly offline: boolean;
  /** An offline act that broke a rule at sync: recorded (what happened), with the reasons, for reconciliation. */
  readonly disputed: boolean;
  readonly disputeReasons: readonly DisputeReason[];
}

/** 承运人 leg 1 took the waste from the 移出人 with the handover code (转移: IN_TRANSIT). */
export type CustodyTaken = Ev<
  'CustodyTaken',
  CustodyEvidence & {
    readonly manifestId: string;
    readonly leg: 1;
    readonly carrierId: string;
    readonly vehicleId: string;
    readonly place: string | null;
    readonly pickupMasses: readonly {
      readonly lotId: string;
      readonly labelCode: string;
      readonly grams: number;
    }[];
    readonly handoverCodeId: string | null;
    readonly shipperLoadingCheckPassed: boolean;
  }
>;

/** The carrier refused a container at loading: it leaves the manifest and stays with the consignor. */
export type ContainerRefused = Ev<
  'ContainerRefused',
  {
    readonly manifestId: string;
    readonly lotId: string;
    readonly labelCode: string;
    readonly carrierId: string;
    readonly reason: string;
    readonly declaredGrams: number;
    /** The capacity reservation to release the lot's declared mass from, if any. */
    readonly capacityReservationId: string | null;
    readonly crossProvinceReservationId: string | null;
    readonly offline: boolean;
    readonly at: string;
  }
>;

/** 联运: the next leg's carrier took the waste from the previous one, at a time and place. */
export type CustodyRelayed = Ev<
  'CustodyRelayed',
  CustodyEvidence & {
    readonly manifestId: string;
    readonly fromLeg: number;
    readonly toLeg: number;
    readonly fromCarrierId: string;
    readonly toCarrierId: string;
    readonly vehicleId: string;
    readonly place: string;
  }
>;

/** The last carrier handed the waste to the named 接受人. */
export type ManifestDelivered = Ev<
  'ManifestDelivered',
  {
    readonly manifestId: string;
    readonly carrierId: string;
    readonly receiverId: string;
    /** Who signed: the last carrier or the receiver. */
    readonly signedByPartyId: string;
    readonly place: string | null;
    readonly offline: boolean;
    readonly at: string;
  }
>;

/**
 * An offline custody act that could not apply to the manifest as it stood at sync (a pickup scan
 * after a cancellation, an act the manifest has moved past, a party not on the leg, a receiver
 * not named): recorded, never dropped, so that the service raises a reconciliation alert.
 */
export type DisputedScanRecorded = Ev<
  'DisputedScanRecorded',
  {
    readonly manifestId: string;
    readonly act: CustodyAct;
    readonly statusAtSync: ManifestStateStatus;
    readonly actorPartyId: string | null;
    readonly scannedLabels: readonly string[];
    readonly place: string | null;
    readonly disputed: true;
    readonly reasons: readonly DisputeReason[];
    readonly at: string;
  }
>;

/** 接受人 weighed and decided on one lot. A late or discrepant receipt is recorded and flagged. */
export type LotReceiptRecorded = Ev<
  'LotReceiptRecorded',
  {
    readonly manifestId: string;
    readonly lotId: string;
    readonly labelCode: string;
    readonly measuredGrams: number;
    /** The pickup weighing when there is one, else the declared mass. */
    readonly reference: 'PICKUP' | 'DECLARED';
    readonly referenceGrams: number;
    /** Measured minus reference. */
    readonly differenceGrams: number;
    readonly toleranceBasisPoints: number;
    /** |difference| > tolerance × reference. */
    readonly discrepancy: boolean;
    readonly decision: ReceiptDecision;
    readonly acceptedGrams: number;
    readonly rejectedGrams: number;
    /** The new REJECTED lot holding the rejected part of a partial acceptance. */
    readonly rejectedLotId: string | null;
    readonly reason: string | null;
    /** Basel D/R code the receiver will apply. */
    readonly method: string;
    readonly capacityReservationId: string | null;
    readonly crossProvinceReservationId: string | null;
    /** When the lot was weighed (business time). */
    readonly at: string;
    /** When the receipt was confirmed in the system (record time), compared with the deadline. */
    readonly confirmedAt: string;
    /** 5 working days after delivery (Transfer Measures art. 18). */
    readonly deadline: string;
    readonly late: boolean;
  }
>;

/** Every carried lot has a receipt. */
export type ManifestReceived = Ev<
  'ManifestReceived',
  {
    readonly manifestId: string;
    readonly acceptedGrams: number;
    readonly rejectedGrams: number;
    readonly discrepancyLotIds: readonly string[];
    readonly lateLotIds: readonly string[];
    readonly at: string;
  }
>;

export type ManifestClosed = Ev<
  'ManifestClosed',
  {
    readonly manifestId: string;
    readonly accepted: readonly AcceptedLotFate[];
    readonly rejected: readonly RejectedLotFate[];
    readonly at: string;
  }
>;

export type ManifestCancelled = Ev<
  'ManifestCancelled',
  {
    readonly manifestId: string;
    readonly fromStatus: 'DRAFT' | 'SUBMITTED';
    readonly reason: string | null;
    /** The lots that go back to the consignor's storage (free again). */
    readonly lotIds: readonly string[];
    readonly releasedCapacityReservationIds: readonly string[];
    readonly releasedCrossProvinceReservationId: string | null;
    readonly at: string;
  }
>;

export type CorrectionRequested = Ev<
  'CorrectionRequested',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly requestedByPartyId: string;
    readonly changes: readonly CorrectionChange[];
    readonly reason: string;
    readonly respondBy: string;
    /** The other parties on the manifest, who must all approve. */
    readonly approverPartyIds: readonly string[];
    readonly at: string;
  }
>;

export type CorrectionApproved = Ev<
  'CorrectionApproved',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly byPartyId: string;
    readonly at: string;
  }
>;

export type CorrectionRefused = Ev<
  'CorrectionRefused',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly byPartyId: string;
    readonly reason: string;
    readonly at: string;
  }
>;

/** A pending request nobody answered by its deadline, closed when a new request is filed. */
export type CorrectionLapsed = Ev<
  'CorrectionLapsed',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly respondBy: string;
    readonly at: string;
  }
>;

/** The approved correction, appended (never an edit): the new values apply from here on. */
export type ManifestCorrected = Ev<
  'ManifestCorrected',
  {
    readonly manifestId: string;
    readonly correctionId: string;
    readonly changes: readonly CorrectionChange[];
    readonly at: string;
  }
>;

/** The 14-digit number of the national hazardous-waste information system. */
export type NationalNumberReported = Ev<
  'NationalNumberReported',
  { readonly manifestId: string; readonly nationalNumber: string; readonly at: string }
>;

/** A trip run on a paper manifest during an outage, entered afterwards (Transfer Measures art. 20). */
export type PaperManifestEntered = Ev<
  'PaperManifestEntered',
  {
    readonly manifestId: string;
    readonly paperNumber: string;
    readonly reason: string | null;
    /** The whole content when the manifest was not on the ledger before; null otherwise. */
    readonly content: ManifestContent | null;
    readonly agentId: string | null;
    readonly fromStatus: 'NONE' | 'DRAFT' | 'SUBMITTED' | 'IN_TRANSIT';
    readonly carriedLotIds: readonly string[];
    readonly tripStartedAt: string;
    /** The trip ended with delivery to the receiver: the manifest is DELIVERED from then. */
    readonly tripEndedAt: string;
    /** 10 working days after the trip ended. */
    readonly backEntryDeadline: string;
    readonly late: boolean;
    readonly at: string;
  }
>;

export type ManifestEvent =
  | ManifestDrafted
  | ManifestDraftAmended
  | ManifestSubmitted
  | HandoverCodeIssued
  | CustodyTaken
  | ContainerRefused
  | CustodyRelayed
  | ManifestDelivered
  | DisputedScanRecorded
  | LotReceiptRecorded
  | ManifestReceived
  | ManifestClosed
  | ManifestCancelled
  | CorrectionRequested
  | CorrectionApproved
  | CorrectionRefused
  | CorrectionLapsed
  | ManifestCorrected
  | NationalNumberReported
  | PaperManifestEntered;

export type ManifestEventType = ManifestEvent['type'];

const EVENT_TYPES: { readonly [K in ManifestEventType]: true } = {
  ManifestDrafted: true,
  ManifestDraftAmended: true,
  ManifestSubmitted: true,
  HandoverCodeIssued: true,
  CustodyTaken: true,
  ContainerRefused: true,
  CustodyRelayed: true,
  ManifestDelivered: true,
  DisputedScanRecorded: true,
  LotReceiptRecorded: true,
  ManifestReceived: true,
  ManifestClosed: true,
  ManifestCancelled: true,
  CorrectionRequested: true,
  CorrectionApproved: true,
  CorrectionRefused: true,
  CorrectionLapsed: true,
  ManifestCorrected: true,
  NationalNumberReported: true,
  PaperManifestEntered: true,
};

/** Every event type (exhaustive by construction), for the ledger's event registry. */
export const MANIFEST_EVENT_TYPES = Object.keys(EVENT_TYPES) as ManifestEventType[];
