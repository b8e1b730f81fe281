import fc from 'fast-check';
import { capacityLevelOf } from '../../parties/domain/licence';
import { tonnesToGrams } from '../../shared/domain/mass';
import { addMonths, assertValidity, lastDayOfTerm } from './authority.policy';
import { CAPACITY_ALERT_RULES, capacityAlertsFor, formatTonnes, parseTonnes } from './capacity.policy';
import { codeOf } from './licence.test-fixtures';

describe('capacity policy', () => {
  it('parses decimal tonnes exactly into grams and formats them back canonically', () => {
    expect(parseTonnes('5000', 'c')).toBe(5_000_000_000);
    expect(parseTonnes('12.5', 'c')).toBe(12_500_000);
    expect(parseTonnes('0.000001', 'c')).toBe(1);
    expect(formatTonnes(12_500_000)).toBe('12.5');
    expect(formatTonnes(5_000_000_000)).toBe('5000');
    for (const bad of ['0', '0.0', '-1', '1e3', '1.0000001', '01', '', ' ', 'NaN'])
      expect(codeOf(() => parseTonnes(bad, 'c'))).toBe('BAD_USER_INPUT');
  });

  it('round-trips every tonnes string and agrees with the domain’s tonnesToGrams', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999_999 }), (g) => {
        const s = formatTonnes(g);
        expect(parseTonnes(s, 'c')).toBe(g);
        expect(tonnesToGrams(Number(s))).toBe(g);
      }),
    );
  });

  it('raises the 90 % warning at 90 % and above, and the over-100 % alert above 100 %', () => {
    const cap = 1_000_000;
    const rules = (after: number) => capacityAlertsFor(capacityLevelOf(after, cap));
    expect(rules(899_999)).toEqual([]);
    expect(rules(900_000)).toEqual([CAPACITY_ALERT_RULES.WARNING_90]);
    expect(rules(1_000_000)).toEqual([CAPACITY_ALERT_RULES.WARNING_90]);
    expect(rules(1_000_001)).toEqual(['LICENCE_CAPACITY_90', 'LICENCE_CAPACITY_OVER_100']);
    expect(rules(1_300_000)).toEqual(['LICENCE_CAPACITY_90', 'LICENCE_CAPACITY_OVER_100']);
  });
});

describe('validity terms', () => {
  it('counts months on the calendar, the last day inclusive', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-03-03');
    expect(lastDayOfTerm('2025-01-01', 12)).toBe('2025-12-31');
    expect(lastDayOfTerm('2024-02-29', 12)).toBe('2025-02-28');
    expect(lastDayOfTerm('2025-07-01', 60)).toBe('2030-06-30');
  });

  it('accepts a period ending today and refuses one that ended yesterday', () => {
    expect(assertValidity('2025-01-01', '2025-06-15', '2025-06-15')).toEqual({
      validFrom: '2025-01-01',
      validTo: '2025-06-15',
    });
    expect(codeOf(() => assertValidity('2025-01-01', '2025-06-14', '2025-06-15'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => assertValidity('2025-01-01', '2026-01-01', '2025-06-15', { maxMonths: 12 }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
