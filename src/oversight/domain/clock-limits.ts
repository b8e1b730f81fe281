import { DomainError } from '../../shared/domain/domain-error';
import { type Duration, MAX_WORKING_DAYS } from '../../shared/domain/working-days';

/**
 * The limits of the time-based alert rules (`clock-rules.ts`): their defaults from the regulations
 * and a deployment's overrides, checked. Pure.
 */

/** 贮存期限 — a storage limit: hours run from the exact instant, day units end at 24:00 Asia/Shanghai. */
export type StorageLimit = Duration;

/** Whose storage clock: 医疗卫生机构, 收集单位 (COLLECTION licence), 收集试点单位 (pilot), anyone else. */
export type CustodianKind = 'MEDICAL_PRODUCER' | 'COLLECTOR' | 'PILOT_COLLECTOR' | 'OTHER';

/** Every limit the clock rules use; a deployment may change any of them (*configurable*). */
export interface ClockLimits {
  readonly storage: Readonly<Record<CustodianKind, StorageLimit>>;
  readonly medicalCollectionIntervalHours: number;
  readonly receiptConfirmationWorkingDays: number;
  readonly paperEntryWorkingDays: number;
  readonly expiryWarningWorkingDays: number;
  readonly renewalLeadWorkingDays: number;
  readonly storageSpotCapGrams: number;
}

/** Overrides of the defaults; storage limits per custodian kind. */
export type ClockOptions = Partial<Omit<ClockLimits, 'storage'>> & {
  readonly storage?: Partial<Record<CustodianKind, StorageLimit>>;
};

/**
 * Default limits (SPEC 5–8, 10): storage (贮存期限) 48 h medical (暂时贮存), 90 working days COLLECTION
 * licence holders (Licence Measures art. 20), 1 year others (Solid Waste Law art. 81); medical collection
 * every 48 h; receipt within 5 working days, paper entry within 10 (Transfer Measures arts. 18, 20);
 * expiry warning 40 and renewal (延续) 30 working days ahead (art. 13); storage spot (贮存点) 3 t.
 */
export const DEFAULT_CLOCK_LIMITS: ClockLimits = {
  storage: {
    MEDICAL_PRODUCER: { unit: 'HOURS', amount: 48 },
    COLLECTOR: { unit: 'WORKING_DAYS', amount: 90 },
    PILOT_COLLECTOR: { unit: 'YEARS', amount: 1 },
    OTHER: { unit: 'YEARS', amount: 1 },
  },
  medicalCollectionIntervalHours: 48,
  receiptConfirmationWorkingDays: 5,
  paperEntryWorkingDays: 10,
  expiryWarningWorkingDays: 40,
  renewalLeadWorkingDays: 30,
  storageSpotCapGrams: 3_000_000,
};

export const CUSTODIAN_KINDS = Object.keys(DEFAULT_CLOCK_LIMITS.storage) as CustodianKind[];
const NUMERIC_LIMITS = (Object.keys(DEFAULT_CLOCK_LIMITS) as (keyof ClockLimits)[]).filter(
  (k): k is Exclude<keyof ClockLimits, 'storage'> => k !== 'storage',
);

/** The defaults with `options` applied; `BAD_USER_INPUT` for a limit that is not a positive whole number. */
export function resolveClockLimits(options: ClockOptions = {}): ClockLimits {
  const storage = { ...DEFAULT_CLOCK_LIMITS.storage, ...options.storage };
  const limits: ClockLimits = { ...DEFAULT_CLOCK_LIMITS, ...options, storage };
  for (const k of NUMERIC_LIMITS) {
    const max = k === 'storageSpotCapGrams' ? Number.MAX_SAFE_INTEGER : MAX_WORKING_DAYS;
    if (!Number.isSafeInteger(limits[k]) || limits[k] < 1 || limits[k] > max) {
      throw DomainError.badInput(k, `${k}: not a whole number from 1 to ${max}: ${limits[k]}`);
    }
  }
  return limits;
}
