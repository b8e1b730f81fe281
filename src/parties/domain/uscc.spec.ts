import fc from 'fast-check';
import { DomainError } from '../../shared/domain/domain-error';
import {
  isValidUscc,
  normaliseUscc,
  USCC_ALPHABET,
  USCC_WEIGHTS,
  usccDivisionCode,
  validateUscc,
  withUsccCheckCharacter,
} from './uscc';

/** Published codes of real companies (check characters verified by hand against GB 32100). */
const PUBLISHED = [
  '91350100M000100Y43', // the worked example used in GB 32100 explanations
  '914403001922038216', // 华为技术有限公司
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
];

const alphabetChar = fc.constantFrom(...USCC_ALPHABET);
const body17 = fc.array(alphabetChar, { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''));
const validCode = body17.map(withUsccCheckCharacter);

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('uses weights 3^(i-1) mod 31', () => {
    expect(USCC_WEIGHTS).toEqual(Array.from({ length: 17 }, (_, i) => 3 ** i % 31));
    expect(USCC_ALPHABET).toHaveLength(31);
    expect(USCC_ALPHABET).not.toMatch(/[IOZSV]/);
  });

  it.each(PUBLISHED)('accepts the published code %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(validateUscc(code)).toBe(code);
    expect(withUsccCheckCharacter(code.slice(0, 17))).toBe(code);
  });

  it.each([
    ['91410100MA44XXXX0', 'a Zhengzhou company'],
    ['12410000000000000', 'a public institution in Henan'],
    ['52110000500000000', 'a social organisation in Beijing'],
    ['92410102MA3X0A1B2', 'an individual business in 中原区'],
    ['Y1110105MA0000000', 'another authority'],
  ])('completes %s (%s) into a valid code', (first17) => {
    const code = withUsccCheckCharacter(first17);
    expect(code).toHaveLength(18);
    expect(isValidUscc(code)).toBe(true);
  });

  it('maps a weighted sum of 0 mod 31 to the check character 0', () => {
    // all zeros: sum 0 → 31 - 0 = 31 → 0
    expect(withUsccCheckCharacter('00000000000000000')).toBe('000000000000000000');
    // value 1 at position 1: sum 1 → 30 → 'Y'
    expect(withUsccCheckCharacter('10000000000000000')).toBe('10000000000000000Y');
  });

  it('normalises by trimming and upper-casing', () => {
    expect(normaliseUscc('  91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(isValidUscc(' 91350100m000100y43\n')).toBe(true);
    expect(validateUscc('91350100m000100y43')).toBe('91350100M000100Y43');
  });

  it.each([
    ['', 'empty'],
    ['91350100M000100Y4', '17 characters'],
    ['91350100M000100Y433', '19 characters'],
    ['91350100M00010OY43', 'letter O'],
    ['9135010OM000100Y43', 'letter O in the division'],
    ['91350100M000100I43', 'letter I'],
    ['91350100M000100Z43', 'letter Z'],
    ['91350100M000100S43', 'letter S'],
    ['91350100M000100V43', 'letter V'],
    ['91350100M000 00Y43', 'inner space'],
    ['91350100M000100Y4３', 'full-width digit'],
    ['91350100M000100Y42', 'wrong check character'],
  ])('refuses %j (%s)', (code) => {
    expect(isValidUscc(code)).toBe(false);
    const e = errorOf(() => validateUscc(code, 'input.uscc'));
    expect(e.code).toBe('INVALID_USCC');
    expect(e.details.field).toBe('input.uscc');
  });

  it('refuses non-strings', () => {
    expect(isValidUscc(undefined)).toBe(false);
    expect(isValidUscc(914403001922038)).toBe(false);
    expect(errorOf(() => validateUscc(null)).code).toBe('INVALID_USCC');
    expect(errorOf(() => validateUscc(null)).details.field).toBe('uscc');
  });

  it('says what is wrong without disclosing the expected check character', () => {
    expect(() => validateUscc('91350100M000100Y4')).toThrow(/18 characters/);
    expect(() => validateUscc('91350100M000100I43')).toThrow(/character 16 \("I"\)/);
    const e = errorOf(() => validateUscc('91350100M000100Y42'));
    expect(e.message).toMatch(/check character/);
    expect(e.message).not.toContain('43');
  });

  it('refuses a bad body in withUsccCheckCharacter', () => {
    expect(errorOf(() => withUsccCheckCharacter('123')).code).toBe('INVALID_USCC');
    expect(errorOf(() => withUsccCheckCharacter('91350100M000100I4')).details.field).toBe('first17');
  });

  it('reads the division code', () => {
    expect(usccDivisionCode(validateUscc('91350100M000100Y43'))).toBe('350100');
  });

  describe('properties', () => {
    it('every completed code is valid, also in lower case and padded', () => {
      fc.assert(
        fc.property(validCode, (code) => {
          expect(isValidUscc(code)).toBe(true);
          expect(isValidUscc(` ${code.toLowerCase()}\t`)).toBe(true);
        }),
      );
    });

    it('every single-character substitution of a valid code is refused', () => {
      const otherChars = [...USCC_ALPHABET, 'I', 'O', 'Z', 'S', 'V', '-', '*', '中'];
      fc.assert(
        fc.property(
          validCode,
          fc.nat({ max: 17 }),
          fc.constantFrom(...otherChars),
          (code, position, replacement) => {
            fc.pre(replacement !== code[position]);
            const mutated = code.slice(0, position) + replacement + code.slice(position + 1);
            expect(isValidUscc(mutated)).toBe(false);
            expect(() => validateUscc(mutated)).toThrow(DomainError);
          },
        ),
        { numRuns: 2000 },
      );
    });

    it('every substitution at every position of the published codes is refused (exhaustive)', () => {
      for (const code of PUBLISHED) {
        for (let position = 0; position < 18; position += 1) {
          for (const replacement of USCC_ALPHABET) {
            if (replacement === code[position]) continue;
            const mutated = code.slice(0, position) + replacement + code.slice(position + 1);
            expect(isValidUscc(mutated)).toBe(false);
          }
        }
      }
    });

    it('every swap of two different adjacent characters among positions 1–17 is refused', () => {
      fc.assert(
        fc.property(validCode, fc.nat({ max: 15 }), (code, i) => {
          fc.pre(code[i] !== code[i + 1]);
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(isValidUscc(swapped)).toBe(false);
        }),
      );
    });

    it('a wrong length is always refused', () => {
      fc.assert(
        fc.property(
          fc.array(alphabetChar, { maxLength: 40 }).filter((cs) => cs.length !== 18),
          (cs) => {
            expect(isValidUscc(cs.join(''))).toBe(false);
          },
        ),
      );
    });
  });
});
