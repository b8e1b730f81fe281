import { DomainError } from '../../shared/domain/domain-error';

/**
 * 统一社会信用代码 — Unified Social Credit Code (GB 32100-2015): 18 characters.
 * Position 1 registration authority, 2 organisation type, 3–8 administrative division code,
 * 9–17 organisation code (主体标识码), 18 check character (校验码) over positions 1–17.
 * Only the check character and the alphabet are validated here (the standard's check); the
 * authority/type codes and the organisation code's own GB 11714 check are not.
 */
export type Uscc = string & { readonly __brand: 'Uscc' };

/** The 31-character alphabet of GB 32100-2015 (no I, O, Z, S, V); a character's value is its index. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1..17: 3^(i-1) mod 31. */
export const USCC_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/** A USCC has 18 characters. */
export const USCC_LENGTH = 18;

const VALUE = new Map<string, number>([...USCC_ALPHABET].map((c, i) => [c, i]));

/** Trims and upper-cases; the only normalisation applied before validation. */
export const normaliseUscc = (code: string): string => code.trim().toUpperCase();

/** Why a (normalised) code is not a USCC, or null when it is one. */
function usccProblem(code: string): string | null {
  if (code.length !== USCC_LENGTH) return `must be ${USCC_LENGTH} characters, got ${code.length}`;
  for (let i = 0; i < USCC_LENGTH; i += 1) {
    if (!VALUE.has(code[i])) {
      return `character ${i + 1} (${JSON.stringify(code[i])}) is not in the USCC alphabet ${USCC_ALPHABET}`;
    }
  }
  if (checkCharacterOf(code.slice(0, 17)) !== code[17]) return 'check character (position 18) does not match';
  return null;
}

/** The check character for 17 characters already known to be in the alphabet. */
function checkCharacterOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (VALUE.get(first17[i]) as number) * USCC_WEIGHTS[i];
  const value = (31 - (sum % 31)) % 31; // 31 → 0
  return USCC_ALPHABET[value];
}

/** True when `code` (after trimming and upper-casing) is a USCC with a correct 校验码. */
export function isValidUscc(code: unknown): boolean {
  return typeof code === 'string' && usccProblem(normaliseUscc(code)) === null;
}

/**
 * Validates a 统一社会信用代码 and returns it normalised; throws `INVALID_USCC` naming `field`
 * and saying what is wrong (length, a character outside the alphabet, or the check character —
 * the expected check character is deliberately not disclosed, so that a typo in the body is not
 * "fixed" by changing the last character).
 */
export function validateUscc(code: unknown, field = 'uscc'): Uscc {
  if (typeof code !== 'string') {
    throw new DomainError('INVALID_USCC', `${field}: a Unified Social Credit Code must be a string`, {
      field,
    });
  }
  const normalised = normaliseUscc(code);
  const problem = usccProblem(normalised);
  if (problem !== null) {
    throw new DomainError('INVALID_USCC', `${field}: not a valid Unified Social Credit Code: ${problem}`, {
      field,
    });
  }
  return normalised as Uscc;
}

/**
 * Completes 17 characters with their GB 32100 check character (for seeds and tests).
 * Throws `INVALID_USCC` (field `first17`) when the input is not 17 alphabet characters.
 */
export function withUsccCheckCharacter(first17: string): Uscc {
  const body = normaliseUscc(first17);
  if (body.length !== 17 || [...body].some((c) => !VALUE.has(c))) {
    throw new DomainError('INVALID_USCC', `first17: need 17 characters from ${USCC_ALPHABET}`, {
      field: 'first17',
    });
  }
  return (body + checkCharacterOf(body)) as Uscc;
}

/** The administrative division code (positions 3–8) carried in a valid USCC — 登记管理机关行政区划码. */
export const usccDivisionCode = (code: Uscc): string => code.slice(2, 8);
