import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDayEnd } from '../../shared/domain/time';
import { assertLocalDate, lastDayOfMonth } from '../../shared/domain/working-days';

/**
 * Reporting periods and deadlines of the 多流合一 flows (SPEC section 9; HJ 1259-2022 ch. 5 and 7):
 * declarations (申报), the licence holders' annual operation report (持证单位年报) and the
 * management plan (管理计划). Every deadline is a business date in Asia/Shanghai that ends at
 * 24:00 of that day (SPEC section 0); none is moved when it falls on a holiday. Pure.
 */

/** 管理类别 — a producer site's management class for a calendar year (HJ 1259-2022). */
export type ManagementClass = 'KEY' | 'SIMPLIFIED' | 'REGISTRATION';

/**
 * The declaration kinds: 月度申报, 季度申报, 年度申报 (owed by producer sites by management class),
 * and 持证单位年报 OPERATION_REPORT (owed by every site named on a licence in force in the year).
 */
export type DeclarationKind = 'MONTHLY' | 'QUARTERLY' | 'ANNUAL' | 'OPERATION_REPORT';

/** The kinds a management class files; the operation report depends on licences, not on the class. */
export type ClassDeclarationKind = Exclude<DeclarationKind, 'OPERATION_REPORT'>;

/** One reporting period: inclusive business dates, and its deadline as a date and as an instant. */
export interface ReportingPeriod {
  readonly kind: DeclarationKind;
  /** `2025-03` (month), `2025-Q1` (quarter) or `2025` (year): stable, usable as an alert period. */
  readonly label: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly dueDate: string;
  /** 24:00 Asia/Shanghai of `dueDate` (the next day's 00:00 +08:00): from this instant it is overdue. */
  readonly dueAt: Date;
}

/** The management plan's filing deadline for a plan year. */
export interface PlanDeadline {
  readonly planYear: number;
  readonly dueDate: string;
  readonly dueAt: Date;
}

/**
 * 申报周期 — which declarations each management class files (SPEC section 9): 重点监管 KEY monthly
 * and annually, 简化管理 SIMPLIFIED quarterly and annually, 登记管理 REGISTRATION annually.
 */
export const DECLARATION_KINDS_BY_CLASS: Readonly<Record<ManagementClass, readonly ClassDeclarationKind[]>> =
  {
    KEY: ['MONTHLY', 'ANNUAL'],
    SIMPLIFIED: ['QUARTERLY', 'ANNUAL'],
    REGISTRATION: ['ANNUAL'],
  };

/** Whether a site of `managementClass` files declarations of `kind` (never OPERATION_REPORT: see there). */
export const classFiles = (managementClass: ManagementClass, kind: DeclarationKind): boolean =>
  (DECLARATION_KINDS_BY_CLASS[managementClass] as readonly DeclarationKind[]).includes(kind);

/** Monthly and quarterly declarations are due by this day of the month after the period (每月/季首月 15 日前). */
export const PERIODIC_DUE_DAY = 15;

/** Annual declarations, annual operation reports and management plans are due by 31 March (3 月 31 日前). */
export const ANNUAL_DUE = { month: 3, day: 31 } as const;

const pad = (n: number): string => String(n).padStart(2, '0');
const ymd = (year: number, month: number, day: number): string => `${year}-${pad(month)}-${pad(day)}`;

function assertYear(year: number, field = 'year'): number {
  if (!Number.isSafeInteger(year) || year < 1000 || year > 9998) {
    throw DomainError.badInput(field, `${field}: not a calendar year: ${year}`);
  }
  return year;
}

function assertClass(managementClass: ManagementClass): ManagementClass {
  if (!Object.hasOwn(DECLARATION_KINDS_BY_CLASS, managementClass)) {
    throw DomainError.badInput(
      'managementClass',
      `managementClass: unknown: ${JSON.stringify(managementClass)}`,
    );
  }
  return managementClass;
}

const period = (
  kind: DeclarationKind,
  label: string,
  periodStart: string,
  periodEnd: string,
  dueDate: string,
): ReportingPeriod => ({
  kind,
  label,
  periodStart,
  periodEnd,
  dueDate,
  dueAt: shanghaiDayEnd(dueDate),
});

/** 月度申报 — the month `month` (1–12) of `year`, due by the 15th of the next month. */
function monthly(year: number, month: number): ReportingPeriod {
  const [dueYear, dueMonth] = month === 12 ? [year + 1, 1] : [year, month + 1];
  return period(
    'MONTHLY',
    `${year}-${pad(month)}`,
    ymd(year, month, 1),
    ymd(year, month, lastDayOfMonth(year, month)),
    ymd(dueYear, dueMonth, PERIODIC_DUE_DAY),
  );
}

/** 季度申报 — quarter `quarter` (1–4) of `year`, due by the 15th of the first month of the next quarter. */
function quarterly(year: number, quarter: number): ReportingPeriod {
  const firstMonth = quarter * 3 - 2;
  const lastMonth = quarter * 3;
  const [dueYear, dueMonth] = quarter === 4 ? [year + 1, 1] : [year, lastMonth + 1];
  return period(
    'QUARTERLY',
    `${year}-Q${quarter}`,
    ymd(year, firstMonth, 1),
    ymd(year, lastMonth, lastDayOfMonth(year, lastMonth)),
    ymd(dueYear, dueMonth, PERIODIC_DUE_DAY),
  );
}

/** 年度申报 — the calendar year, due by 31 March of the next year. */
function annual(year: number): ReportingPeriod {
  return period(
    'ANNUAL',
    String(year),
    ymd(year, 1, 1),
    ymd(year, 12, 31),
    ymd(year + 1, ANNUAL_DUE.month, ANNUAL_DUE.day),
  );
}

/**
 * 申报期 — every declaration a site of `managementClass` owes for the periods of `year`, ordered by
 * deadline: KEY 12 monthly + 1 annual, SIMPLIFIED 4 quarterly + 1 annual, REGISTRATION 1 annual.
 * (The class is fixed for a calendar year on 1 January, so one class covers the whole year.)
 */
export function declarationPeriods(managementClass: ManagementClass, year: number): ReportingPeriod[] {
  assertYear(year);
  const kinds = DECLARATION_KINDS_BY_CLASS[assertClass(managementClass)];
  const out: ReportingPeriod[] = [];
  if (kinds.includes('MONTHLY')) for (let m = 1; m <= 12; m++) out.push(monthly(year, m));
  if (kinds.includes('QUARTERLY')) for (let q = 1; q <= 4; q++) out.push(quarterly(year, q));
  if (kinds.includes('ANNUAL')) out.push(annual(year));
  return out;
}

/** The reporting period of `kind` that contains the business date `date` (`YYYY-MM-DD`, Asia/Shanghai). */
export function periodContaining(kind: DeclarationKind, date: string): ReportingPeriod {
  assertLocalDate(date);
  const year = assertYear(Number(date.slice(0, 4)), 'date');
  const month = Number(date.slice(5, 7));
  switch (kind) {
    case 'MONTHLY':
      return monthly(year, month);
    case 'QUARTERLY':
      return quarterly(year, Math.ceil(month / 3));
    case 'ANNUAL':
      return annual(year);
    case 'OPERATION_REPORT':
      return annualOperationReport(year);
    default:
      throw DomainError.badInput('kind', `kind: unknown declaration kind: ${JSON.stringify(kind)}`);
  }
}

/**
 * 持证单位年报 — a licence holder's annual operation report for `year` (the calendar year, label
 * `2026`), due by 31 March of the next year, like the annual declaration but a kind of its own.
 */
export function annualOperationReport(year: number): ReportingPeriod {
  return { ...annual(assertYear(year)), kind: 'OPERATION_REPORT' };
}

/** 管理计划备案 — the management plan for `planYear` is filed by 31 March of that same year. */
export function managementPlanDeadline(planYear: number): PlanDeadline {
  assertYear(planYear, 'planYear');
  const dueDate = ymd(planYear, ANNUAL_DUE.month, ANNUAL_DUE.day);
  return { planYear, dueDate, dueAt: shanghaiDayEnd(dueDate) };
}

function assertInstant(d: Date, field: string): number {
  if (!(d instanceof Date) || Number.isNaN(d.getTime()))
    throw DomainError.badInput(field, `${field}: not a valid date-time`);
  return d.getTime();
}

/**
 * 逾期 — whether a filing due at `dueAt` is overdue at `now`: from `dueAt` on, unless it was
 * submitted before `dueAt`. A filing submitted at or after `dueAt` stays overdue (it was late).
 */
export function isOverdue(dueAt: Date, now: Date, submittedAt?: Date | null): boolean {
  const due = assertInstant(dueAt, 'dueAt');
  const at = assertInstant(now, 'now');
  if (submittedAt != null && assertInstant(submittedAt, 'submittedAt') < due) return false;
  return at >= due;
}

/**
 * 适用的管理计划 — the plan year that governs a manifest at business date `date` (SPEC section 6
 * plan rule): the plan of the date's own year when it is filed; else, up to and including 31 March,
 * the previous year's plan when that is filed; else `null` (no plan in force).
 * `filedPlanYears` are the years whose plan had been filed at the time of the act.
 */
export function planYearInForce(date: string, filedPlanYears: readonly number[]): number | null {
  assertLocalDate(date);
  const year = Number(date.slice(0, 4));
  if (filedPlanYears.includes(year)) return year;
  const graceEnds = ymd(year, ANNUAL_DUE.month, ANNUAL_DUE.day);
  if (date <= graceEnds && filedPlanYears.includes(year - 1)) return year - 1;
  return null;
}
