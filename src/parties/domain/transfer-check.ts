import { categoryOfCode, MEDICAL_CATEGORY } from '../../catalogue/domain/medical-waste';
import { DomainError } from '../../shared/domain/domain-error';
import type { Grams } from '../../shared/domain/mass';
import { type BusinessDate, isWithinValidity, notExpired, toBusinessDate } from './business-date';

/**
 * 道路危险货物运输许可 — a carrier's road transport permit for dangerous goods, registered as a
 * document by the carrier and verified by a regulator.
 */
export interface TransportPermit {
  readonly id: string;
  readonly partyId: string;
  readonly number: string;
  /** Verified by a regulator against the transport department's record. */
  readonly verified: boolean;
  readonly validFrom?: BusinessDate | null;
  /** Last valid day (inclusive). */
  readonly validTo: BusinessDate;
  /** Permitted scope as written on the permit (经营范围); recorded, not interpreted here. */
  readonly scope?: string | readonly string[] | null;
  readonly vehicleIds: readonly string[];
}

/** A vehicle with its 道路运输证 (vehicle transport certificate). */
export interface Vehicle {
  readonly id: string;
  readonly plate: string;
  readonly permitId: string;
  /** A medical-waste transfer vehicle (医疗废物转运车, GB 19217). */
  readonly medicalWasteVehicle: boolean;
  /** Last valid day of the 道路运输证 (inclusive). */
  readonly certificateValidTo: BusinessDate;
}

/** A driver or escort (押运员) with a qualification certificate (从业资格证). */
export interface Person {
  readonly id: string;
  /** Last valid day of the 从业资格证 (inclusive). */
  readonly certificateValidTo: BusinessDate;
}

/** The carrier, vehicle and crew named for a transfer, and the date to check them at. */
export interface CarrierQuery {
  readonly permit: TransportPermit | null | undefined;
  readonly vehicle: Vehicle | null | undefined;
  readonly driver: Person | null | undefined;
  readonly escort: Person | null | undefined;
  /** Planned date at submit, or the instant custody is taken (its Shanghai day). */
  readonly businessDate: BusinessDate | Date;
  /** The load holds medical waste (HW01), which needs a medical-waste vehicle. */
  readonly isMedical: boolean;
  /** When given, the permit must belong to this carrier (承运人). */
  readonly carrierPartyId?: string;
}

/** The permit and vehicle that passed. */
export interface CarrierOk {
  readonly ok: true;
  readonly permitId: string;
  readonly permitNumber: string;
  readonly vehicleId: string;
  readonly plate: string;
}

/** True for medical waste codes (category HW01, 医疗废物). */
export const isMedicalWasteCode = (wasteCode: string): boolean =>
  categoryOfCode(wasteCode) === MEDICAL_CATEGORY;

/**
 * 承运人核查 — carrier check at a business date: a verified transport permit valid on the date
 * (`CARRIER_NOT_LICENSED`); a vehicle registered under that permit, a medical-waste vehicle for
 * HW01, and a 道路运输证 valid on the date (`VEHICLE_NOT_AUTHORISED`); driver's and escort's
 * qualification certificates valid on the date (`CERTIFICATE_EXPIRED`). A missing vehicle is not
 * authorised; a missing driver or escort, or an escort who is the driver, is `BAD_USER_INPUT`.
 * Checked in that order, so the first failing layer is the one reported.
 */
export function checkCarrier(q: CarrierQuery): CarrierOk {
  const date = toBusinessDate(q.businessDate, 'businessDate');
  const { permit, vehicle, driver, escort } = q;
  if (!permit) throw new DomainError('CARRIER_NOT_LICENSED', 'no transport permit', { businessDate: date });
  const permitDetails = { permitId: permit.id, permitNumber: permit.number, businessDate: date };
  if (q.carrierPartyId !== undefined && permit.partyId !== q.carrierPartyId) {
    throw new DomainError(
      'CARRIER_NOT_LICENSED',
      `transport permit ${permit.number} belongs to another party`,
      {
        ...permitDetails,
        carrierPartyId: q.carrierPartyId,
      },
    );
  }
  if (!permit.verified) {
    throw new DomainError(
      'CARRIER_NOT_LICENSED',
      `transport permit ${permit.number} is not verified`,
      permitDetails,
    );
  }
  if (!isWithinValidity(date, permit.validFrom ?? date, permit.validTo)) {
    throw new DomainError(
      'CARRIER_NOT_LICENSED',
      `transport permit ${permit.number} is not valid on ${date} (valid ${permit.validFrom ?? '…'} to ${permit.validTo})`,
      { ...permitDetails, validTo: permit.validTo },
    );
  }

  if (!vehicle) throw new DomainError('VEHICLE_NOT_AUTHORISED', 'no vehicle', permitDetails);
  const vehicleDetails = { ...permitDetails, vehicleId: vehicle.id, plate: vehicle.plate };
  if (vehicle.permitId !== permit.id || !permit.vehicleIds.includes(vehicle.id)) {
    throw new DomainError(
      'VEHICLE_NOT_AUTHORISED',
      `vehicle ${vehicle.plate} is not registered under transport permit ${permit.number}`,
      vehicleDetails,
    );
  }
  if (q.isMedical && !vehicle.medicalWasteVehicle) {
    throw new DomainError(
      'VEHICLE_NOT_AUTHORISED',
      `vehicle ${vehicle.plate} is not a medical-waste vehicle (GB 19217), needed for HW01`,
      { ...vehicleDetails, reason: 'NOT_MEDICAL_WASTE_VEHICLE' },
    );
  }
  if (!notExpired(date, vehicle.certificateValidTo)) {
    throw new DomainError(
      'VEHICLE_NOT_AUTHORISED',
      `the transport certificate (道路运输证) of ${vehicle.plate} expired on ${vehicle.certificateValidTo}`,
      {
        ...vehicleDetails,
        reason: 'VEHICLE_CERTIFICATE_EXPIRED',
        certificateValidTo: vehicle.certificateValidTo,
      },
    );
  }

  if (!driver) throw DomainError.badInput('driver', 'driver: a driver is required');
  if (!escort) throw DomainError.badInput('escort', 'escort: an escort (押运员) is required');
  if (escort.id === driver.id)
    throw DomainError.badInput('escort', 'escort: the escort must not be the driver');
  for (const [role, person] of [
    ['driver', driver],
    ['escort', escort],
  ] as const) {
    if (!notExpired(date, person.certificateValidTo)) {
      throw new DomainError(
        'CERTIFICATE_EXPIRED',
        `the ${role}'s qualification certificate (从业资格证) expired on ${person.certificateValidTo}`,
        {
          field: role,
          role,
          personId: person.id,
          certificateValidTo: person.certificateValidTo,
          businessDate: date,
        },
      );
    }
  }
  return {
    ok: true,
    permitId: permit.id,
    permitNumber: permit.number,
    vehicleId: vehicle.id,
    plate: vehicle.plate,
  };
}

/**
 * 跨省转移审批 — a cross-province transfer approval issued by the exporting province: consignor,
 * receiver, codes, approved quantity, validity (≤ 12 months, capped by the receiver's licence).
 */
export interface CrossProvinceApproval {
  readonly id: string;
  readonly number?: string;
  readonly consignorPartyId: string;
  readonly receiverPartyId: string;
  /** Waste codes approved (exact codes). */
  readonly wasteCodes: readonly string[];
  /** Approved quantity for the whole approval. */
  readonly approvedGrams: Grams;
  readonly validFrom: BusinessDate;
  readonly validTo: BusinessDate;
  /** Withdrawn by the issuing agency from this day on. */
  readonly revokedFrom?: BusinessDate | null;
}

/** The transfer to check against cross-province approvals. */
export interface CrossProvinceQuery {
  /** 6-digit division code of the consignor's site (移出地). */
  readonly consignorDivision: string;
  /** 6-digit division code of the receiver's site (接受地). */
  readonly receiverDivision: string;
  readonly consignorPartyId: string;
  readonly receiverPartyId: string;
  readonly approvals: readonly CrossProvinceApproval[];
  /** The approval the manifest cites; when given, only it is considered. */
  readonly approvalId?: string;
  readonly wasteCode: string;
  readonly massGrams: Grams;
  readonly businessDate: BusinessDate | Date;
  /** Reserved plus settled grams on an approval, before this act. */
  readonly reservedGrams: (approvalId: string) => Grams;
}

/** Not required (same province), or the approval to reserve the mass on. */
export type CrossProvinceResult =
  | { readonly required: false }
  | {
      readonly required: true;
      readonly approvalId: string;
      readonly approvedGrams: Grams;
      readonly reservedGrams: Grams;
      readonly afterGrams: Grams;
      readonly remainingAfterGrams: Grams;
    };

const SIX_DIGITS = /^\d{6}$/;

/**
 * Cross-province check (危险废物跨省转移): same province → not required; otherwise the approval to
 * reserve on — valid for consignor, receiver, code and date with enough remaining quantity (the
 * one expiring first) — or `CROSS_PROVINCE_APPROVAL_REQUIRED`.
 */
export function checkCrossProvince(q: CrossProvinceQuery): CrossProvinceResult {
  for (const [field, code] of [
    ['consignorDivision', q.consignorDivision],
    ['receiverDivision', q.receiverDivision],
  ] as const) {
    if (typeof code !== 'string' || !SIX_DIGITS.test(code)) {
      throw DomainError.badInput(
        field,
        `${field}: a division code must be 6 digits: ${JSON.stringify(code)}`,
      );
    }
  }
  if (q.consignorDivision.slice(0, 2) === q.receiverDivision.slice(0, 2)) return { required: false };

  const date = toBusinessDate(q.businessDate, 'businessDate');
  if (!Number.isSafeInteger(q.massGrams) || q.massGrams < 0) {
    throw DomainError.badInput(
      'massGrams',
      'massGrams: a mass must be a non-negative integer number of grams',
    );
  }
  const details = {
    field: 'crossProvinceApprovalId',
    consignorProvince: `${q.consignorDivision.slice(0, 2)}0000`,
    receiverProvince: `${q.receiverDivision.slice(0, 2)}0000`,
    wasteCode: q.wasteCode,
    businessDate: date,
  };
  const valid = q.approvals
    .filter(
      (a) =>
        (q.approvalId === undefined || a.id === q.approvalId) &&
        a.consignorPartyId === q.consignorPartyId &&
        a.receiverPartyId === q.receiverPartyId &&
        a.wasteCodes.includes(q.wasteCode) &&
        isWithinValidity(date, a.validFrom, a.validTo) &&
        !(a.revokedFrom != null && date >= a.revokedFrom),
    )
    .sort((a, b) => (a.validTo === b.validTo ? a.id.localeCompare(b.id) : a.validTo < b.validTo ? -1 : 1));
  if (valid.length === 0) {
    throw new DomainError(
      'CROSS_PROVINCE_APPROVAL_REQUIRED',
      `a transfer from ${details.consignorProvince} to ${details.receiverProvince} needs a cross-province approval valid on ${date} for ${q.wasteCode}`,
      { ...details, reason: 'NO_VALID_APPROVAL' },
    );
  }
  for (const a of valid) {
    const reserved = q.reservedGrams(a.id);
    if (!Number.isSafeInteger(reserved) || reserved < 0)
      throw new Error(`reservedGrams(${a.id}) returned ${reserved}`);
    const after = reserved + q.massGrams;
    if (after <= a.approvedGrams) {
      return {
        required: true,
        approvalId: a.id,
        approvedGrams: a.approvedGrams,
        reservedGrams: reserved,
        afterGrams: after as Grams,
        remainingAfterGrams: (a.approvedGrams - after) as Grams,
      };
    }
  }
  throw new DomainError(
    'CROSS_PROVINCE_APPROVAL_REQUIRED',
    `no cross-province approval for ${q.wasteCode} has ${q.massGrams} g left (a new application is needed)`,
    { ...details, reason: 'QUANTITY_EXHAUSTED', approvalIds: valid.map((a) => a.id) },
  );
}
