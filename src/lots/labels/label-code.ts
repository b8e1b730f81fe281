/**
 * 标签编码 — the unique, human-typable code printed on a container's label and carried by its QR
 * code (HJ 1276-2022 数字识别码): `HL-<year>-XXXX-XXXX-XXXC`, eleven random characters of
 * Crockford's base 32 (no I, L, O, U: nothing to confuse when typed) and a Luhn mod 32 check
 * character over the year and the body, so that a mistyped character, or a swap of two neighbours (all but 0↔Z), is
 * caught before any lookup. Pure: the random characters come in as an argument.
 */
export const LABEL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const LABEL_BODY_LENGTH = 11;

const N = LABEL_ALPHABET.length;
const LABEL_CODE = /^HL-(\d{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$/;

/** Luhn mod N check character over `text` (characters of the alphabet). */
export function checkCharacter(text: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const value = LABEL_ALPHABET.indexOf(text[i]);
    if (value < 0) throw new Error(`not a label character: ${text[i]}`);
    let addend = factor * value;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return LABEL_ALPHABET[(N - (sum % N)) % N];
}

/** Maps random bytes onto body characters (5 bits each; the caller supplies LABEL_BODY_LENGTH bytes). */
export function bodyFromBytes(bytes: Uint8Array): string {
  if (bytes.length < LABEL_BODY_LENGTH) throw new Error(`need ${LABEL_BODY_LENGTH} random bytes`);
  return Array.from(bytes.subarray(0, LABEL_BODY_LENGTH), (b) => LABEL_ALPHABET[b & 31]).join('');
}

/** Formats a label code for `year` from an 11-character body. */
export function formatLabelCode(year: number, body: string): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`not a year: ${year}`);
  if (body.length !== LABEL_BODY_LENGTH) throw new Error(`body must have ${LABEL_BODY_LENGTH} characters`);
  const full = body + checkCharacter(`${year}${body}`);
  return `HL-${year}-${full.slice(0, 4)}-${full.slice(4, 8)}-${full.slice(8, 12)}`;
}

/**
 * A code as typed or scanned, normalised (upper case, spaces and extra dashes ignored, O read as
 * 0 and I or L as 1), or null when it is not a well-formed code with a correct check character.
 */
export function normaliseLabelCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const compact = input.toUpperCase().replace(/[\s_-]/g, '');
  if (!compact.startsWith('HL')) return null;
  const rest = compact.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
  const m = /^(\d{4})([0-9A-Z]{12})$/.exec(rest);
  if (!m) return null;
  const [, year, tail] = m;
  const code = `HL-${year}-${tail.slice(0, 4)}-${tail.slice(4, 8)}-${tail.slice(8, 12)}`;
  if (!LABEL_CODE.test(code)) return null;
  const body = tail.slice(0, LABEL_BODY_LENGTH);
  return checkCharacter(`${year}${body}`) === tail[LABEL_BODY_LENGTH] ? code : null;
}

/** 批次编码 — the batch code shared by the containers generated together: `B-<yyyymmdd>-XXXXXX`. */
export function formatBatchCode(shanghaiDate: string, body: string): string {
  return `B-${shanghaiDate.replace(/-/g, '')}-${body.slice(0, 6)}`;
}
