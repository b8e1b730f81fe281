import { DomainError } from '../../shared/domain/domain-error';
import {
  annualOperationReport,
  classFiles,
  declarationPeriods,
  DECLARATION_KINDS_BY_CLASS,
  isOverdue,
  managementPlanDeadline,
  periodContaining,
  planYearInForce,
  type DeclarationKind,
  type ManagementClass,
} from './reporting-periods';

const at = (iso: string): Date => new Date(iso);

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
};

describe('declarationPeriods — KEY (重点监管): monthly and annual', () => {
  const periods = declarationPeriods('KEY', 2025);

  it('has twelve months and the year, ordered by deadline', () => {
    expect(periods.map((p) => p.label)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2025',
    ]);
    const dues = periods.map((p) => p.dueAt.getTime());
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
  });

  it('each month is due by the 15th of the next month, ending 24:00 Shanghai', () => {
    expect(periods[0]).toEqual({
      kind: 'MONTHLY',
      label: '2025-01',
      periodStart: '2025-01-01',
      periodEnd: '2025-01-31',
      dueDate: '2025-02-15',
      dueAt: at('2025-02-16T00:00:00.000+08:00'),
    });
    expect(periods[1]).toMatchObject({ periodEnd: '2025-02-28', dueDate: '2025-03-15' });
    expect(periods[3]).toMatchObject({ periodEnd: '2025-04-30', dueDate: '2025-05-15' });
  });

  it('December is due on 15 January of the next year', () => {
    expect(periods[11]).toMatchObject({
      periodStart: '2025-12-01',
      periodEnd: '2025-12-31',
      dueDate: '2026-01-15',
    });
    expect(periods[11].dueAt.toISOString()).toBe('2026-01-15T16:00:00.000Z');
  });

  it('a 15th that falls on a holiday is not moved (2026-02-15 is in the Spring Festival holiday)', () => {
    expect(declarationPeriods('KEY', 2026)[0]).toMatchObject({ label: '2026-01', dueDate: '2026-02-15' });
  });

  it('the annual declaration is due by 31 March of the next year', () => {
    expect(periods[12]).toEqual({
      kind: 'ANNUAL',
      label: '2025',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      dueDate: '2026-03-31',
      dueAt: at('2026-04-01T00:00:00.000+08:00'),
    });
  });

  it('a leap February ends on the 29th', () => {
    expect(declarationPeriods('KEY', 2024)[1]).toMatchObject({
      periodEnd: '2024-02-29',
      dueDate: '2024-03-15',
    });
  });
});

describe('declarationPeriods — SIMPLIFIED (简化管理): quarterly and annual', () => {
  it('has four quarters due by the 15th of the first month of the next quarter, then the year', () => {
    expect(
      declarationPeriods('SIMPLIFIED', 2025).map((p) => [
        p.kind,
        p.label,
        p.periodStart,
        p.periodEnd,
        p.dueDate,
      ]),
    ).toEqual([
      ['QUARTERLY', '2025-Q1', '2025-01-01', '2025-03-31', '2025-04-15'],
      ['QUARTERLY', '2025-Q2', '2025-04-01', '2025-06-30', '2025-07-15'],
      ['QUARTERLY', '2025-Q3', '2025-07-01', '2025-09-30', '2025-10-15'],
      ['QUARTERLY', '2025-Q4', '2025-10-01', '2025-12-31', '2026-01-15'],
      ['ANNUAL', '2025', '2025-01-01', '2025-12-31', '2026-03-31'],
    ]);
  });
});

describe('declarationPeriods — REGISTRATION (登记管理): annual only', () => {
  it('has one annual declaration', () => {
    expect(declarationPeriods('REGISTRATION', 2026)).toEqual([
      {
        kind: 'ANNUAL',
        label: '2026',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        dueDate: '2027-03-31',
        dueAt: at('2027-03-31T16:00:00.000Z'),
      },
    ]);
  });

  it('every class files exactly the kinds of its table row', () => {
    for (const cls of Object.keys(DECLARATION_KINDS_BY_CLASS) as ManagementClass[]) {
      const kinds = new Set(declarationPeriods(cls, 2025).map((p) => p.kind));
      expect([...kinds]).toEqual(DECLARATION_KINDS_BY_CLASS[cls]);
    }
  });

  it('refuses an unknown class or a bad year', () => {
    expect(codeOf(() => declarationPeriods('BIG' as ManagementClass, 2025))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => declarationPeriods('KEY', 2025.5))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => declarationPeriods('KEY', 99))).toBe('BAD_USER_INPUT');
  });
});

describe('periodContaining', () => {
  it.each<[DeclarationKind, string, string]>([
    ['MONTHLY', '2025-12-31', '2025-12'],
    ['MONTHLY', '2026-01-01', '2026-01'],
    ['QUARTERLY', '2025-12-31', '2025-Q4'],
    ['QUARTERLY', '2026-01-01', '2026-Q1'],
    ['QUARTERLY', '2025-03-31', '2025-Q1'],
    ['QUARTERLY', '2025-04-01', '2025-Q2'],
    ['ANNUAL', '2025-12-31', '2025'],
    ['ANNUAL', '2026-01-01', '2026'],
  ])('%s period of %s is %s', (kind, date, label) => {
    const p = periodContaining(kind, date);
    expect(p.label).toBe(label);
    expect(p.periodStart <= date && date <= p.periodEnd).toBe(true);
  });

  it('returns the same period as declarationPeriods', () => {
    expect(periodContaining('MONTHLY', '2025-12-31')).toEqual(declarationPeriods('KEY', 2025)[11]);
    expect(periodContaining('QUARTERLY', '2025-11-05')).toEqual(declarationPeriods('SIMPLIFIED', 2025)[3]);
    expect(periodContaining('ANNUAL', '2025-06-30')).toEqual(declarationPeriods('REGISTRATION', 2025)[0]);
  });

  it('refuses a bad date or kind', () => {
    expect(codeOf(() => periodContaining('MONTHLY', '2025-02-29'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => periodContaining('WEEKLY' as DeclarationKind, '2025-02-28'))).toBe('BAD_USER_INPUT');
  });
});

describe('annual operation report (持证单位年报) and management plan (管理计划)', () => {
  it('the licence holder reports on year Y by 31 March of Y+1, as a kind of its own that no class files', () => {
    expect(annualOperationReport(2025)).toMatchObject({
      kind: 'OPERATION_REPORT',
      label: '2025',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      dueDate: '2026-03-31',
      dueAt: at('2026-04-01T00:00:00.000+08:00'),
    });
    expect(periodContaining('OPERATION_REPORT', '2025-07-01')).toEqual(annualOperationReport(2025));
    for (const cls of ['KEY', 'SIMPLIFIED', 'REGISTRATION'] as const) {
      expect(classFiles(cls, 'OPERATION_REPORT')).toBe(false);
      expect(classFiles(cls, 'ANNUAL')).toBe(true);
      expect(declarationPeriods(cls, 2025).map((p) => p.kind)).not.toContain('OPERATION_REPORT');
    }
    expect(classFiles('REGISTRATION', 'MONTHLY')).toBe(false);
    expect(codeOf(() => annualOperationReport(12345))).toBe('BAD_USER_INPUT');
  });

  it('the plan for year Y is filed by 31 March of Y itself', () => {
    expect(managementPlanDeadline(2026)).toEqual({
      planYear: 2026,
      dueDate: '2026-03-31',
      dueAt: at('2026-04-01T00:00:00.000+08:00'),
    });
  });
});

describe('isOverdue', () => {
  const dueAt = periodContaining('MONTHLY', '2025-09-10').dueAt; // due by 2025-10-15, 24:00 Shanghai

  it('not overdue at 23:59:59.999 Shanghai on the 15th, overdue from 00:00 on the 16th', () => {
    expect(isOverdue(dueAt, at('2025-10-15T23:59:59.999+08:00'))).toBe(false);
    expect(isOverdue(dueAt, at('2025-10-16T00:00:00.000+08:00'))).toBe(true);
    expect(isOverdue(dueAt, at('2025-10-15T16:00:00.000Z'))).toBe(true);
  });

  it('a submission before the deadline is never overdue', () => {
    expect(isOverdue(dueAt, at('2026-05-01T00:00:00+08:00'), at('2025-10-15T23:59:59.999+08:00'))).toBe(
      false,
    );
    expect(isOverdue(dueAt, at('2025-10-16T00:00:00+08:00'), null)).toBe(true);
  });

  it('a submission at or after the deadline was late', () => {
    expect(isOverdue(dueAt, at('2025-10-20T00:00:00+08:00'), at('2025-10-16T00:00:00.000+08:00'))).toBe(true);
  });

  it('refuses invalid instants', () => {
    expect(codeOf(() => isOverdue(dueAt, new Date('x')))).toBe('BAD_USER_INPUT');
  });
});

describe('planYearInForce (SPEC section 6 plan rule)', () => {
  it("uses the date's own year when that plan is filed", () => {
    expect(planYearInForce('2026-01-01', [2025, 2026])).toBe(2026);
    expect(planYearInForce('2026-12-31', [2026])).toBe(2026);
  });

  it("falls back to last year's plan up to and including 31 March", () => {
    expect(planYearInForce('2026-01-01', [2025])).toBe(2025);
    expect(planYearInForce('2026-03-31', [2025])).toBe(2025);
    expect(planYearInForce('2026-04-01', [2025])).toBeNull();
  });

  it('31 December is still in the old year', () => {
    expect(planYearInForce('2025-12-31', [2025])).toBe(2025);
    expect(planYearInForce('2025-12-31', [2026])).toBeNull();
  });

  it('no plan, or only an older one, is null', () => {
    expect(planYearInForce('2026-02-01', [])).toBeNull();
    expect(planYearInForce('2026-02-01', [2024])).toBeNull();
  });

  it('refuses a bad date', () => {
    expect(codeOf(() => planYearInForce('2026-3-1', [2026]))).toBe('BAD_USER_INPUT');
  });
});
