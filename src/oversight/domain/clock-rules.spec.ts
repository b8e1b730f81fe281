import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { DomainError } from '../../shared/domain/domain-error';
import { WorkingCalendar } from '../../shared/domain/working-days';
import {
  alertKey,
  DEFAULT_CLOCK_LIMITS as D,
  documentExpiring,
  lotNotShippedWithinLimit,
  medicalCollectionIntervalExceeded,
  paperManifestEnteredLate,
  receiptNotConfirmed,
  resolveClockLimits,
  storageDeadline,
  storageSpotOverCap,
  storageTimeExceeded,
  type ClockAlert,
  type ClockOptions,
  type CustodianKind,
  type StorageLimit,
} from './clock-rules';

const csv = readFileSync(resolve(__dirname, '../../../seeds/cn-working-calendar.csv'), 'utf8');
const rows = csv.trim().split(/\r?\n/).slice(1);
const cal = WorkingCalendar.fromRows(rows.map((l) => ({ date: l.split(',')[0], kind: l.split(',')[1] })));

/** An instant given as Asia/Shanghai wall time: `sh('2025-10-01', '08:00')`. */
const sh = (date: string, time = '00:00'): Date => new Date(`${date}T${time}:00.000+08:00`);
const before = (d: Date): Date => new Date(d.getTime() - 1);
const later = (d: Date, hours: number): Date => new Date(d.getTime() + hours * 3_600_000);

function refused(f: () => unknown): void {
  expect(f).toThrow(DomainError);
  expect(f).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }) as Error);
}

const present = (a: ClockAlert | null): ClockAlert => {
  expect(a).not.toBeNull();
  return a as ClockAlert;
};

/**
 * The condition starts exactly at `due`: null one millisecond before, an alert at `due` (whose
 * `dueAt` is `dueAt`), the same alert for the same inputs, the same identity an hour later.
 */
function raisedAt(evaluate: (now: Date) => ClockAlert | null, due: Date, dueAt = due): ClockAlert {
  expect(evaluate(before(due))).toBeNull();
  const a = present(evaluate(due));
  expect(evaluate(due)).toEqual(a);
  expect(alertKey(present(evaluate(later(due, 1))))).toBe(alertKey(a));
  expect(a.dueAt).toBe(dueAt.toISOString());
  return a;
}

describe('limits', () => {
  it('default to the SPEC numbers', () => {
    const storage = Object.values(D.storage).map((l) => `${l.amount} ${l.unit}`);
    expect(storage).toEqual(['48 HOURS', '90 WORKING_DAYS', '1 YEARS', '1 YEARS']); // medical, collector, pilot, other
    expect([D.medicalCollectionIntervalHours, D.receiptConfirmationWorkingDays]).toEqual([48, 5]);
    expect([D.paperEntryWorkingDays, D.expiryWarningWorkingDays]).toEqual([10, 40]);
    expect([D.renewalLeadWorkingDays, D.storageSpotCapGrams]).toEqual([30, 3_000_000]);
  });

  it('can be overridden one by one, storage per custodian kind', () => {
    const pilot = { unit: 'DAYS', amount: 9 } as const;
    const l = resolveClockLimits({ paperEntryWorkingDays: 15, storage: { PILOT_COLLECTOR: pilot } });
    expect([l.paperEntryWorkingDays, l.receiptConfirmationWorkingDays]).toEqual([15, 5]);
    expect([l.storage.PILOT_COLLECTOR, l.storage.COLLECTOR]).toEqual([pilot, D.storage.COLLECTOR]);
  });

  it('refuse limits that are not positive whole numbers', () => {
    refused(() => resolveClockLimits({ receiptConfirmationWorkingDays: 0 }));
    refused(() => resolveClockLimits({ storageSpotCapGrams: 2.5 }));
    refused(() => resolveClockLimits({ expiryWarningWorkingDays: -40 }));
    const zero: ClockOptions = { storage: { OTHER: { unit: 'YEARS', amount: 0 } } };
    refused(() => storageDeadline(sh('2025-01-01'), 'OTHER', cal, zero));
  });
});

describe('storageDeadline (贮存期限)', () => {
  it('medical: 48 hours from the exact instant; the period is that instant', () => {
    const d = storageDeadline('2025-09-30T10:15:30.123+08:00', 'MEDICAL_PRODUCER', cal);
    expect(d.period).toBe('2025-10-02T02:15:30.123Z');
    expect(d.dueAt).toEqual(new Date('2025-10-02T10:15:30.123+08:00'));
  });

  it('collector: 90 working days from the day after receipt, ending 24:00 Shanghai', () => {
    const d = storageDeadline('2025-09-30T10:00:00+08:00', 'COLLECTOR', cal);
    expect([d.period, d.provisional, d.limit]).toEqual(['2026-02-11', false, D.storage.COLLECTOR]);
    expect(d.dueAt).toEqual(sh('2026-02-12'));
    const beyond = storageDeadline(sh('2026-10-01', '10:00'), 'COLLECTOR', cal);
    expect([beyond.period, beyond.provisional]).toEqual(['2027-02-09', true]);
  });

  it('pilot collectors and others: 1 year to the corresponding day of the Shanghai date', () => {
    expect(storageDeadline(sh('2024-02-29', '09:00'), 'PILOT_COLLECTOR', cal).period).toBe('2025-02-28');
    const lateEvening = storageDeadline('2025-03-10T15:30:00Z', 'OTHER', cal); // 23:30 Shanghai
    expect([lateEvening.period, lateEvening.dueAt]).toEqual(['2026-03-10', sh('2026-03-11')]);
    expect(storageDeadline('2025-03-10T16:30:00Z', 'OTHER', cal).period).toBe('2026-03-11'); // 00:30
  });

  it('pilot collectors have a configurable period', () => {
    const pilotDue = (start: string, limit: StorageLimit) =>
      storageDeadline(sh(start), 'PILOT_COLLECTOR', cal, { storage: { PILOT_COLLECTOR: limit } }).period;
    expect(pilotDue('2025-08-31', { unit: 'MONTHS', amount: 6 })).toBe('2026-02-28');
    expect(pilotDue('2025-01-01', { unit: 'DAYS', amount: 180 })).toBe('2025-06-30');
  });

  it('refuses an unknown custodian kind and an instant without an offset', () => {
    refused(() => storageDeadline('2025-01-01T00:00:00Z', 'DRIVER' as CustodianKind, cal));
    refused(() => storageDeadline('2025-01-01T08:00:00', 'OTHER', cal));
    refused(() => storageDeadline('2025-01-01', 'OTHER', cal));
    refused(() => storageDeadline(new Date(Number.NaN), 'OTHER', cal));
  });
});

const clock = (custodianKind: CustodianKind, clockStartedAt: Date | string, lotId = 'lot-1') =>
  ({ lotId, custodianKind, clockStartedAt }) as const;

describe('storageTimeExceeded (超期贮存)', () => {
  const medical = clock('MEDICAL_PRODUCER', '2025-10-01T08:00:00+08:00');
  const due = sh('2025-10-03', '08:00');

  it('medical: raised at 48 h, CRITICAL, with its evidence', () => {
    const a = raisedAt((now) => storageTimeExceeded({ ...medical, now }, cal), due);
    expect(alertKey(a)).toBe('STORAGE_TIME_EXCEEDED|LOT|lot-1|2025-10-03T00:00:00.000Z');
    const e = a.evidence;
    expect([a.severity, e.custodianKind, e.custodianId]).toEqual(['CRITICAL', 'MEDICAL_PRODUCER', null]);
    expect([e.clockStartedAt, e.clockStoppedAt]).toEqual(['2025-10-01T00:00:00.000Z', null]);
    expect([e.limitUnit, e.limitAmount, e.provisional]).toEqual(['HOURS', 48, false]);
  });

  it('collector: raised at 24:00 Shanghai of the 90th working day, WARNING', () => {
    const input = clock('COLLECTOR', sh('2025-09-30', '10:00'), 'lot-2');
    const a = raisedAt((now) => storageTimeExceeded({ ...input, now }, cal), sh('2026-02-12'));
    expect([a.period, a.severity, a.evidence.limitAmount]).toEqual(['2026-02-11', 'WARNING', 90]);
  });

  it('other custodians: 1 year', () => {
    const input = clock('OTHER', sh('2025-03-10', '09:00'), 'lot-3');
    const a = raisedAt((now) => storageTimeExceeded({ ...input, now }, cal), sh('2026-03-11'));
    expect(a.period).toBe('2026-03-10');
  });

  it('a lot that left before the deadline never alerts; one that left at or after it does', () => {
    const now = later(due, 100);
    expect(storageTimeExceeded({ ...medical, clockStoppedAt: before(due), now }, cal)).toBeNull();
    const late = present(storageTimeExceeded({ ...medical, clockStoppedAt: due, now }, cal));
    expect(late.evidence.clockStoppedAt).toBe(due.toISOString());
  });

  it("the custodian's id, when given, is part of the period", () => {
    const a = present(storageTimeExceeded({ ...medical, custodianId: 'party-9', now: due }, cal));
    expect([a.period, a.evidence.custodianId]).toEqual(['party-9:2025-10-03T00:00:00.000Z', 'party-9']);
  });

  it('is raised exactly at the deadline for any clock and custodian kind (property)', () => {
    const kinds: CustodianKind[] = ['MEDICAL_PRODUCER', 'COLLECTOR', 'PILOT_COLLECTOR', 'OTHER'];
    const from = Date.parse('2025-01-01T00:00:00Z');
    const property = fc.property(fc.nat(700 * 86_400_000), fc.constantFrom(...kinds), (offset, kind) => {
      const input = clock(kind, new Date(from + offset));
      const { dueAt } = storageDeadline(input.clockStartedAt, kind, cal);
      expect(dueAt.getTime()).toBeGreaterThan(from + offset);
      raisedAt((now) => storageTimeExceeded({ ...input, now }, cal), dueAt);
    });
    fc.assert(property, { numRuns: 200 });
  });

  it('refuses a missing lot id', () => {
    refused(() => storageTimeExceeded({ ...medical, lotId: ' ', now: due }, cal));
  });
});

describe('lotNotShippedWithinLimit (产生后超期未转移)', () => {
  const lot = clock('OTHER', sh('2025-03-10', '09:00'), 'lot-7');
  const due = sh('2026-03-11');

  it('raised at the limit while the lot has not left', () => {
    const a = raisedAt((now) => lotNotShippedWithinLimit({ ...lot, now }, cal), due);
    expect([a.rule, a.period, a.severity]).toEqual(['LOT_NOT_SHIPPED_WITHIN_LIMIT', '2026-03-10', 'WARNING']);
  });

  it('a first outbound movement before the limit ends it; one at the limit is late', () => {
    const now = later(due, 1);
    expect(lotNotShippedWithinLimit({ ...lot, clockStoppedAt: before(due), now }, cal)).toBeNull();
    expect(lotNotShippedWithinLimit({ ...lot, clockStoppedAt: due, now }, cal)).not.toBeNull();
  });

  it('medical producers: 48 h, CRITICAL; an identity apart from the storage-time alert', () => {
    const med = clock('MEDICAL_PRODUCER', sh('2025-10-01', '08:00'), 'lot-8');
    const at = sh('2025-10-03', '08:00');
    const a = raisedAt((now) => lotNotShippedWithinLimit({ ...med, now }, cal), at);
    expect(a.severity).toBe('CRITICAL');
    expect(alertKey(a)).not.toBe(alertKey(present(storageTimeExceeded({ ...med, now: at }, cal))));
  });
});

describe('medicalCollectionIntervalExceeded (医疗废物收集间隔超过 48 小时)', () => {
  const base = { institutionId: 'clinic-1', holdsUncollectedWaste: true, lastCollectionAt: sh('2025-10-01') };
  const due = sh('2025-10-03');
  const interval = (extra: object, options?: ClockOptions) => (now: Date) =>
    medicalCollectionIntervalExceeded({ ...base, ...extra, now }, options);

  it('raised 48 h after the last collection, CRITICAL', () => {
    const a = raisedAt(interval({}), due);
    expect(alertKey(a)).toBe('MEDICAL_COLLECTION_INTERVAL_EXCEEDED|PARTY|clinic-1|2025-10-02T16:00:00.000Z');
    const e = a.evidence;
    expect(e.intervalStartedAt).toBe('2025-09-30T16:00:00.000Z');
    expect(e.lastCollectionAt).toBe(e.intervalStartedAt);
    expect([a.severity, e.intervalHours, e.firstUncollectedGeneratedAt]).toEqual(['CRITICAL', 48, null]);
  });

  it('nothing while the institution holds no waste', () => {
    expect(interval({ holdsUncollectedWaste: false })(later(due, 99))).toBeNull();
  });

  it('counts from waste generated after the last collection', () => {
    const generated = { firstUncollectedGeneratedAt: sh('2025-10-05', '14:00') };
    const a = raisedAt(interval(generated), sh('2025-10-07', '14:00'));
    expect(a.evidence.intervalStartedAt).toBe('2025-10-05T06:00:00.000Z');
  });

  it('counts from the last collection when older waste was left behind', () => {
    raisedAt(interval({ firstUncollectedGeneratedAt: sh('2025-09-30', '08:00') }), due);
  });

  it('with no collection yet, counts from the oldest waiting waste', () => {
    raisedAt(interval({ lastCollectionAt: null, firstUncollectedGeneratedAt: sh('2025-10-01') }), due);
  });

  it('the interval is configurable', () => {
    raisedAt(interval({}, { medicalCollectionIntervalHours: 24 }), sh('2025-10-02'));
  });

  it('refuses waste held with neither a collection nor a generation time', () => {
    refused(() => interval({ lastCollectionAt: null })(due));
  });
});

describe('receiptNotConfirmed (接受人 5 个工作日内未确认)', () => {
  // delivered Tue 2025-09-30 18:00 Shanghai: 5 working days across National Day → Tue 2025-10-14
  const input = { manifestId: 'mf-1', from: '2025-09-30T18:00:00+08:00' };
  const due = sh('2025-10-15');
  const receipt = (extra: object, options?: ClockOptions) => (now: Date) =>
    receiptNotConfirmed({ ...input, ...extra, now }, cal, options);

  it('null at 23:59:59.999 on the 5th working day, WARNING from 00:00 the next day', () => {
    const a = raisedAt(receipt({}), due);
    expect(alertKey(a)).toBe('RECEIPT_NOT_CONFIRMED|MANIFEST|mf-1|2025-10-14');
    const e = a.evidence;
    expect([a.severity, e.from, e.fromDate]).toEqual(['WARNING', '2025-09-30T10:00:00.000Z', '2025-09-30']);
    expect([e.workingDays, e.dueDate, e.doneAt, e.provisional]).toEqual([5, '2025-10-14', null, false]);
  });

  it('a confirmation before the deadline ends it; one at or after it is recorded late, same identity', () => {
    const now = sh('2025-10-20', '09:00');
    expect(receipt({ doneAt: before(due) })(now)).toBeNull();
    const late = present(receipt({ doneAt: due })(now));
    expect(late.evidence.doneAt).toBe(due.toISOString());
    expect(alertKey(late)).toBe(alertKey(present(receipt({})(due))));
  });

  it('counts from the Shanghai date of the delivery (Thursday 23:59:59.999 vs Friday 00:00)', () => {
    const thursday = raisedAt(receipt({ from: '2025-03-06T15:59:59.999Z' }), sh('2025-03-14'));
    const friday = raisedAt(receipt({ from: '2025-03-06T16:00:00.000Z' }), sh('2025-03-15'));
    expect([thursday.period, friday.period]).toEqual(['2025-03-13', '2025-03-14']);
  });

  it('is provisional beyond the loaded calendar', () => {
    const a = raisedAt(receipt({ from: sh('2026-12-30', '10:00') }), sh('2027-01-07'));
    expect([a.period, a.evidence.provisional]).toEqual(['2027-01-06', true]);
  });

  it('the number of working days is configurable', () => {
    const a = raisedAt(receipt({}, { receiptConfirmationWorkingDays: 2 }), sh('2025-10-11'));
    expect(a.period).toBe('2025-10-10'); // 10-09 (1), 10-10 (2)
  });
});

describe('paperManifestEnteredLate (纸质联单超期补录)', () => {
  // trip ended Thu 2026-09-24: 10 working days across Mid-Autumn and National Day → Thu 2026-10-15
  const input = { manifestId: 'mf-p', from: sh('2026-09-24', '15:00') };
  const due = sh('2026-10-16');
  const paper = (doneAt: Date | null) => (now: Date) =>
    paperManifestEnteredLate({ ...input, doneAt, now }, cal);

  it('entered at 23:59:59.999 on the 10th working day: null; at 00:00 the next day: WARNING', () => {
    expect(paper(before(due))(later(due, 1))).toBeNull();
    const a = present(paper(due)(later(due, 1)));
    expect([a.rule, a.period, a.severity]).toEqual(['PAPER_MANIFEST_ENTERED_LATE', '2026-10-15', 'WARNING']);
    expect(a.evidence).toMatchObject({ workingDays: 10, doneAt: '2026-10-15T16:00:00.000Z' });
  });

  it('not entered yet: from the deadline on, with the same identity as a late entry', () => {
    const pending = raisedAt(paper(null), due);
    expect(alertKey(present(paper(later(due, 30))(later(due, 31))))).toBe(alertKey(pending));
  });
});

describe('documentExpiring (许可证即将到期)', () => {
  // validTo Thu 2026-12-31: the 40th working day before is 2026-11-05, the 30th 2026-11-19
  const licence = { document: 'LICENCE' as const, documentId: 'lic-1', validTo: '2026-12-31' };
  const [opens, renewalDue, expires] = [sh('2026-11-05'), sh('2026-11-20'), sh('2027-01-01')];
  const expiring = (extra: object, options?: ClockOptions) => (now: Date) =>
    documentExpiring({ ...licence, ...extra, now }, cal, options);

  it('raised (WARNING) from 00:00 of the day 40 working days remain, due at the renewal deadline', () => {
    expect(raisedAt(expiring({}), opens, renewalDue)).toEqual({
      rule: 'LICENCE_EXPIRING',
      subjectType: 'LICENCE',
      subjectId: 'lic-1',
      period: '2026-12-31:EXPIRING',
      severity: 'WARNING',
      dueAt: '2026-11-19T16:00:00.000Z',
      evidence: {
        validTo: '2026-12-31',
        expiresAt: '2026-12-31T16:00:00.000Z',
        warningFrom: '2026-11-05',
        renewalDueDate: '2026-11-19',
        workingDaysLeft: 40,
        renewalAppliedAt: null,
        provisional: false,
      },
    });
    expect(alertKey(present(expiring({})(before(renewalDue))))).toBe(alertKey(present(expiring({})(opens))));
  });

  it('escalates once when the renewal deadline passes without an application, and stops at expiry', () => {
    const overdue = raisedAt((now) => (now < renewalDue ? null : expiring({})(now)), renewalDue, expires);
    expect([overdue.period, overdue.severity]).toEqual(['2026-12-31:RENEWAL_OVERDUE', 'CRITICAL']);
    expect(present(expiring({})(before(renewalDue))).period).toBe('2026-12-31:EXPIRING');
    expect(alertKey(present(expiring({})(before(expires))))).toBe(alertKey(overdue));
    expect(expiring({})(expires)).toBeNull();
  });

  it('a renewal applied before its deadline ends the alert; a later one does not', () => {
    const now = sh('2026-12-01', '10:00');
    expect(expiring({ renewalAppliedAt: before(renewalDue) })(now)).toBeNull();
    expect(expiring({ renewalAppliedAt: renewalDue })(now)?.severity).toBe('CRITICAL');
    // an application recorded after `now` is not known yet
    expect(expiring({ renewalAppliedAt: sh('2026-11-10', '10:00') })(opens)?.severity).toBe('WARNING');
  });

  it('permits have their own rule and subject type', () => {
    const a = present(expiring({ document: 'PERMIT', documentId: 'permit-1' })(opens));
    expect([a.rule, a.subjectType, a.subjectId]).toEqual(['PERMIT_EXPIRING', 'PERMIT', 'permit-1']);
  });

  it('vehicle and crew certificates too, on the same windows', () => {
    const v = raisedAt(expiring({ document: 'VEHICLE_CERTIFICATE', documentId: 'v-1' }), opens, renewalDue);
    expect([v.rule, v.subjectType, v.subjectId, v.period]).toEqual([
      'VEHICLE_CERTIFICATE_EXPIRING',
      'VEHICLE',
      'v-1',
      '2026-12-31:EXPIRING',
    ]);
    const c = present(expiring({ document: 'CREW_CERTIFICATE', documentId: 'p-1' })(renewalDue));
    expect([c.rule, c.subjectType, c.severity]).toEqual([
      'CREW_CERTIFICATE_EXPIRING',
      'CREW_MEMBER',
      'CRITICAL',
    ]);
    refused(() => expiring({ document: 'toString' })(opens));
  });

  it('is provisional when the window reaches beyond the loaded calendar', () => {
    const a = raisedAt(expiring({ validTo: '2027-02-15' }), sh('2026-12-21'), sh('2027-01-05'));
    const { warningFrom, renewalDueDate, provisional } = a.evidence;
    expect([warningFrom, renewalDueDate, provisional]).toEqual(['2026-12-21', '2027-01-04', true]);
  });

  it('the windows are configurable', () => {
    const options = { expiryWarningWorkingDays: 20, renewalLeadWorkingDays: 10 };
    const a = raisedAt(expiring({}, options), sh('2026-12-03'), sh('2026-12-18'));
    const { warningFrom, renewalDueDate, workingDaysLeft } = a.evidence;
    expect([warningFrom, renewalDueDate, workingDaysLeft]).toEqual(['2026-12-03', '2026-12-17', 20]);
  });

  it('refuses an unknown document kind or a bad date', () => {
    refused(() => expiring({ document: 'CERTIFICATE' })(opens));
    refused(() => expiring({ validTo: '2026-02-30' })(opens));
  });
});

describe('storageSpotOverCap (贮存点实时贮存量超过 3 吨)', () => {
  const at = '2025-10-01T16:30:00.000Z'; // 2025-10-02 00:30 Shanghai
  const spot = (stockGrams: number, when = at, options?: ClockOptions) =>
    storageSpotOverCap({ facilityId: 'spot-1', stockGrams, at: when }, options);

  it('exactly 3 t is allowed; one gram more is CRITICAL', () => {
    expect(spot(3_000_000)).toBeNull();
    const a = present(spot(3_000_001));
    expect(alertKey(a)).toBe('STORAGE_SPOT_OVER_3T|FACILITY|spot-1|2025-10-02');
    expect([a.severity, a.dueAt]).toEqual(['CRITICAL', at]);
    expect(a.evidence).toEqual({
      stockGrams: 3_000_001,
      stockKg: '3000.001',
      capKg: '3000.000',
      excessKg: '0.001',
    });
  });

  it('one identity per spot and Shanghai day', () => {
    const key = (grams: number, when: string) => alertKey(present(spot(grams, when)));
    expect(key(3_200_000, '2025-10-02T15:59:59.999Z')).toBe(key(3_500_000, at));
    expect(spot(3_200_000, '2025-10-02T16:00:00.000Z')?.period).toBe('2025-10-03');
  });

  it('the cap is configurable; the stock must be whole grams', () => {
    expect(spot(2_000_001, at, { storageSpotCapGrams: 2_000_000 })).not.toBeNull();
    refused(() => spot(3_000_000.5));
    refused(() => spot(-1));
  });
});
