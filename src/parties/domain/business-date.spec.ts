import { DomainError } from '../../shared/domain/domain-error';
import {
  assertBusinessDate,
  businessYear,
  isWithinValidity,
  notExpired,
  toBusinessDate,
  validityPosition,
} from './business-date';

describe('business dates (Asia/Shanghai)', () => {
  it('accepts real calendar dates only', () => {
    expect(assertBusinessDate('2024-02-29', 'd')).toBe('2024-02-29');
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '', 20250101, null]) {
      expect(() => assertBusinessDate(bad, 'input.date')).toThrow(DomainError);
    }
    try {
      assertBusinessDate('2025-02-30', 'input.date');
    } catch (e) {
      expect((e as DomainError).code).toBe('BAD_USER_INPUT');
      expect((e as DomainError).details.field).toBe('input.date');
    }
  });

  it('takes an instant as its Shanghai calendar day', () => {
    // 2025-12-31T16:00Z is 2026-01-01 00:00 in Shanghai
    expect(toBusinessDate(new Date('2025-12-31T15:59:59.999Z'), 'at')).toBe('2025-12-31');
    expect(toBusinessDate(new Date('2025-12-31T16:00:00.000Z'), 'at')).toBe('2026-01-01');
    expect(toBusinessDate('2026-01-01', 'at')).toBe('2026-01-01');
    expect(() => toBusinessDate(new Date(Number.NaN), 'at')).toThrow(/invalid instant/);
  });

  it('reads the calendar year', () => {
    expect(businessYear('2026-01-01')).toBe(2026);
    expect(businessYear('2025-12-31')).toBe(2025);
  });

  it('treats the first and last valid days as inclusive', () => {
    expect(validityPosition('2024-12-31', '2025-01-01', '2029-12-31')).toBe('BEFORE');
    expect(validityPosition('2025-01-01', '2025-01-01', '2029-12-31')).toBe('WITHIN');
    expect(validityPosition('2029-12-31', '2025-01-01', '2029-12-31')).toBe('WITHIN');
    expect(validityPosition('2030-01-01', '2025-01-01', '2029-12-31')).toBe('AFTER');
    expect(isWithinValidity('2099-01-01', '2025-01-01', null)).toBe(true);
    expect(notExpired('2025-06-30', '2025-06-30')).toBe(true);
    expect(notExpired('2025-07-01', '2025-06-30')).toBe(false);
  });
});
