import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { DomainError } from './domain-error';
import {
  addCalendarDays,
  addCalendarMonths,
  isoWeekday,
  lastDayOfMonth,
  MAX_WORKING_DAYS,
  WorkingCalendar,
  type CalendarRow,
} from './working-days';

/** The official calendar as the seed file holds it (`date,kind,name,source`). */
function officialRows(): CalendarRow[] {
  const text = readFileSync(resolve(__dirname, '../../../seeds/cn-working-calendar.csv'), 'utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  expect(header.split(',').slice(0, 2)).toEqual(['date', 'kind']);
  return lines.map((line) => {
    const [date, kind] = line.split(',');
    return { date, kind };
  });
}

const cal = WorkingCalendar.fromRows(officialRows());

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
};

describe('WorkingCalendar.fromRows', () => {
  it('knows the years present in the rows', () => {
    expect(cal.loadedYears).toEqual([2025, 2026]);
    expect(cal.isOfficial('2026-12-31')).toBe(true);
    expect(cal.isOfficial('2027-01-01')).toBe(false);
    expect(cal.isOfficial('2024-12-31')).toBe(false);
  });

  it('ignores extra columns and surrounding spaces', () => {
    const c = WorkingCalendar.fromRows([
      { date: ' 2030-01-01 ', kind: 'holiday ', name: '元旦' } as CalendarRow,
    ]);
    expect(c.loadedYears).toEqual([2030]);
    expect(c.isWorkingDay('2030-01-01')).toEqual({ working: false, provisional: false });
  });

  it('refuses a bad date, a bad kind and a date listed with two kinds', () => {
    expect(codeOf(() => WorkingCalendar.fromRows([{ date: '2025-02-30', kind: 'holiday' }]))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(() => WorkingCalendar.fromRows([{ date: '2025-10-01', kind: 'Holiday' }]))).toBe(
      'BAD_USER_INPUT',
    );
    expect(() =>
      WorkingCalendar.fromRows([
        { date: '2025-10-01', kind: 'holiday' },
        { date: '2025-10-01', kind: 'workday' },
      ]),
    ).toThrow(/both as holiday and as workday/);
  });

  it('accepts the same row twice', () => {
    const c = WorkingCalendar.fromRows([
      { date: '2025-10-01', kind: 'holiday' },
      { date: '2025-10-01', kind: 'holiday' },
    ]);
    expect(c.isWorkingDay('2025-10-01').working).toBe(false);
  });

  it('with no rows, every answer is provisional and weekdays only', () => {
    const empty = WorkingCalendar.fromRows([]);
    expect(empty.loadedYears).toEqual([]);
    expect(empty.isWorkingDay('2025-10-01')).toEqual({ working: true, provisional: true });
    expect(empty.addWorkingDays('2025-09-30', 5)).toMatchObject({ date: '2025-10-07', provisional: true });
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2025-10-01', false, 'National Day, a Wednesday'],
    ['2025-10-08', false, 'last day of the 2025 National Day and Mid-Autumn holiday'],
    ['2025-09-28', true, 'make-up working Sunday before National Day'],
    ['2025-10-11', true, 'make-up working Saturday after National Day'],
    ['2025-10-12', false, 'an ordinary Sunday'],
    ['2025-10-09', true, 'an ordinary Thursday'],
    ['2026-01-04', true, 'make-up working Sunday after New Year 2026'],
    ['2026-02-23', false, 'Spring Festival 2026, a Monday'],
    ['2026-02-28', true, 'make-up working Saturday after Spring Festival 2026'],
  ])('%s → working %s (%s)', (date, working) => {
    expect(cal.isWorkingDay(date)).toEqual({ working, provisional: false });
  });

  it('beyond the loaded years: weekdays only, provisional', () => {
    expect(cal.isWorkingDay('2027-01-01')).toEqual({ working: true, provisional: true }); // a Friday; New Year not yet known
    expect(cal.isWorkingDay('2027-01-02')).toEqual({ working: false, provisional: true });
    expect(cal.isWorkingDay('2024-10-01')).toEqual({ working: true, provisional: true });
  });

  it('refuses a malformed date', () => {
    expect(codeOf(() => cal.isWorkingDay('2025-9-30'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => cal.isWorkingDay('2025-13-01'))).toBe('BAD_USER_INPUT');
  });

  it('2025 and 2026 each have 248 official working days', () => {
    // 2025: 261 weekdays − 18 weekday holidays + 5 make-up days; 2026: 261 − 19 + 6
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toEqual({ days: 248, provisional: false });
    expect(cal.workingDaysBetween('2025-01-01', '2025-12-31').days).toBe(248); // 01-01 is a holiday anyway
    expect(cal.workingDaysBetween('2024-12-30', '2025-12-31')).toEqual({ days: 249, provisional: true }); // 2024-12-31 counted
    expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).toEqual({ days: 248, provisional: false });
  });
});

describe('addWorkingDays (Civil Code art. 201: counting starts the day after)', () => {
  it('5 working days after 2025-09-30 cross the National Day holiday and the make-up Saturday 2025-10-11', () => {
    // 10-01…10-08 holiday; 10-09 Thu (1), 10-10 Fri (2), 10-11 Sat make-up (3), 10-13 Mon (4), 10-14 Tue (5)
    const d = cal.addWorkingDays('2025-09-30', 5);
    expect(d).toEqual({
      date: '2025-10-14',
      endsAt: new Date('2025-10-15T00:00:00.000+08:00'),
      provisional: false,
    });
    expect(d.endsAt.toISOString()).toBe('2025-10-14T16:00:00.000Z');
  });

  it('counts the make-up Sunday 2025-09-28 before the holiday', () => {
    // from Fri 09-26: Sun 09-28 (1), 09-29 (2), 09-30 (3), 10-09 (4), 10-10 (5)
    expect(cal.addWorkingDays('2025-09-26', 5).date).toBe('2025-10-10');
    expect(cal.addWorkingDays('2025-09-26', 1).date).toBe('2025-09-28');
  });

  it('a Friday before a normal weekend skips Saturday and Sunday', () => {
    expect(isoWeekday('2025-03-07')).toBe(5);
    expect(cal.addWorkingDays('2025-03-07', 1).date).toBe('2025-03-10');
    expect(cal.addWorkingDays('2025-03-07', 5).date).toBe('2025-03-14');
  });

  it('starting on a holiday still counts from the next day', () => {
    expect(cal.addWorkingDays('2025-10-01', 5).date).toBe('2025-10-14');
    expect(cal.addWorkingDays('2025-10-12', 1).date).toBe('2025-10-13');
  });

  it('crosses from 2025 into 2026 onto the make-up Sunday 2026-01-04', () => {
    expect(cal.addWorkingDays('2025-12-31', 1)).toMatchObject({ date: '2026-01-04', provisional: false });
  });

  it('Spring Festival 2026: the Saturday 02-14 works, then nothing until Tuesday 02-24', () => {
    expect(cal.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-14', 1).date).toBe('2026-02-24');
  });

  it('10 working days (paper fallback) after a trip ending 2026-09-24', () => {
    // 09-25…09-27 Mid-Autumn, 09-28 (1) 09-29 (2) 09-30 (3), 10-01…10-07 National Day,
    // 10-08 (4) 10-09 (5) 10-10 Sat make-up (6) 10-12 (7) 10-13 (8) 10-14 (9) 10-15 (10)
    expect(cal.addWorkingDays('2026-09-24', 10).date).toBe('2026-10-15');
  });

  it('into 2027 the answer is provisional (weekdays only)', () => {
    expect(cal.addWorkingDays('2026-12-30', 5)).toEqual({
      date: '2027-01-06',
      endsAt: new Date('2027-01-07T00:00:00.000+08:00'),
      provisional: true,
    });
    expect(cal.addWorkingDays('2026-12-28', 1)).toMatchObject({ date: '2026-12-29', provisional: false });
    expect(cal.addWorkingDays('2027-03-01', 5)).toMatchObject({ date: '2027-03-08', provisional: true });
  });

  it('a weekend beyond the loaded years makes the answer provisional too', () => {
    // Thu 2026-12-31 → Fri 2027-01-01 is the first day counted
    expect(cal.addWorkingDays('2026-12-31', 1)).toMatchObject({ date: '2027-01-01', provisional: true });
  });

  it('refuses N that is not a whole number from 1 to MAX_WORKING_DAYS', () => {
    for (const n of [0, -1, 1.5, Number.NaN, MAX_WORKING_DAYS + 1]) {
      expect(codeOf(() => cal.addWorkingDays('2025-09-30', n))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(() => cal.addWorkingDays('2025-09-31', 1))).toBe('BAD_USER_INPUT');
  });
});

describe('subtractWorkingDays', () => {
  it('counts back from the day before, skipping holidays and counting make-up days', () => {
    // back from Tue 10-14: 10-13 (1), 10-11 Sat make-up (2), 10-10 (3), 10-09 (4), 09-30 (5)
    expect(cal.subtractWorkingDays('2025-10-14', 5)).toMatchObject({
      date: '2025-09-30',
      provisional: false,
    });
    expect(cal.subtractWorkingDays('2026-01-05', 1).date).toBe('2026-01-04');
    expect(cal.subtractWorkingDays('2026-01-04', 1).date).toBe('2025-12-31');
  });

  it('before the loaded years is provisional', () => {
    expect(cal.subtractWorkingDays('2025-01-02', 1)).toMatchObject({ date: '2024-12-31', provisional: true });
  });
});

describe('workingDaysBetween (exclusive of from, inclusive of to)', () => {
  it('counts the days of a deadline', () => {
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-14')).toEqual({ days: 5, provisional: false });
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-08')).toEqual({ days: 0, provisional: false });
    expect(cal.workingDaysBetween('2025-03-07', '2025-03-07')).toEqual({ days: 0, provisional: false });
    expect(cal.workingDaysBetween('2025-03-06', '2025-03-07')).toEqual({ days: 1, provisional: false });
  });

  it('is negative backwards', () => {
    expect(cal.workingDaysBetween('2025-10-14', '2025-09-30')).toEqual({ days: -5, provisional: false });
  });

  it('is provisional when a day beyond the loaded years is counted', () => {
    expect(cal.workingDaysBetween('2026-12-30', '2027-01-06')).toEqual({ days: 5, provisional: true });
    expect(cal.workingDaysBetween('2026-12-30', '2026-12-31')).toEqual({ days: 1, provisional: false });
  });

  it('is the inverse of addWorkingDays (property)', () => {
    const start = Date.UTC(2024, 9, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 120 }), (offset, n) => {
        const d = new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
        const due = cal.addWorkingDays(d, n);
        expect(cal.isWorkingDay(due.date).working).toBe(true);
        expect(cal.workingDaysBetween(d, due.date).days).toBe(n);
        // the day before the deadline is one working day short
        expect(cal.workingDaysBetween(d, addCalendarDays(due.date, -1)).days).toBe(n - 1);
        // from a working day, going forward then back returns to it
        if (cal.isWorkingDay(d).working) expect(cal.subtractWorkingDays(due.date, n).date).toBe(d);
        expect(due.provisional).toBe(cal.workingDaysBetween(d, due.date).provisional);
      }),
    );
  });
});

describe('deadlineAfter (the Shanghai date of the instant)', () => {
  it('an instant at 23:59:59.999 Shanghai counts from that date, one millisecond later from the next', () => {
    // Thu 2025-03-06 23:59:59.999 +08:00 → from Thu: Fri 07 (1) … Thu 13 (5)
    expect(cal.deadlineAfter(new Date('2025-03-06T15:59:59.999Z'), 5)).toMatchObject({ date: '2025-03-13' });
    // Fri 2025-03-07 00:00 +08:00 (still 03-06 in UTC) → from Fri: Mon 10 (1) … Fri 14 (5)
    const d = cal.deadlineAfter(new Date('2025-03-06T16:00:00.000Z'), 5);
    expect(d).toEqual({
      date: '2025-03-14',
      endsAt: new Date('2025-03-14T16:00:00.000Z'),
      provisional: false,
    });
  });

  it('a delivery in the evening before National Day', () => {
    expect(cal.deadlineAfter(new Date('2025-09-30T13:30:00.000Z'), 5).date).toBe('2025-10-14');
  });

  it('refuses an invalid instant', () => {
    expect(codeOf(() => cal.deadlineAfter(new Date('not a date'), 5))).toBe('BAD_USER_INPUT');
  });
});

describe('calendar arithmetic', () => {
  it('adds calendar days across months and years', () => {
    expect(addCalendarDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addCalendarDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('adds months to the corresponding day, or the month end (Civil Code art. 202)', () => {
    expect(addCalendarMonths('2025-03-10', 12)).toBe('2026-03-10');
    expect(addCalendarMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addCalendarMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addCalendarMonths('2025-12-15', 1)).toBe('2026-01-15');
    expect(addCalendarMonths('2025-01-15', -1)).toBe('2024-12-15');
  });

  it('knows month lengths', () => {
    expect(lastDayOfMonth(2024, 2)).toBe(29);
    expect(lastDayOfMonth(2025, 2)).toBe(28);
    expect(lastDayOfMonth(2025, 12)).toBe(31);
  });

  it('names ISO weekdays', () => {
    expect(isoWeekday('2025-10-01')).toBe(3);
    expect(isoWeekday('2025-10-12')).toBe(7);
  });
});

describe('durationEnd (期间届满)', () => {
  it('hours run from the exact instant', () => {
    expect(cal.durationEnd(new Date('2025-09-30T10:15:30.123+08:00'), { unit: 'HOURS', amount: 48 })).toEqual(
      {
        endsAt: new Date('2025-10-02T10:15:30.123+08:00'),
        date: null,
        provisional: false,
      },
    );
  });

  it('working days count from the day after the Shanghai date and end at 24:00 Shanghai', () => {
    // 2025-09-30 23:30 Shanghai is 15:30 UTC the same day; 90 working days cross National Day and New Year
    expect(
      cal.durationEnd(new Date('2025-09-30T15:30:00.000Z'), { unit: 'WORKING_DAYS', amount: 90 }),
    ).toEqual({
      endsAt: new Date('2026-02-12T00:00:00.000+08:00'),
      date: '2026-02-11',
      provisional: false,
    });
    expect(
      cal.durationEnd(new Date('2026-10-01T09:00:00+08:00'), { unit: 'WORKING_DAYS', amount: 90 }),
    ).toMatchObject({
      date: '2027-02-09',
      provisional: true,
    });
  });

  it('years and months reach the corresponding day (or the month end), days are plain calendar days', () => {
    const at = new Date('2024-02-29T09:00:00+08:00');
    expect(cal.durationEnd(at, { unit: 'YEARS', amount: 1 })).toMatchObject({ date: '2025-02-28' });
    expect(cal.durationEnd(at, { unit: 'MONTHS', amount: 1 })).toMatchObject({ date: '2024-03-29' });
    expect(cal.durationEnd(at, { unit: 'DAYS', amount: 1 })).toEqual({
      endsAt: new Date('2024-03-01T16:00:00.000Z'),
      date: '2024-03-01',
      provisional: false,
    });
  });

  it('is not extended over a holiday', () => {
    // one year after 2024-10-01 is National Day 2025
    expect(cal.durationEnd(new Date('2024-10-01T12:00:00+08:00'), { unit: 'YEARS', amount: 1 }).date).toBe(
      '2025-10-01',
    );
  });

  it('refuses a bad unit, amount or instant', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    expect(codeOf(() => cal.durationEnd(at, { unit: 'WEEKS' as 'DAYS', amount: 1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => cal.durationEnd(at, { unit: 'HOURS', amount: 0 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => cal.durationEnd(at, { unit: 'YEARS', amount: 1.5 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => cal.durationEnd(new Date(Number.NaN), { unit: 'DAYS', amount: 1 }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
