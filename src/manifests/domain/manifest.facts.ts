import type { ErrorCode } from '../../shared/domain/domain-error';

/**
 * Facts from outside the manifest stream (licences, lots, plans, approvals, handover codes,
 * working-day deadlines), looked up and evaluated by the service and passed in on commands, so
 * that `decide` stays pure. The domain trusts their outcome and decides what to do with it:
 * refuse an online act, record an offline one as disputed.
 */

/** A check the service has already evaluated: passed, or failed with the code to refuse with. */
export type CheckOutcome<C extends ErrorCode> =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: C;
      readonly reason: string;
      /** The lots at fault, when the check is per lot. */
      readonly lotIds?: readonly string[];
      /** The carrier leg at fault (1-based), when the check is per leg. */
      readonly leg?: number;
    };

/** 接受人 licence: an ACTIVE, unexpired item covering each lot's code (RECEIVER_NOT_LICENSED) with its mode (LICENCE_MODE_MISSING). */
export type ReceiverLicenceCheck = CheckOutcome<'RECEIVER_NOT_LICENSED' | 'LICENCE_MODE_MISSING'>;

/** 承运人: verified transport permit, vehicle under it (medical-waste vehicle for HW01), driver and escort certificates. */
export type CarrierCheck = CheckOutcome<
  'CARRIER_NOT_LICENSED' | 'VEHICLE_NOT_AUTHORISED' | 'CERTIFICATE_EXPIRED'
>;

/** One lot as the lot streams know it at submission. */
export interface LotCustodyFact {
  readonly lotId: string;
  /** GENERATED or STORED at the consignor (or REJECTED at it, for a return or redirect). */
  readonly inConsignorCustody: boolean;
  /** Another open manifest the lot is on, if any (this manifest excluded). */
  readonly openManifestId: string | null;
}

/** A reservation of declared mass on the most specific licence item covering some lots, in the planned date's year. */
export interface CapacityReservation {
  readonly reservationId: string;
  readonly licenceItemId: string;
  readonly year: number;
  readonly lotIds: readonly string[];
  readonly grams: number;
}

/** Reserved plus settled mass after this submission: below 90 %, at or above 90 %, above 100 % (at most 120 %). */
export const CAPACITY_LEVELS = ['NORMAL', 'EARLY_WARNING', 'OVER_CAPACITY'] as const;
export type CapacityLevel = (typeof CAPACITY_LEVELS)[number];

export type CapacityCheck =
  | {
      readonly ok: true;
      readonly reservations: readonly CapacityReservation[];
      readonly level: CapacityLevel;
    }
  | {
      readonly ok: false;
      readonly code: 'LICENCE_CAPACITY_EXCEEDED';
      readonly reason: string;
      readonly lotIds?: readonly string[];
    };

/** 管理计划: receiver and codes in the consignor site's plan in force. `ALERT` enforcement records instead of refusing (configurable). */
export type PlanCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: 'NOT_IN_PLAN';
      readonly reason: string;
      readonly lotIds?: readonly string[];
      readonly enforcement: 'REFUSE' | 'ALERT';
    };

/** 跨省转移审批: an approval covering consignor, receiver, codes and the mass, with the mass reserved on it. */
export type CrossProvinceCheck =
  | { readonly ok: true; readonly approvalId: string; readonly reservationId: string }
  | { readonly ok: false; readonly code: 'CROSS_PROVINCE_APPROVAL_REQUIRED'; readonly reason: string };

/**
 * Everything submission checks (SPEC section 6.1), as outcomes. `null` means "not looked up":
 * allowed for the receiver licence, capacity and plan of a RETURN manifest, and for the
 * cross-province approval of a manifest that stays in one province.
 */
export interface SubmitChecks {
  /** One fact per lot on the manifest. */
  readonly lots: readonly LotCustodyFact[];
  readonly receiverLicence: ReceiverLicenceCheck | null;
  readonly capacity: CapacityCheck | null;
  readonly carrier: CarrierCheck;
  readonly plan: PlanCheck | null;
  readonly crossProvince: CrossProvinceCheck | null;
}

/**
 * The server's verification of the one-time handover code the driver entered (the hash stays
 * with the service): valid, wrong (with tries left before the lock), locked after five wrong
 * tries, or expired.
 */
export type HandoverCodeFact =
  | { readonly result: 'VALID'; readonly handoverCodeId: string }
  | { readonly result: 'INVALID'; readonly triesLeft: number }
  | { readonly result: 'LOCKED' }
  | { readonly result: 'EXPIRED'; readonly handoverCodeId: string };

/** Terminal lot states that end an accepted lot's stay at the receiver. */
export const TERMINAL_LOT_STATES = ['UTILISED', 'DISPOSED', 'CONSOLIDATED', 'SPLIT', 'LOST'] as const;
export type TerminalLotState = (typeof TERMINAL_LOT_STATES)[number];

/** Where an accepted lot (or the accepted part of one) is now. */
export interface AcceptedLotFate {
  readonly lotId: string;
  /** Its terminal state at the receiver, if it reached one. */
  readonly terminalState: TerminalLotState | null;
  /** A submitted manifest it left the receiver on (re-shipment), if any. */
  readonly leftOnManifestId: string | null;
}

/** Where a rejected lot (a whole REJECTED lot, or the rejected part of a partial acceptance) is now. */
export interface RejectedLotFate {
  readonly lotId: string;
  /** The RETURN or redirect manifest it is on, if any. */
  readonly onManifestId: string | null;
}

/** Close conditions (SPEC section 6.6), looked up in the lot streams. */
export interface CloseFacts {
  readonly accepted: readonly AcceptedLotFate[];
  readonly rejected: readonly RejectedLotFate[];
}
