import { HAZARDS } from '../../catalogue/domain/hazard';
import { WASTE_CODE_PATTERN } from '../../catalogue/domain/medical-waste';
import { DomainError } from '../../shared/domain/domain-error';
import { isLocalDate } from '../../shared/domain/time';
import {
  BASEL_METHOD_PATTERN,
  INTENDED_MODES,
  TRANSFER_TYPES,
  crossesProvinces,
  type CarrierLeg,
  type ManifestContent,
  type ManifestLot,
  type TransferPoint,
} from './manifest.types';

/**
 * Shape checks on command input: what is malformed (missing, impossible, inconsistent) is refused
 * with `BAD_USER_INPUT` naming the field, online and offline alike. Rule checks live elsewhere.
 */

const bad = (field: string, message: string, details: Record<string, unknown> = {}): DomainError =>
  DomainError.badInput(field, `${field}: ${message}`, details);

const MAX_TEXT = 2000;

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(field, 'required');
  if (value.length > MAX_TEXT) throw bad(field, `at most ${MAX_TEXT} characters`);
  return value;
}

export function optionalText(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : requireText(value, field);
}

/** Integer grams, > 0 (or ≥ 0 with `allowZero`). */
export function requireGrams(value: unknown, field: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw bad(field, `not ${allowZero ? 'a non-negative' : 'a positive'} integer number of grams`);
  }
  return value;
}

export function requireInstant(value: unknown, field: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw bad(field, 'not a valid instant');
  return value.toISOString();
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw bad(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A list of at least `min` items (without letting `Array.isArray` widen the items to `any`). */
export function requireList<T>(value: readonly T[] | null | undefined, field: string, min = 0): readonly T[] {
  const isList: boolean = Array.isArray(value);
  if (!isList || (value as readonly T[]).length < min) {
    throw bad(field, min > 0 ? `a list of at least ${min}` : 'a list');
  }
  return value as readonly T[];
}

/** Label codes as scanned: non-empty, each a non-empty string; duplicate scans of a label collapse. */
export function normaliseLabels(labels: readonly string[] | undefined, field: string): string[] {
  return [...new Set(requireList(labels, field, 1).map((l, i) => requireText(l, `${field}[${i}]`)))];
}

export function requireBaselMethod(value: unknown, field: string): string {
  if (typeof value !== 'string' || !BASEL_METHOD_PATTERN.test(value)) {
    throw bad(field, 'not a Basel Annex IV code (D1–D15, R1–R13)');
  }
  return value;
}

export function requireHazards(value: unknown, field: string): void {
  if (!Array.isArray(value) || value.length === 0)
    throw bad(field, 'name at least one hazard characteristic');
  value.forEach((h, i) => oneOf(h, HAZARDS, `${field}[${i}]`));
  if (new Set(value).size !== value.length) throw bad(field, 'repeats a hazard characteristic');
}

function lot(l: ManifestLot, field: string): ManifestLot {
  if (typeof l !== 'object' || l === null) throw bad(field, 'required');
  if (typeof l.wasteCode !== 'string' || !WASTE_CODE_PATTERN.test(l.wasteCode)) {
    throw bad(`${field}.wasteCode`, 'not a waste code NNN-NNN-NN');
  }
  requireHazards(l.hazards, `${field}.hazards`);
  return {
    lotId: requireText(l.lotId, `${field}.lotId`),
    labelCode: requireText(l.labelCode, `${field}.labelCode`),
    wasteCode: l.wasteCode,
    wasteName: requireText(l.wasteName, `${field}.wasteName`),
    hazards: [...l.hazards],
    form: optionalText(l.form, `${field}.form`),
    packaging: optionalText(l.packaging, `${field}.packaging`),
    declaredGrams: requireGrams(l.declaredGrams, `${field}.declaredGrams`),
    intendedMode: oneOf(l.intendedMode, INTENDED_MODES, `${field}.intendedMode`),
    method: requireBaselMethod(l.method, `${field}.method`),
  };
}

function leg(l: CarrierLeg, field: string): CarrierLeg {
  if (typeof l !== 'object' || l === null) throw bad(field, 'required');
  return {
    carrierId: requireText(l.carrierId, `${field}.carrierId`),
    vehicleId: requireText(l.vehicleId, `${field}.vehicleId`),
    operatingPermitNumber: requireText(l.operatingPermitNumber, `${field}.operatingPermitNumber`),
    driverId: requireText(l.driverId, `${field}.driverId`),
    escortId: requireText(l.escortId, `${field}.escortId`),
  };
}

function point(p: TransferPoint, field: string): TransferPoint {
  if (typeof p !== 'object' || p === null) throw bad(field, 'required');
  if (typeof p.divisionCode !== 'string' || !/^\d{6}$/.test(p.divisionCode)) {
    throw bad(`${field}.divisionCode`, 'not a 6-digit division code');
  }
  return {
    siteId: requireText(p.siteId, `${field}.siteId`),
    divisionCode: p.divisionCode,
    address: requireText(p.address, `${field}.address`),
  };
}

/**
 * The whole content of a manifest, checked (every field present and consistent with the others)
 * and returned as a clean copy: known fields only, absent optional ones written `null`.
 */
export function normaliseContent(input: ManifestContent, field = 'content'): ManifestContent {
  if (typeof input !== 'object' || input === null) throw bad(field, 'required');
  const legs = requireList(input.legs, `${field}.legs`, 1);
  const lots = requireList(input.lots, `${field}.lots`, 1);
  const p = input.precedingManifest ?? null;
  const c: ManifestContent = {
    hazledgerNumber: requireText(input.hazledgerNumber, `${field}.hazledgerNumber`),
    transferType: oneOf(input.transferType, TRANSFER_TYPES, `${field}.transferType`),
    consignorId: requireText(input.consignorId, `${field}.consignorId`),
    shipperId: requireText(input.shipperId, `${field}.shipperId`),
    legs: legs.map((l, i) => leg(l, `${field}.legs[${i}]`)),
    receiverId: requireText(input.receiverId, `${field}.receiverId`),
    lots: lots.map((l, i) => lot(l, `${field}.lots[${i}]`)),
    emergencyMeasures: requireText(input.emergencyMeasures, `${field}.emergencyMeasures`),
    startPoint: point(input.startPoint, `${field}.startPoint`),
    endPoint: point(input.endPoint, `${field}.endPoint`),
    plannedDate: input.plannedDate,
    precedingManifest:
      p === null
        ? null
        : {
            manifestId: requireText(p.manifestId, `${field}.precedingManifest.manifestId`),
            originalConsignorId: requireText(
              p.originalConsignorId,
              `${field}.precedingManifest.originalConsignorId`,
            ),
          },
    roundId: optionalText(input.roundId, `${field}.roundId`),
  };
  if (c.receiverId === c.consignorId)
    throw bad(`${field}.receiverId`, 'the receiver cannot be the consignor');
  if (c.shipperId !== c.consignorId && c.shipperId !== c.receiverId) {
    throw bad(`${field}.shipperId`, 'the shipper (托运人) is the consignor or the receiver');
  }
  const dup = (xs: string[]) => xs.find((x, i) => xs.indexOf(x) !== i);
  const dupLot = dup(c.lots.map((l) => l.lotId));
  if (dupLot) throw bad(`${field}.lots`, `lot ${dupLot} twice`);
  const dupLabel = dup(c.lots.map((l) => l.labelCode));
  if (dupLabel) throw bad(`${field}.lots`, `label ${dupLabel} twice`);
  if (typeof c.plannedDate !== 'string' || !isLocalDate(c.plannedDate)) {
    throw bad(`${field}.plannedDate`, 'not a date YYYY-MM-DD');
  }
  switch (c.transferType) {
    case 'INTRA_PROVINCE':
      if (crossesProvinces(c)) throw bad(`${field}.transferType`, 'start and end lie in different provinces');
      break;
    case 'CROSS_PROVINCE':
      if (!crossesProvinces(c)) throw bad(`${field}.transferType`, 'start and end lie in the same province');
      break;
    case 'RETURN':
      if (!c.precedingManifest) {
        throw bad(`${field}.precedingManifest`, 'a RETURN names the manifest it returns waste from');
      }
      if (c.receiverId !== c.precedingManifest.originalConsignorId) {
        throw bad(`${field}.receiverId`, 'a RETURN goes back to the original consignor');
      }
      break;
  }
  return c;
}

/** The command names the manifest the state is about. */
export function requireSameManifest(commandManifestId: string, stateManifestId: string): void {
  if (commandManifestId !== stateManifestId) {
    throw bad('manifestId', `the command is for ${commandManifestId}, the stream holds ${stateManifestId}`);
  }
}
