import type { CommandMeta } from '../../shared/domain/decider';
import { isDomainError } from '../../shared/domain/domain-error';
import {
  decideSubmission,
  evolveDeclaration,
  filingStatus,
  initialDeclarationState,
  periodOfLabel,
  type DeclarationState,
  type SubmitDeclaration,
} from './declaration';
import {
  declarationFigures,
  figureDifferences,
  figuresHash,
  licenceLines,
  lineImbalance,
  type BalanceRow,
  type LicenceItemUse,
  type MovementRow,
} from './declaration-figures';

const OIL = '900-214-08';
const RAGS = '900-041-49';
const ref = {
  siteId: 'site-1',
  kind: 'ANNUAL' as const,
  period: '2025',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
};
const move = (
  kind: MovementRow['kind'],
  wasteCode: string,
  grams: number,
  over: Partial<MovementRow> = {},
): MovementRow => ({
  kind,
  wasteCode,
  category: `HW${wasteCode.slice(-2)}`,
  counterpartyPartyId: null,
  method: null,
  viaManifest: false,
  bookedGrams: grams,
  declaredGrams: grams,
  ...over,
});

const balances: BalanceRow[] = [
  { wasteCode: OIL, category: 'HW08', openingGrams: 50_000, closingGrams: 70_000 },
];
const moves: MovementRow[] = [
  move('GENERATED', OIL, 200_000),
  move('SENT_OUT', OIL, 180_000, {
    counterpartyPartyId: 'p-recycler',
    method: 'R9',
    viaManifest: true,
    declaredGrams: 180_500,
  }),
];

describe('declaration figures (申报数据) from the ledger book', () => {
  const f = declarationFigures(ref, balances, moves);

  it('per code: opening, generated, transferred (declared and booked), closing; closing = opening + ins − outs', () => {
    expect(f.codes).toEqual([
      expect.objectContaining({
        wasteCode: OIL,
        openingGrams: 50_000,
        generatedGrams: 200_000,
        transferredOutGrams: 180_500,
        transferredOutBookedGrams: 180_000,
        closingGrams: 70_000,
      }),
    ]);
    expect(lineImbalance(f.codes[0])).toBe(0);
    expect(f.totals).toMatchObject({ wasteCode: 'ALL', generatedGrams: 200_000, closingGrams: 70_000 });
  });

  it('transfers out by receiver and method, with the declared mass (SPEC section 9)', () => {
    expect(f.transfersOut).toEqual([
      {
        wasteCode: OIL,
        receiverPartyId: 'p-recycler',
        receiverName: null,
        receiverDivisionCode: null,
        receiverLicenceNumbers: [],
        method: 'R9',
        viaManifest: true,
        declaredGrams: 180_500,
        bookedGrams: 180_000,
      },
    ]);
  });

  it('a transfer line names the receiver, the division of the site it went to and its licence numbers (C.1–C.3)', () => {
    const sent = (division: string, licences: string[], grams: number) =>
      move('SENT_OUT', OIL, grams, {
        counterpartyPartyId: 'p-recycler',
        counterpartyName: '中牟再生油厂',
        counterpartyDivisionCode: division,
        counterpartyLicenceNumbers: licences,
        method: 'R9',
        viaManifest: true,
      });
    const g = declarationFigures(
      ref,
      [{ wasteCode: OIL, category: 'HW08', openingGrams: 100_000, closingGrams: 40_000 }],
      [sent('410122', ['豫 B-2'], 10_000), sent('410122', ['豫 A-1'], 20_000), sent('411001', [], 30_000)],
    );
    expect(
      g.transfersOut.map((t) => [t.receiverDivisionCode, t.receiverLicenceNumbers, t.declaredGrams]),
    ).toEqual([
      ['410122', ['豫 A-1', '豫 B-2'], 30_000],
      ['411001', [], 30_000],
    ]);
    expect(g.transfersOut[0].receiverName).toBe('中牟再生油厂');
    // a difference is keyed without the division: the two sites' lines add up
    const h = declarationFigures(
      ref,
      [{ wasteCode: OIL, category: 'HW08', openingGrams: 100_000, closingGrams: 40_000 }],
      [sent('410122', [], 60_000)],
    );
    expect(figureDifferences(g, h).filter((d) => d.path.startsWith('transfersOut'))).toEqual([]);
  });

  it('receipts, in-house treatment, repackaging and losses each in their column', () => {
    const g = declarationFigures(
      ref,
      [{ wasteCode: RAGS, category: 'HW49', openingGrams: 0, closingGrams: 3_000 }],
      [
        move('RECEIVED', RAGS, 10_000, { counterpartyPartyId: 'p-clinic', viaManifest: true }),
        move('UTILISED', RAGS, 2_000, { method: 'R1' }),
        move('DISPOSED', RAGS, 4_000, { method: 'D10' }),
        move('CONSOLIDATED_OUT', RAGS, 500),
        move('CONSOLIDATED_IN', RAGS, 490),
        move('LOST', RAGS, 990),
      ],
    );
    expect(g.codes[0]).toMatchObject({
      receivedGrams: 10_000,
      utilisedGrams: 2_000,
      disposedGrams: 4_000,
      repackagedOutGrams: 500,
      repackagedInGrams: 490,
      lostGrams: 990,
    });
    expect(g.received).toEqual([
      { wasteCode: RAGS, fromPartyId: 'p-clinic', fromPartyName: null, viaManifest: true, grams: 10_000 },
    ]);
    expect(g.treatedInHouse.map((t) => [t.mode, t.method, t.grams])).toEqual([
      ['DISPOSED', 'D10', 4_000],
      ['UTILISED', 'R1', 2_000],
    ]);
  });

  it('throws (a bug, not a user error) when the book does not balance', () => {
    expect(() => declarationFigures(ref, [{ ...balances[0], closingGrams: 70_001 }], moves)).toThrow(
      /does not balance/,
    );
  });

  it('the hash is stable for the same figures and changes with any gram', () => {
    expect(figuresHash(declarationFigures(ref, balances, moves))).toBe(figuresHash(f));
    expect(figuresHash(f)).toMatch(/^[0-9a-f]{64}$/);
    const g = declarationFigures(
      ref,
      [{ ...balances[0], closingGrams: 70_001 }],
      [moves[0], { ...moves[1], bookedGrams: 179_999 }],
    );
    expect(figuresHash(g)).not.toBe(figuresHash(f));
  });

  it('differences name each figure that moved (a back-dated act shows here, to review)', () => {
    const later = declarationFigures(
      ref,
      [{ ...balances[0], closingGrams: 71_000 }],
      [move('GENERATED', OIL, 201_000), moves[1]],
    );
    expect(figureDifferences(f, later)).toEqual([
      { path: `codes.${OIL}.closingGrams`, submittedGrams: 70_000, currentGrams: 71_000 },
      { path: `codes.${OIL}.generatedGrams`, submittedGrams: 200_000, currentGrams: 201_000 },
    ]);
    expect(figureDifferences(f, f)).toEqual([]);
  });
});

const item = (over: Partial<LicenceItemUse> = {}): LicenceItemUse => ({
  licenceId: 'lic-1',
  licenceNumber: '豫环许危废字 2025-001',
  licenceKind: 'COMPREHENSIVE',
  validFrom: '2024-01-01',
  validTo: '2028-12-31',
  itemId: 'item-oil',
  scope: OIL,
  modes: ['UTILISE', 'STORE'],
  capacityGrams: 100_000_000,
  settledGrams: 87_654_321,
  ...over,
});

describe('annual operation report figures (持证单位年报)', () => {
  const opRef = { ...ref, kind: 'OPERATION_REPORT' as const };

  it('states each licence item with its capacity, what was settled on it, and the share used', () => {
    const f = declarationFigures(opRef, balances, moves, [
      item({ itemId: 'item-rags', scope: 'HW49', settledGrams: 0 }),
      item(),
      item({ licenceNumber: '豫环许危废字 2024-009', itemId: 'item-x', capacityGrams: 3, settledGrams: 4 }),
    ]);
    expect(f.licences!.map((l) => [l.licenceNumber, l.itemId, l.usedBasisPoints])).toEqual([
      ['豫环许危废字 2024-009', 'item-x', 13_333],
      ['豫环许危废字 2025-001', 'item-oil', 8_765],
      ['豫环许危废字 2025-001', 'item-rags', 0],
    ]);
    expect(f.licences![1].modes).toEqual(['STORE', 'UTILISE']);
    // the stock figures are the annual declaration's, to the gram
    expect(f.codes).toEqual(declarationFigures(ref, balances, moves).codes);
    // other kinds carry no licence section, so their hashes are what they were before the report existed
    expect('licences' in declarationFigures(ref, balances, moves)).toBe(false);
  });

  it('rounds the share down without losing precision on large masses', () => {
    const [l] = licenceLines([
      item({ capacityGrams: 900_000_000_000_000, settledGrams: 899_999_999_999_999 }),
    ]);
    expect(l.usedBasisPoints).toBe(9_999);
  });

  it('a settled mass learnt after submission shows as a difference on the item', () => {
    const a = declarationFigures(opRef, balances, moves, [item()]);
    const b = declarationFigures(opRef, balances, moves, [item({ settledGrams: 88_000_000 })]);
    expect(figureDifferences(a, b)).toEqual([
      {
        path: 'licences.豫环许危废字 2025-001|item-oil',
        submittedGrams: 87_654_321,
        currentGrams: 88_000_000,
      },
    ]);
    expect(figuresHash(a)).not.toBe(figuresHash(b));
  });
});

const meta = (iso: string): CommandMeta => ({
  actor: { kind: 'USER', userId: 'u', partyId: 'p-shop' },
  occurredAt: new Date(iso),
  now: new Date(iso),
});
const figures = declarationFigures(ref, balances, moves);
const submit = (
  over: Partial<SubmitDeclaration['data']> = {},
  at = '2026-02-01T02:00:00.000Z',
): SubmitDeclaration => ({
  type: 'SubmitDeclaration',
  meta: meta(at),
  data: {
    siteId: 'site-1',
    partyId: 'p-shop',
    managementClass: 'REGISTRATION',
    licenceHolder: false,
    period: periodOfLabel('ANNUAL', '2025'),
    figures,
    figuresHash: figuresHash(figures),
    reviewedHash: figuresHash(figures),
    reason: null,
    ...over,
  },
});
const refused = (c: SubmitDeclaration, s: DeclarationState = initialDeclarationState()) => {
  try {
    decideSubmission(c, s);
  } catch (e) {
    if (isDomainError(e)) return [e.code, e.details.field];
    throw e;
  }
  return 'allowed';
};

describe('declaration submission (申报提交)', () => {
  it('freezes the reviewed figures with their hash, on time before 31 March', () => {
    const [e] = decideSubmission(submit(), initialDeclarationState());
    expect(e.data).toMatchObject({
      kind: 'ANNUAL',
      period: '2025',
      dueDate: '2026-03-31',
      submissionNo: 1,
      correctsSubmissionNo: null,
      late: false,
    });
    expect(e.data.figuresHash).toBe(figuresHash(figures));
  });

  it('refuses before the period ends, a kind the class does not file, and figures that changed since review', () => {
    expect(refused(submit({}, '2025-12-31T15:59:59.999Z'))).toEqual(['BAD_USER_INPUT', 'period']);
    expect(refused(submit({ period: periodOfLabel('MONTHLY', '2025-12') }))).toEqual([
      'BAD_USER_INPUT',
      'kind',
    ]);
    expect(refused(submit({ reviewedHash: '0'.repeat(64) }))).toEqual(['CONFLICT', 'figuresHash']);
  });

  it('the annual operation report is filed by a site a licence names, whatever its class', () => {
    const op = declarationFigures({ ...ref, kind: 'OPERATION_REPORT' }, balances, moves, [item()]);
    const report = (licenceHolder: boolean) =>
      submit({
        managementClass: 'KEY',
        licenceHolder,
        period: periodOfLabel('OPERATION_REPORT', '2025'),
        figures: op,
        figuresHash: figuresHash(op),
        reviewedHash: figuresHash(op),
      });
    expect(refused(report(false))).toEqual(['BAD_USER_INPUT', 'kind']);
    const [e] = decideSubmission(report(true), initialDeclarationState());
    expect(e.data).toMatchObject({
      kind: 'OPERATION_REPORT',
      period: '2025',
      dueDate: '2026-03-31',
      submissionNo: 1,
    });
    expect(e.data.figures.licences).toHaveLength(1);
    // holding a licence does not make a class file what it does not file
    expect(refused(submit({ licenceHolder: true, period: periodOfLabel('MONTHLY', '2025-12') }))).toEqual([
      'BAD_USER_INPUT',
      'kind',
    ]);
  });

  it('a correction cites the submission it corrects, needs a reason and different figures', () => {
    const s = evolveDeclaration(
      initialDeclarationState(),
      decideSubmission(submit(), initialDeclarationState())[0],
    );
    expect(refused(submit(), s)).toEqual(['BAD_USER_INPUT', 'reason']);
    expect(refused(submit({ reason: '补录' }), s)).toEqual(['BAD_USER_INPUT', 'figuresHash']);
    const g = declarationFigures(
      ref,
      [{ ...balances[0], closingGrams: 71_000 }],
      [move('GENERATED', OIL, 201_000), moves[1]],
    );
    const [e] = decideSubmission(
      submit(
        { figures: g, figuresHash: figuresHash(g), reviewedHash: figuresHash(g), reason: '补录 12 月一桶' },
        '2026-04-02T00:00:00.000Z',
      ),
      s,
    );
    expect(e.data).toMatchObject({
      submissionNo: 2,
      correctsSubmissionNo: 1,
      reason: '补录 12 月一桶',
      late: true,
    });
  });

  it('labels name periods of their kind only', () => {
    expect(periodOfLabel('QUARTERLY', '2025-Q4')).toMatchObject({
      periodStart: '2025-10-01',
      periodEnd: '2025-12-31',
      dueDate: '2026-01-15',
    });
    expect(periodOfLabel('MONTHLY', '2025-02').periodEnd).toBe('2025-02-28');
    expect(() => periodOfLabel('MONTHLY', '2025')).toThrow(/period/);
    expect(() => periodOfLabel('ANNUAL', '2025-13')).toThrow(/period/);
    expect(() => periodOfLabel('OPERATION_REPORT', '2025-Q1')).toThrow(
      'period: not a period of kind OPERATION_REPORT (a year, e.g. 2026): "2025-Q1"',
    );
    expect(periodOfLabel('OPERATION_REPORT', '2025')).toMatchObject({
      kind: 'OPERATION_REPORT',
      dueDate: '2026-03-31',
    });
  });

  it('status: PERIOD_OPEN, DUE, OVERDUE, SUBMITTED, SUBMITTED_LATE, NOT_OWED', () => {
    const p = periodOfLabel('ANNUAL', '2025');
    const dates = { dueAt: p.dueAt, periodEndsAt: new Date('2025-12-31T16:00:00.000Z') };
    expect(filingStatus(dates, new Date('2025-12-01T00:00:00Z'), null, true)).toBe('PERIOD_OPEN');
    expect(filingStatus(dates, new Date('2026-03-31T15:59:59.999Z'), null, true)).toBe('DUE');
    expect(filingStatus(dates, new Date('2026-03-31T16:00:00.000Z'), null, true)).toBe('OVERDUE');
    expect(
      filingStatus(dates, new Date('2026-05-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), true),
    ).toBe('SUBMITTED');
    expect(
      filingStatus(dates, new Date('2026-05-01T00:00:00Z'), new Date('2026-04-02T00:00:00Z'), true),
    ).toBe('SUBMITTED_LATE');
    expect(filingStatus(dates, new Date('2026-05-01T00:00:00Z'), null, false)).toBe('NOT_OWED');
  });
});
