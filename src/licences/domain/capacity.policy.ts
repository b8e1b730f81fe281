import { type CapacityLevel } from '../../parties/domain/licence';
import { DomainError } from '../../shared/domain/domain-error';
import { type Grams, grams } from '../../shared/domain/mass';

/**
 * 年经营规模 — capacities travel as decimal strings of tonnes (`"5000"`, `"12.5"`, up to the gram:
 * six decimals), never as binary floats; inside, they are integer grams.
 */
const DECIMAL_TONNES = /^(0|[1-9]\d{0,8})(\.\d{1,6})?$/;

/** Parses a decimal tonnes string into grams (`BAD_USER_INPUT` on `field`); zero is refused. */
export function parseTonnes(value: unknown, field: string): Grams {
  const s = typeof value === 'string' ? value.trim() : '';
  const m = DECIMAL_TONNES.exec(s);
  if (!m) {
    throw DomainError.badInput(
      field,
      `${field}: a capacity in tonnes as a decimal string with up to 6 decimals, e.g. "5000" or "12.5": ${JSON.stringify(value)}`,
    );
  }
  const g = grams(Number(m[1]) * 1_000_000 + Number((m[2] ?? '.').slice(1).padEnd(6, '0')));
  if (g <= 0) throw DomainError.badInput(field, `${field}: a capacity must be more than zero`);
  return g;
}

/** Grams as the canonical tonnes string (no trailing zeros): 12 500 000 g → `"12.5"`. */
export function formatTonnes(g: number): string {
  const whole = Math.trunc(g / 1_000_000);
  const frac = String(g % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The ledger counter of a licence item's (or emergency authorisation's) use in a calendar year. */
export const capacityCounterId = (itemId: string, year: number): string =>
  `licence-capacity:${itemId}:${year}`;

/** The ledger counter of a cross-province approval's reserved and settled quantity. */
export const approvalCounterId = (approvalId: string): string => `approval-quantity:${approvalId}`;

/** Alert rules of licence capacity (SPEC section 10). */
export const CAPACITY_ALERT_RULES = {
  WARNING_90: 'LICENCE_CAPACITY_90',
  OVER_100: 'LICENCE_CAPACITY_OVER_100',
} as const;

export type CapacityAlertRule = (typeof CAPACITY_ALERT_RULES)[keyof typeof CAPACITY_ALERT_RULES];

/**
 * The alerts a use level calls for: at or above 90 % the early warning; above 100 % the warning
 * and the over-capacity alert (each raised once per item and year, by its deterministic identity).
 */
export function capacityAlertsFor(level: CapacityLevel): CapacityAlertRule[] {
  switch (level) {
    case 'NORMAL':
      return [];
    case 'WARNING_90':
      return [CAPACITY_ALERT_RULES.WARNING_90];
    case 'OVER_100':
    case 'OVER_120':
      return [CAPACITY_ALERT_RULES.WARNING_90, CAPACITY_ALERT_RULES.OVER_100];
  }
}
