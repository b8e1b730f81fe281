import { DomainError } from '../../shared/domain/domain-error';
import { isLocalDate, shanghaiDate } from '../../shared/domain/time';

/**
 * Business dates for validity checks: `YYYY-MM-DD` in Asia/Shanghai. A validity period names its
 * first and last valid days, both inclusive (有效期 … 至 …), so string comparison is enough.
 */
export type BusinessDate = string;

/** Returns the date when it is a real calendar date `YYYY-MM-DD`, else `BAD_USER_INPUT` on `field`. */
export function assertBusinessDate(value: unknown, field: string): BusinessDate {
  if (typeof value !== 'string' || !isLocalDate(value)) {
    throw DomainError.badInput(field, `${field}: not a calendar date YYYY-MM-DD: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A business date from a date string, or from an instant (taken as its Asia/Shanghai calendar
 * day — e.g. the moment custody is taken).
 */
export function toBusinessDate(value: BusinessDate | Date, field: string): BusinessDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw DomainError.badInput(field, `${field}: invalid instant`);
    return shanghaiDate(value);
  }
  return assertBusinessDate(value, field);
}

/** The calendar year of a business date (licence capacity and management class run per calendar year). */
export const businessYear = (date: BusinessDate): number => Number(date.slice(0, 4));

/** Where a date lies against an inclusive validity period. */
export type ValidityPosition = 'BEFORE' | 'WITHIN' | 'AFTER';

/**
 * Position of `date` against [validFrom, validTo], both inclusive; a missing `validTo` means
 * open-ended.
 */
export function validityPosition(
  date: BusinessDate,
  validFrom: BusinessDate,
  validTo: BusinessDate | null | undefined,
): ValidityPosition {
  if (date < validFrom) return 'BEFORE';
  if (validTo != null && date > validTo) return 'AFTER';
  return 'WITHIN';
}

/** True when `date` is on or between the first and last valid day. */
export const isWithinValidity = (
  date: BusinessDate,
  validFrom: BusinessDate,
  validTo: BusinessDate | null | undefined,
): boolean => validityPosition(date, validFrom, validTo) === 'WITHIN';

/** True when something valid up to and including `validTo` is still valid on `date` (certificates 有效期至). */
export const notExpired = (date: BusinessDate, validTo: BusinessDate): boolean => date <= validTo;
