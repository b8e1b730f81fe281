import { DomainError } from '../../shared/domain/domain-error';
import { isLocalDate } from '../../shared/domain/time';

/**
 * 统计 — the vocabulary of the regulator's figures (SPEC section 10: quantities by region, code,
 * category, month and stage), pure.
 */
export const QUANTITY_STAGES = ['GENERATED', 'TRANSFERRED', 'RECEIVED', 'UTILISED', 'DISPOSED'] as const;
export type QuantityStage = (typeof QUANTITY_STAGES)[number];

export const QUANTITY_DIMENSIONS = ['REGION', 'WASTE_CODE', 'CATEGORY', 'MONTH'] as const;
export type QuantityDimension = (typeof QUANTITY_DIMENSIONS)[number];

export const REGION_LEVELS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Digits of the division code kept at each level. */
export const REGION_DIGITS: Record<RegionLevel, number> = { PROVINCE: 2, CITY: 4, COUNTY: 6 };

/** Age classes of open manifests, in days since submission: [min, max). */
export const AGE_BUCKETS = [
  { name: 'UNDER_1_DAY', minDays: 0, maxDays: 1 },
  { name: 'DAYS_1_TO_3', minDays: 1, maxDays: 3 },
  { name: 'DAYS_3_TO_7', minDays: 3, maxDays: 7 },
  { name: 'DAYS_7_TO_30', minDays: 7, maxDays: 30 },
  { name: 'OVER_30_DAYS', minDays: 30, maxDays: null },
] as const;

/** The bucket of an age in days (negative ages — a submission dated ahead — count as under a day). */
export function ageBucket(days: number): (typeof AGE_BUCKETS)[number]['name'] {
  for (const b of AGE_BUCKETS) if (b.maxDays === null || days < b.maxDays) return b.name;
  return 'OVER_30_DAYS';
}

/** Longest period a statistic covers at once. */
export const MAX_PERIOD_DAYS = 3660;

/** A period of Shanghai dates, `from` ≤ `to`, at most ten years; `BAD_USER_INPUT` otherwise. */
export function checkPeriod(from: string, to: string, field = 'filter'): { from: string; to: string } {
  if (!isLocalDate(from)) throw DomainError.badInput(`${field}.from`, 'from: not a date YYYY-MM-DD');
  if (!isLocalDate(to)) throw DomainError.badInput(`${field}.to`, 'to: not a date YYYY-MM-DD');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw DomainError.badInput(`${field}.to`, 'to: before from');
  if (days > MAX_PERIOD_DAYS) {
    throw DomainError.badInput(`${field}.to`, `to: a period covers at most ${MAX_PERIOD_DAYS} days`);
  }
  return { from, to };
}

const PREFIX = /^\d{2}(\d{2}){0,2}$/;

/** A division-code prefix of 2, 4 or 6 digits; `BAD_USER_INPUT` on `field` otherwise. */
export function checkPrefix(prefix: string | undefined, field = 'regionPrefix'): string | undefined {
  if (prefix !== undefined && !PREFIX.test(prefix)) {
    throw DomainError.badInput(field, `${field}: 2, 4 or 6 digits of a division code`);
  }
  return prefix;
}
