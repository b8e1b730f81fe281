import type { BusinessDate } from '../parties/domain/business-date';
import type { LicenceMode } from '../parties/domain/licence';

/*
 * What `LicenceCheckService` takes and returns. Reservations are plain JSON: the caller (a
 * manifest) keeps them in its events and hands them back to release or settle.
 */

/** A receiver act to check against the receiver's licences (SPEC section 3). */
export interface ReceiverCapacityQuery {
  readonly receiverPartyId: string;
  /** The receiving site; when given, the licence must name it. */
  readonly siteId?: string;
  /** Division code of the site the waste comes from (emergency authorisations serve regions). */
  readonly originDivisionCode?: string;
  readonly wasteCode: string;
  readonly mode: LicenceMode;
  /** Planned date (or an instant, taken as its Shanghai day): the capacity year is its year. */
  readonly businessDate: BusinessDate | Date;
  readonly massGrams: number;
}

/** A reservation on a licence item (or emergency authorisation) for one year; plain JSON, kept by the caller. */
export interface CapacityReservation {
  readonly counterId: string;
  readonly grams: number;
  readonly itemId: string;
  readonly licenceId: string | null;
  readonly licenceNumber: string | null;
  /** Made under an emergency authorisation (应急处置): the records it enables are marked. */
  readonly emergency: boolean;
  readonly emergencyAuthorisationId: string | null;
  readonly capacityLevel: 'NORMAL' | 'WARNING_90' | 'OVER_100';
  readonly year: number;
  readonly receiverPartyId: string;
  /** The record the mass belongs to (a manifest and lot), for audit and release. */
  readonly ref: string;
}

/** The carrier, vehicle and crew named for a transfer (SPEC section 3). */
export interface CarrierCheckQuery {
  readonly carrierPartyId: string;
  /** Defaults to the permit the vehicle is registered under. */
  readonly permitId?: string;
  readonly vehicleId: string | null;
  readonly driverId: string | null;
  readonly escortId: string | null;
  readonly businessDate: BusinessDate | Date;
  /** The waste codes carried: HW01 needs a medical-waste vehicle. */
  readonly wasteCodes: readonly string[];
}

/** A transfer to check against cross-province approvals. */
export interface ApprovalQuery {
  readonly consignorPartyId: string;
  readonly receiverPartyId: string;
  readonly consignorDivisionCode: string;
  readonly receiverDivisionCode: string;
  /** The approval the manifest cites, if any. */
  readonly approvalId?: string;
  readonly wasteCode: string;
  readonly massGrams: number;
  readonly businessDate: BusinessDate | Date;
  readonly ref: string;
}

/** Mass reserved on a cross-province approval. */
export interface ApprovalReservation {
  readonly counterId: string;
  readonly approvalId: string;
  readonly grams: number;
  readonly ref: string;
}
