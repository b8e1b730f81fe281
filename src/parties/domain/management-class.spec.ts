import fc from 'fast-check';
import { DomainError } from '../../shared/domain/domain-error';
import { grams, type Grams } from '../../shared/domain/mass';
import {
  classForAnnualAmount,
  KEY_THRESHOLD_GRAMS,
  managementClassFor,
  SIMPLIFIED_THRESHOLD_GRAMS,
} from './management-class';

const t = (tonnes: number): Grams => grams(tonnes * 1_000_000);
const ledger = (entries: Record<number, number>): Map<number, Grams> =>
  new Map(Object.entries(entries).map(([y, g]) => [Number(y), grams(g)]));

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('管理类别 (HJ 1259-2022)', () => {
  describe('thresholds, exactly', () => {
    it.each([
      [0, 'REGISTRATION'],
      [9_999_999, 'REGISTRATION'],
      [10_000_000, 'SIMPLIFIED'],
      [10_000_001, 'SIMPLIFIED'],
      [99_999_999, 'SIMPLIFIED'],
      [100_000_000, 'KEY'],
      [250_000_000, 'KEY'],
    ])('%i g is %s', (g, expected) => {
      expect(classForAnnualAmount(grams(g))).toBe(expected);
      expect(managementClassFor({ year: 2026, declaredAnnualGrams: grams(g) }).class).toBe(expected);
      expect(managementClassFor({ year: 2026, ledgerAnnualGrams: ledger({ 2025: g }) }).class).toBe(expected);
    });

    it('uses 10 t and 100 t', () => {
      expect(SIMPLIFIED_THRESHOLD_GRAMS).toBe(10_000_000);
      expect(KEY_THRESHOLD_GRAMS).toBe(100_000_000);
    });
  });

  it('a new site uses its declared expected amount', () => {
    expect(managementClassFor({ year: 2026, declaredAnnualGrams: t(12) })).toEqual({
      year: 2026,
      class: 'SIMPLIFIED',
      basis: 'DECLARED',
      amountGrams: t(12),
    });
  });

  it('the largest of the last three ledger years wins over the declaration', () => {
    const r = managementClassFor({
      year: 2026,
      declaredAnnualGrams: t(500),
      ledgerAnnualGrams: ledger({ 2023: t(3), 2024: t(120), 2025: t(8) }),
    });
    expect(r).toEqual({ year: 2026, class: 'KEY', basis: 'LEDGER', amountGrams: t(120), amountYear: 2024 });
  });

  it('ignores ledger years outside Y-3..Y-1 (older, the current year, later)', () => {
    const r = managementClassFor({
      year: 2026,
      declaredAnnualGrams: t(1),
      ledgerAnnualGrams: ledger({ 2022: t(200), 2023: t(9), 2026: t(300), 2027: t(300) }),
    });
    expect(r).toMatchObject({ class: 'REGISTRATION', basis: 'LEDGER', amountGrams: t(9), amountYear: 2023 });
  });

  it('falls back to the declaration when the only ledger years are too old or in the year itself', () => {
    const r = managementClassFor({
      year: 2026,
      declaredAnnualGrams: t(15),
      ledgerAnnualGrams: ledger({ 2021: t(150), 2026: t(150) }),
    });
    expect(r).toEqual({ year: 2026, class: 'SIMPLIFIED', basis: 'DECLARED', amountGrams: t(15) });
  });

  it('one full ledger year is enough (in operation 1–3 years: the largest so far)', () => {
    expect(
      managementClassFor({
        year: 2026,
        declaredAnnualGrams: t(50),
        ledgerAnnualGrams: ledger({ 2025: t(2) }),
      }),
    ).toMatchObject({ class: 'REGISTRATION', basis: 'LEDGER', amountYear: 2025 });
  });

  it('accepts the ledger as a plain record keyed by year', () => {
    const r = managementClassFor({ year: 2026, ledgerAnnualGrams: { 2025: t(10), 2024: t(10) } });
    expect(r).toMatchObject({ class: 'SIMPLIFIED', basis: 'LEDGER', amountGrams: t(10), amountYear: 2025 });
  });

  it('is fixed per calendar year: a big year counts from the next year on, for three years', () => {
    const history = ledger({ 2022: t(5), 2023: t(110), 2024: t(5), 2025: t(5) });
    const classOf = (year: number) =>
      managementClassFor({ year, declaredAnnualGrams: t(5), ledgerAnnualGrams: history }).class;
    expect(classOf(2023)).toBe('REGISTRATION');
    expect(classOf(2024)).toBe('KEY');
    expect(classOf(2026)).toBe('KEY');
    expect(classOf(2027)).toBe('REGISTRATION');
  });

  it('KEY when the site has its own treatment facility or holds a licence, whatever the amount', () => {
    for (const flags of [{ ownTreatmentFacility: true }, { holdsLicence: true }]) {
      expect(managementClassFor({ year: 2026, declaredAnnualGrams: t(1), ...flags })).toEqual({
        year: 2026,
        class: 'KEY',
        basis: 'FACILITY_OR_LICENCE',
        amountGrams: t(1),
      });
    }
    expect(managementClassFor({ year: 2026, holdsLicence: true })).toMatchObject({
      class: 'KEY',
      amountGrams: null,
    });
  });

  describe('regulator override', () => {
    const base = { declaredAnnualGrams: t(1), ownTreatmentFacility: true };

    it('wins for its year, over facility and amount, with its reason', () => {
      const r = managementClassFor({
        ...base,
        year: 2026,
        override: { class: 'SIMPLIFIED', reason: '市局认定', year: 2026 },
      });
      expect(r).toEqual({
        year: 2026,
        class: 'SIMPLIFIED',
        basis: 'OVERRIDE',
        amountGrams: t(1),
        reason: '市局认定',
      });
    });

    it('does not apply to another year', () => {
      const r = managementClassFor({
        ...base,
        year: 2027,
        override: { class: 'REGISTRATION', reason: 'x', year: 2026 },
      });
      expect(r.basis).toBe('FACILITY_OR_LICENCE');
    });

    it('the last override for the year wins', () => {
      const r = managementClassFor({
        year: 2026,
        declaredAnnualGrams: t(1),
        override: [
          { class: 'KEY', reason: 'first', year: 2026 },
          { class: 'SIMPLIFIED', reason: 'other year', year: 2025 },
          { class: 'SIMPLIFIED', reason: 'second', year: 2026 },
        ],
      });
      expect(r).toMatchObject({ class: 'SIMPLIFIED', reason: 'second' });
    });

    it('needs a reason and a known class', () => {
      expect(
        refusal(() => managementClassFor({ year: 2026, override: { class: 'KEY', reason: ' ', year: 2026 } }))
          .details.field,
      ).toBe('override.reason');
      expect(
        refusal(() =>
          managementClassFor({ year: 2026, override: { class: 'LOW' as 'KEY', reason: 'r', year: 2026 } }),
        ).details.field,
      ).toBe('override.class');
    });

    it('decides even without any amount', () => {
      expect(
        managementClassFor({ year: 2026, override: { class: 'REGISTRATION', reason: 'r', year: 2026 } }),
      ).toMatchObject({ class: 'REGISTRATION', amountGrams: null });
    });
  });

  describe('refusals', () => {
    it('needs a declaration when the ledger has no full year', () => {
      const e = refusal(() => managementClassFor({ year: 2026, ledgerAnnualGrams: ledger({ 2020: t(1) }) }));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.details.field).toBe('declaredAnnualGrams');
    });

    it.each([
      [{ year: 2026.5, declaredAnnualGrams: t(1) }, 'year'],
      [{ year: 26, declaredAnnualGrams: t(1) }, 'year'],
      [{ year: 2026, declaredAnnualGrams: -1 as Grams }, 'declaredAnnualGrams'],
      [{ year: 2026, declaredAnnualGrams: 1.5 as Grams }, 'declaredAnnualGrams'],
      [{ year: 2026, ledgerAnnualGrams: { 2025: -5 as Grams } }, 'ledgerAnnualGrams.2025'],
      [{ year: 2026, ledgerAnnualGrams: new Map([[NaN, t(1)]]) }, 'ledgerAnnualGrams.NaN'],
    ])('refuses %j on %s', (input, field) => {
      const e = refusal(() => managementClassFor(input));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.details.field).toBe(field);
    });
  });

  it('the ledger basis always equals the class of the max of the last three years (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.dictionary(
          fc.integer({ min: 1995, max: 2105 }).map(String),
          fc.integer({ min: 0, max: 300_000_000 }),
        ),
        fc.integer({ min: 0, max: 300_000_000 }),
        (year, entries, declared) => {
          const inWindow = Object.entries(entries)
            .filter(([y]) => Number(y) >= year - 3 && Number(y) < year)
            .map(([, g]) => g);
          const r = managementClassFor({
            year,
            declaredAnnualGrams: grams(declared),
            ledgerAnnualGrams: entries as Record<number, Grams>,
          });
          const expectedAmount = inWindow.length > 0 ? Math.max(...inWindow) : declared;
          expect(r.basis).toBe(inWindow.length > 0 ? 'LEDGER' : 'DECLARED');
          expect(r.amountGrams).toBe(expectedAmount);
          expect(r.class).toBe(classForAnnualAmount(grams(expectedAmount)));
        },
      ),
    );
  });
});
