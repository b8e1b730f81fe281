import { DomainError } from './domain-error';
import { isLocalDate, shanghaiDate, shanghaiDayEnd } from './time';

/**
 * The official working-day calendar (工作日) and calendar arithmetic on business dates.
 *
 * A working day is a weekday that is not an official holiday (法定节假日), or a weekend day that
 * the State Council's holiday notice (国务院办公厅关于部分节假日安排的通知) makes a working day
 * (调休, make-up working day). Rows come from `seeds/cn-working-calendar.csv`; this file never
 * reads them itself. Beyond the loaded years only weekdays count, and every answer says so
 * (`provisional: true`), because the next year's notice may not be published yet.
 *
 * Dates are Asia/Shanghai business dates written `YYYY-MM-DD`. Pure: no clock, no I/O.
 */

/** How a calendar row marks a day: an official holiday, or a make-up working day (调休上班). */
export type CalendarDayKind = 'holiday' | 'workday';

/** One row of the official calendar (further columns such as name and source are ignored). */
export interface CalendarRow {
  readonly date: string;
  readonly kind: string;
}

/** Whether a date is a working day; `provisional` when its year's official calendar is not loaded. */
export interface WorkingDayStatus {
  readonly working: boolean;
  readonly provisional: boolean;
}

/**
 * A working-day deadline: the date, the instant it ends (24:00 Asia/Shanghai of that date, i.e.
 * the next day's 00:00 +08:00), and whether any day counted lies beyond the loaded years.
 */
export interface WorkingDayDeadline {
  readonly date: string;
  readonly endsAt: Date;
  readonly provisional: boolean;
}

/** A count of working days, `provisional` when any day counted lies beyond the loaded years. */
export interface WorkingDayCount {
  readonly days: number;
  readonly provisional: boolean;
}

/** A length of time (期间) in one unit. */
export interface Duration {
  readonly unit: 'HOURS' | 'DAYS' | 'WORKING_DAYS' | 'MONTHS' | 'YEARS';
  readonly amount: number;
}

/** When a duration runs out: the instant, the last day (null for hours), and whether it is provisional. */
export interface DurationEnd {
  readonly endsAt: Date;
  readonly date: string | null;
  readonly provisional: boolean;
}

/** The largest N accepted by the working-day arithmetic (about 40 years): guards against runaway loops. */
export const MAX_WORKING_DAYS = 10_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Throws `BAD_USER_INPUT` naming `field` unless `value` is a real calendar date `YYYY-MM-DD`. */
export function assertLocalDate(value: string, field = 'date'): string {
  if (typeof value !== 'string' || !isLocalDate(value)) {
    throw DomainError.badInput(field, `${field}: not a calendar date YYYY-MM-DD: ${JSON.stringify(value)}`);
  }
  return value;
}

const toEpochDay = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

const fromEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

const yearOf = (date: string): number => Number(date.slice(0, 4));

/** ISO day of the week of a business date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(toEpochDay(assertLocalDate(date)) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The date `days` calendar days after `date` (negative: before). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw DomainError.badInput('days', `days: not an integer: ${days}`);
  return fromEpochDay(toEpochDay(assertLocalDate(date)) + days);
}

/** The last day (28–31) of a month, `month` 1–12. */
export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The corresponding day `months` months later (Civil Code art. 202, 按照年、月计算期间): the same
 * day of the month, or the month's last day when it has no such day (31 Jan + 1 month = 28/29 Feb).
 */
export function addCalendarMonths(date: string, months: number): string {
  assertLocalDate(date);
  if (!Number.isSafeInteger(months))
    throw DomainError.badInput('months', `months: not an integer: ${months}`);
  const index = yearOf(date) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const day = Math.min(Number(date.slice(8, 10)), lastDayOfMonth(year, month));
  if (year < 1000 || year > 9999) throw DomainError.badInput('months', `date out of range: year ${year}`);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function assertCount(n: number, field = 'n'): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_WORKING_DAYS) {
    throw DomainError.badInput(
      field,
      `${field}: not a whole number of working days from 1 to ${MAX_WORKING_DAYS}: ${n}`,
    );
  }
  return n;
}

/**
 * 工作日历 — the official working-day calendar: weekdays, minus official holidays (法定节假日),
 * plus official make-up working days (调休). Immutable; build it once from the calendar rows.
 */
export class WorkingCalendar {
  /** The years whose official calendar is loaded (every year present in the rows), ascending. */
  readonly loadedYears: readonly number[];

  private readonly years: ReadonlySet<number>;

  private constructor(private readonly marks: ReadonlyMap<string, CalendarDayKind>) {
    this.years = new Set([...marks.keys()].map(yearOf));
    this.loadedYears = [...this.years].sort((a, b) => a - b);
  }

  /**
   * Builds the calendar from rows `{date, kind: 'holiday' | 'workday'}` (e.g. the parsed
   * `cn-working-calendar.csv`). The years present in the rows are the loaded years. Refuses a bad
   * date or kind, and a date listed twice with different kinds (`BAD_USER_INPUT`).
   */
  static fromRows(rows: readonly CalendarRow[]): WorkingCalendar {
    const marks = new Map<string, CalendarDayKind>();
    rows.forEach((row, i) => {
      const date = assertLocalDate(
        typeof row.date === 'string' ? row.date.trim() : row.date,
        `rows[${i}].date`,
      );
      const kind = typeof row.kind === 'string' ? row.kind.trim() : row.kind;
      if (kind !== 'holiday' && kind !== 'workday') {
        throw DomainError.badInput(
          `rows[${i}].kind`,
          `rows[${i}].kind: expected holiday or workday: ${JSON.stringify(row.kind)}`,
        );
      }
      const seen = marks.get(date);
      if (seen !== undefined && seen !== kind) {
        throw DomainError.badInput(`rows[${i}].date`, `${date} is listed both as ${seen} and as ${kind}`);
      }
      marks.set(date, kind);
    });
    return new WorkingCalendar(marks);
  }

  /** True when the official calendar of the date's year is loaded (answers about it are not provisional). */
  isOfficial(date: string): boolean {
    return this.years.has(yearOf(assertLocalDate(date)));
  }

  /**
   * Whether `date` is a working day (工作日). Beyond the loaded years: weekdays only, and
   * `provisional: true`.
   */
  isWorkingDay(date: string): WorkingDayStatus {
    assertLocalDate(date);
    return { working: this.working(date), provisional: !this.years.has(yearOf(date)) };
  }

  /**
   * The Nth working day after `date` (N ≥ 1), counting from the day after it (Civil Code art. 201:
   * 开始的当日不计入, 自下一日开始计算); the deadline ends at 24:00 Asia/Shanghai of that day.
   */
  addWorkingDays(date: string, n: number): WorkingDayDeadline {
    return this.walk(assertLocalDate(date), assertCount(n), +1);
  }

  /**
   * The Nth working day before `date` (N ≥ 1), counting back from the day before it; the mirror of
   * `addWorkingDays` (for "N working days before expiry"). `endsAt` is 24:00 of that day.
   */
  subtractWorkingDays(date: string, n: number): WorkingDayDeadline {
    return this.walk(assertLocalDate(date), assertCount(n), -1);
  }

  /**
   * The number of working days after `fromDate` up to and including `toDate` (exclusive of from,
   * inclusive of to), so that `workingDaysBetween(d, addWorkingDays(d, n).date).days === n`.
   * Negative when `toDate` is before `fromDate`.
   */
  workingDaysBetween(fromDate: string, toDate: string): WorkingDayCount {
    const from = toEpochDay(assertLocalDate(fromDate, 'fromDate'));
    const to = toEpochDay(assertLocalDate(toDate, 'toDate'));
    const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    let days = 0;
    let provisional = false;
    for (let d = lo + 1; d <= hi; d++) {
      const date = fromEpochDay(d);
      if (this.working(date)) days++;
      if (!this.years.has(yearOf(date))) provisional = true;
    }
    return { days: sign * days, provisional };
  }

  /**
   * "N working days after" an instant: N working days after the instant's Asia/Shanghai date,
   * ending at 24:00 Asia/Shanghai of the Nth working day (SPEC section 0).
   */
  deadlineAfter(instant: Date, n: number): WorkingDayDeadline {
    if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
      throw DomainError.badInput('instant', 'instant: not a valid date-time');
    }
    return this.addWorkingDays(shanghaiDate(instant), n);
  }

  /**
   * When `duration` after `start` runs out (期间届满): hours from the exact instant; days, working
   * days, months and years from the day after the instant's Shanghai date (Civil Code art. 201),
   * months and years to the corresponding day (art. 202), ending at 24:00 Shanghai of the last day.
   * Not extended over holidays (the rule SPEC section 0 gives for "by the 15th").
   */
  durationEnd(start: Date, duration: Duration): DurationEnd {
    const { unit, amount } = duration;
    if (!(start instanceof Date) || Number.isNaN(start.getTime())) {
      throw DomainError.badInput('start', 'start: not a valid date-time');
    }
    if (unit === 'HOURS') {
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > 24 * MAX_WORKING_DAYS) {
        throw DomainError.badInput(
          'amount',
          `amount: not a whole number of hours from 1 to ${24 * MAX_WORKING_DAYS}`,
        );
      }
      return { endsAt: new Date(start.getTime() + amount * 3_600_000), date: null, provisional: false };
    }
    const day = shanghaiDate(start);
    if (unit === 'WORKING_DAYS') return this.addWorkingDays(day, amount);
    if (unit !== 'DAYS' && unit !== 'MONTHS' && unit !== 'YEARS') {
      throw DomainError.badInput('unit', `unit: unknown: ${JSON.stringify(unit)}`);
    }
    assertCount(amount, 'amount');
    const months = unit === 'YEARS' ? amount * 12 : amount;
    const date = unit === 'DAYS' ? addCalendarDays(day, amount) : addCalendarMonths(day, months);
    return { endsAt: shanghaiDayEnd(date), date, provisional: false };
  }

  private working(date: string): boolean {
    const mark = this.marks.get(date);
    if (mark === 'holiday') return false;
    if (mark === 'workday') return true;
    return isoWeekday(date) <= 5;
  }

  private walk(start: string, n: number, step: 1 | -1): WorkingDayDeadline {
    let d = toEpochDay(start);
    let counted = 0;
    let provisional = false;
    let date = start;
    while (counted < n) {
      d += step;
      date = fromEpochDay(d);
      if (!this.years.has(yearOf(date))) provisional = true;
      if (this.working(date)) counted++;
    }
    return { date, endsAt: shanghaiDayEnd(date), provisional };
  }
}
