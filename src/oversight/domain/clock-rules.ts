import { DomainError } from '../../shared/domain/domain-error';
import { formatKg } from '../../shared/domain/mass';
import { shanghaiDate, shanghaiDayEnd, shanghaiDayStart } from '../../shared/domain/time';
import { assertLocalDate, type WorkingCalendar } from '../../shared/domain/working-days';
import {
  type ClockOptions,
  CUSTODIAN_KINDS,
  type CustodianKind,
  resolveClockLimits,
  type StorageLimit,
} from './clock-limits';

export {
  type ClockLimits,
  type ClockOptions,
  type CustodianKind,
  DEFAULT_CLOCK_LIMITS,
  resolveClockLimits,
  type StorageLimit,
} from './clock-limits';

/**
 * Time-based alert rules (预警规则, SPEC sections 5, 7, 8, 10) for a scheduler: each takes the facts
 * and `now` (pure: time and calendar come in as arguments) and returns `null` or one alert whose
 * identity (rule, subject, period) is deterministic, so that it is raised once. A condition starts
 * at `dueAt`: one millisecond earlier the rule returns `null`.
 */

/** Alert severity (the ledger's values). */
export type AlertSeverity = 'INFO' | 'WARNING' | 'CRITICAL';

/** The rules evaluated here. */
export type ClockRule =
  | 'STORAGE_TIME_EXCEEDED'
  | 'LOT_NOT_SHIPPED_WITHIN_LIMIT'
  | 'MEDICAL_COLLECTION_INTERVAL_EXCEEDED'
  | 'RECEIPT_NOT_CONFIRMED'
  | 'PAPER_MANIFEST_ENTERED_LATE'
  | 'LICENCE_EXPIRING'
  | 'PERMIT_EXPIRING'
  | 'VEHICLE_CERTIFICATE_EXPIRING'
  | 'CREW_CERTIFICATE_EXPIRING'
  | 'STORAGE_SPOT_OVER_3T';

/** What an alert is about. */
export type AlertSubjectType =
  'LOT' | 'PARTY' | 'MANIFEST' | 'LICENCE' | 'PERMIT' | 'VEHICLE' | 'CREW_MEMBER' | 'FACILITY';

/** Plain JSON facts that justify an alert. */
export type AlertEvidence = Readonly<Record<string, string | number | boolean | null>>;

/** 预警 — an alert to raise. `dueAt` is an ISO 8601 UTC instant (alerts are ledger data). */
export interface ClockAlert {
  readonly rule: ClockRule;
  readonly subjectType: AlertSubjectType;
  readonly subjectId: string;
  /** The deadline's date (`YYYY-MM-DD`), or its instant for hour limits: what makes a repeat a new alert. */
  readonly period: string;
  readonly severity: AlertSeverity;
  readonly dueAt: string;
  readonly evidence: AlertEvidence;
}

/** An instant: a `Date`, or an ISO 8601 string with an explicit offset (`Z`, `+08:00`). */
export type Instant = Date | string;

const HOUR_MS = 60 * 60 * 1000;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A string needs an explicit offset, so that the result never depends on the server's time zone. */
function instant(value: Instant | null | undefined, field: string): Date {
  const ok = value instanceof Date || (typeof value === 'string' && ISO_INSTANT.test(value));
  const d = ok ? new Date(value) : null;
  if (d === null || Number.isNaN(d.getTime())) {
    throw DomainError.badInput(field, `${field}: not an ISO 8601 instant with an offset`, { value });
  }
  return d;
}

const optionalInstant = (value: Instant | null | undefined, field: string): Date | null =>
  value == null ? null : instant(value, field);

function required(value: string, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw DomainError.badInput(field, `${field}: required`);
  return value;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The condition holds from `dueAt` on, unless the act that ends it happened before `dueAt`. */
const breached = (dueAt: Date, now: Date, endedAt: Date | null): boolean =>
  now >= dueAt && (endedAt === null || endedAt >= dueAt);

type Head = Pick<ClockAlert, 'rule' | 'subjectType' | 'subjectId' | 'period' | 'severity'>;

const alert = (head: Head, dueAt: Date, evidence: AlertEvidence): ClockAlert => ({
  ...head,
  dueAt: dueAt.toISOString(),
  evidence,
});

/** A storage deadline: when the limit runs out, and whether a day beyond the loaded calendar was counted. */
export interface StorageDeadline {
  readonly limit: StorageLimit;
  readonly dueAt: Date;
  readonly period: string;
  readonly provisional: boolean;
}

/**
 * 贮存期限 — when a storage clock started at `clockStartedAt` runs out for a custodian kind; `period`
 * is the last day, or the ISO instant for hour limits (`WorkingCalendar.durationEnd`).
 */
export function storageDeadline(
  clockStartedAt: Instant,
  custodianKind: CustodianKind,
  calendar: WorkingCalendar,
  options: ClockOptions = {},
): StorageDeadline {
  const start = instant(clockStartedAt, 'clockStartedAt');
  if (!CUSTODIAN_KINDS.includes(custodianKind)) {
    throw DomainError.badInput('custodianKind', `custodianKind: unknown: ${JSON.stringify(custodianKind)}`);
  }
  const limit = resolveClockLimits(options).storage[custodianKind];
  const { endsAt: dueAt, date, provisional } = calendar.durationEnd(start, limit);
  return { limit, dueAt, period: date ?? dueAt.toISOString(), provisional };
}

/** A rule evaluated against the working-day calendar, with optional limit overrides. */
export type CalendarRule<I> = (input: I, cal: WorkingCalendar, options?: ClockOptions) => ClockAlert | null;

/**
 * A lot's storage clock at one custodian: from generation or receipt (a consolidated lot: its sources'
 * earliest) until the lot leaves. `custodianId`, if given, prefixes the period (one alert per custodian).
 */
export interface StorageClockInput {
  readonly lotId: string;
  readonly custodianKind: CustodianKind;
  readonly custodianId?: string;
  readonly clockStartedAt: Instant;
  readonly clockStoppedAt?: Instant | null;
  readonly now: Date;
}

const storageRule =
  (rule: 'STORAGE_TIME_EXCEEDED' | 'LOT_NOT_SHIPPED_WITHIN_LIMIT'): CalendarRule<StorageClockInput> =>
  (input, calendar, options = {}) => {
    const subjectId = required(input.lotId, 'lotId');
    const start = instant(input.clockStartedAt, 'clockStartedAt');
    const stopped = optionalInstant(input.clockStoppedAt, 'clockStoppedAt');
    const d = storageDeadline(start, input.custodianKind, calendar, options);
    if (!breached(d.dueAt, instant(input.now, 'now'), stopped)) return null;
    const custodianId = input.custodianId == null ? null : required(input.custodianId, 'custodianId');
    const period = custodianId === null ? d.period : `${custodianId}:${d.period}`;
    const severity = input.custodianKind === 'MEDICAL_PRODUCER' ? 'CRITICAL' : 'WARNING';
    return alert({ rule, subjectType: 'LOT', subjectId, period, severity }, d.dueAt, {
      custodianKind: input.custodianKind,
      custodianId,
      clockStartedAt: start.toISOString(),
      clockStoppedAt: iso(stopped),
      limitUnit: d.limit.unit,
      limitAmount: d.limit.amount,
      provisional: d.provisional,
    });
  };

/**
 * 超期贮存 — storage time exceeded (SPEC sections 5, 7, 8): from the storage deadline on while the
 * lot is held, or if it left only at or after the deadline. CRITICAL for medical waste, else WARNING.
 */
export const storageTimeExceeded = storageRule('STORAGE_TIME_EXCEEDED');

/**
 * 产生后超期未转移 — a lot generated and not moved out within its storage limit (SPEC section 10):
 * the producer's clock, `clockStartedAt` = generation and `clockStoppedAt` = the first outbound
 * movement (sent out, handed over, treated); same limits, timing and severity as storage time.
 */
export const lotNotShippedWithinLimit = storageRule('LOT_NOT_SHIPPED_WITHIN_LIMIT');

/** A medical institution's waste: the last collection, and the generation of the oldest still waiting. */
export interface MedicalCollectionInput {
  readonly institutionId: string;
  readonly holdsUncollectedWaste: boolean;
  readonly lastCollectionAt?: Instant | null;
  readonly firstUncollectedGeneratedAt?: Instant | null;
  readonly now: Date;
}

/**
 * 医疗废物收集间隔超过 48 小时 — an institution holds waste and nobody has collected for 48 h,
 * counted from the later of the last collection and the generation of the oldest waiting waste
 * (nothing while it holds no waste). CRITICAL.
 */
export function medicalCollectionIntervalExceeded(
  input: MedicalCollectionInput,
  options: ClockOptions = {},
): ClockAlert | null {
  const subjectId = required(input.institutionId, 'institutionId');
  const now = instant(input.now, 'now');
  const last = optionalInstant(input.lastCollectionAt, 'lastCollectionAt');
  const oldest = optionalInstant(input.firstUncollectedGeneratedAt, 'firstUncollectedGeneratedAt');
  if (!input.holdsUncollectedWaste) return null;
  if (last === null && oldest === null) {
    throw DomainError.badInput('firstUncollectedGeneratedAt', 'waste is held: give its oldest generation');
  }
  const since = new Date(Math.max(last?.getTime() ?? -Infinity, oldest?.getTime() ?? -Infinity));
  const hours = resolveClockLimits(options).medicalCollectionIntervalHours;
  const dueAt = new Date(since.getTime() + hours * HOUR_MS);
  if (now < dueAt) return null;
  const rule = 'MEDICAL_COLLECTION_INTERVAL_EXCEEDED';
  const period = dueAt.toISOString();
  return alert({ rule, subjectType: 'PARTY', subjectId, period, severity: 'CRITICAL' }, dueAt, {
    intervalStartedAt: since.toISOString(),
    lastCollectionAt: iso(last),
    firstUncollectedGeneratedAt: iso(oldest),
    intervalHours: hours,
  });
}

/** An act due N working days after an event (`from`), and when it was done (`doneAt`, null while not). */
export interface WorkingDayActInput {
  readonly manifestId: string;
  readonly from: Instant;
  readonly doneAt?: Instant | null;
  readonly now: Date;
}

const actRule =
  (
    rule: 'RECEIPT_NOT_CONFIRMED' | 'PAPER_MANIFEST_ENTERED_LATE',
    limit: 'receiptConfirmationWorkingDays' | 'paperEntryWorkingDays',
  ): CalendarRule<WorkingDayActInput> =>
  (input, calendar, options = {}) => {
    const subjectId = required(input.manifestId, 'manifestId');
    const from = instant(input.from, 'from');
    const done = optionalInstant(input.doneAt, 'doneAt');
    const n = resolveClockLimits(options)[limit];
    const d = calendar.deadlineAfter(from, n);
    if (!breached(d.endsAt, instant(input.now, 'now'), done)) return null;
    const head: Head = { rule, subjectType: 'MANIFEST', subjectId, period: d.date, severity: 'WARNING' };
    return alert(head, d.endsAt, {
      from: from.toISOString(),
      fromDate: shanghaiDate(from),
      workingDays: n,
      dueDate: d.date,
      doneAt: iso(done),
      provisional: d.provisional,
    });
  };

/**
 * 接受人 5 个工作日内未确认接收 — receipt not confirmed within 5 working days of delivery (Transfer
 * Measures art. 18; `from` = delivery, `doneAt` = confirmation): from 24:00 Shanghai of the 5th
 * working day after the delivery date while unconfirmed, or if confirmed at or after it. WARNING.
 */
export const receiptNotConfirmed = actRule('RECEIPT_NOT_CONFIRMED', 'receiptConfirmationWorkingDays');

/**
 * 纸质联单超期补录 — a paper manifest entered more than 10 working days after its trip ended (Transfer
 * Measures art. 20; `from` = end of the trip, `doneAt` = entry), or still not entered by then. WARNING.
 */
export const paperManifestEnteredLate = actRule('PAPER_MANIFEST_ENTERED_LATE', 'paperEntryWorkingDays');

/**
 * Documents that expire: a licence (许可证), a transport permit (道路危险货物运输许可), a vehicle's
 * certificate (道路运输证) and a driver's or escort's qualification certificate (从业资格证).
 */
export type ExpiringDocument = 'LICENCE' | 'PERMIT' | 'VEHICLE_CERTIFICATE' | 'CREW_CERTIFICATE';

const EXPIRY_RULES: Record<ExpiringDocument, { rule: ClockRule; subjectType: AlertSubjectType }> = {
  LICENCE: { rule: 'LICENCE_EXPIRING', subjectType: 'LICENCE' },
  PERMIT: { rule: 'PERMIT_EXPIRING', subjectType: 'PERMIT' },
  VEHICLE_CERTIFICATE: { rule: 'VEHICLE_CERTIFICATE_EXPIRING', subjectType: 'VEHICLE' },
  CREW_CERTIFICATE: { rule: 'CREW_CERTIFICATE_EXPIRING', subjectType: 'CREW_MEMBER' },
};

/** A document's last valid day, and when its renewal (延续, a newer document) was applied for. */
export interface ExpiryInput {
  readonly document: ExpiringDocument;
  readonly documentId: string;
  readonly validTo: string;
  readonly renewalAppliedAt?: Instant | null;
  readonly now: Date;
}

/**
 * 许可证即将到期 — a licence, permit or certificate expires within 40 working days: from 00:00 Shanghai of the
 * 40th working day before `validTo` until it expires. Renewal is due by 24:00 of the 30th working
 * day before `validTo` (Licence Measures art. 13); an application made before then ends the alert.
 * Two stages, each raised once: period `<validTo>:EXPIRING` (WARNING, due at the renewal deadline)
 * and, once that deadline has passed without an application, `<validTo>:RENEWAL_OVERDUE`
 * (CRITICAL, due at expiry). Nothing after expiry: expired documents are refused by the checks.
 */
export const documentExpiring: CalendarRule<ExpiryInput> = (input, calendar, options = {}) => {
  const subjectId = required(input.documentId, 'documentId');
  const kind = Object.hasOwn(EXPIRY_RULES, input.document) ? EXPIRY_RULES[input.document] : undefined;
  if (!kind) {
    throw DomainError.badInput(
      'document',
      `document: expected one of ${Object.keys(EXPIRY_RULES).join(', ')}`,
      { value: input.document },
    );
  }
  const { rule, subjectType } = kind;
  const validTo = assertLocalDate(input.validTo, 'validTo');
  const now = instant(input.now, 'now');
  const applied = optionalInstant(input.renewalAppliedAt, 'renewalAppliedAt');
  const limits = resolveClockLimits(options);
  const warning = calendar.subtractWorkingDays(validTo, limits.expiryWarningWorkingDays);
  const renewal = calendar.subtractWorkingDays(validTo, limits.renewalLeadWorkingDays);
  const expiresAt = shanghaiDayEnd(validTo);
  if (now < shanghaiDayStart(warning.date) || now >= expiresAt) return null;
  if (applied !== null && applied <= now && applied < renewal.endsAt) return null;
  const overdue = now >= renewal.endsAt;
  const left = calendar.workingDaysBetween(shanghaiDate(now), validTo);
  const period = `${validTo}:${overdue ? 'RENEWAL_OVERDUE' : 'EXPIRING'}`;
  const severity = overdue ? 'CRITICAL' : 'WARNING';
  return alert({ rule, subjectType, subjectId, period, severity }, overdue ? expiresAt : renewal.endsAt, {
    validTo,
    expiresAt: expiresAt.toISOString(),
    warningFrom: warning.date,
    renewalDueDate: renewal.date,
    workingDaysLeft: left.days,
    renewalAppliedAt: iso(applied),
    provisional: warning.provisional || renewal.provisional || left.provisional,
  });
};

/** A storage spot's (贮存点) stock in grams at `at` (e.g. a store-in); period: the Shanghai date of `at`. */
export interface StorageSpotInput {
  readonly facilityId: string;
  readonly stockGrams: number;
  readonly at: Instant;
}

/** 贮存点实时贮存量超过 3 吨 — a storage spot holds more than 3 t (GB 18597-2023 8.3.5). CRITICAL. */
export function storageSpotOverCap(input: StorageSpotInput, options: ClockOptions = {}): ClockAlert | null {
  const subjectId = required(input.facilityId, 'facilityId');
  const at = instant(input.at, 'at');
  const stock = input.stockGrams;
  if (!Number.isSafeInteger(stock) || stock < 0) {
    throw DomainError.badInput('stockGrams', `stockGrams: not a whole number of grams: ${stock}`);
  }
  const cap = resolveClockLimits(options).storageSpotCapGrams;
  if (stock <= cap) return null;
  const period = shanghaiDate(at);
  const severity = 'CRITICAL';
  const head: Head = { rule: 'STORAGE_SPOT_OVER_3T', subjectType: 'FACILITY', subjectId, period, severity };
  return alert(head, at, {
    stockGrams: stock,
    stockKg: formatKg(stock),
    capKg: formatKg(cap),
    excessKg: formatKg(stock - cap),
  });
}

/** The deterministic identity of an alert: `rule|subjectType|subjectId|period`. */
export const alertKey = (a: Pick<ClockAlert, 'rule' | 'subjectType' | 'subjectId' | 'period'>): string =>
  [a.rule, a.subjectType, a.subjectId, a.period].join('|');
