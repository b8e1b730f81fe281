import {
  checkCharacter,
  formatBatchCode,
  formatLabelCode,
  LABEL_ALPHABET,
  normaliseLabelCode,
} from './label-code';

describe('label codes (标签编码)', () => {
  const code = formatLabelCode(2025, '7K3Q9M2XH4C');

  it('are HL-<year>-XXXX-XXXX-XXXC with a check character', () => {
    expect(code).toMatch(/^HL-2025-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(code.startsWith('HL-2025-7K3Q-9M2X-H4C')).toBe(true);
    expect(normaliseLabelCode(code)).toBe(code);
  });

  it('read back as typed: lower case, spaces, O for 0, I or L for 1', () => {
    const typed = code.toLowerCase().replace(/-/g, ' ');
    expect(normaliseLabelCode(typed)).toBe(code);
    const withOne = formatLabelCode(2025, '10000000001');
    expect(normaliseLabelCode(withOne.replace(/1/g, 'l').replace(/0/g, 'o').replace(/^hl/i, 'HL'))).toBe(
      withOne,
    );
  });

  it('catch every single mistyped character and swaps of neighbours', () => {
    const compact = code.replace(/-/g, '');
    for (let i = 2; i < compact.length; i++) {
      for (const c of LABEL_ALPHABET) {
        if (c === compact[i] || (i < 6 && !/\d/.test(c))) continue;
        const typo = compact.slice(0, i) + c + compact.slice(i + 1);
        expect(normaliseLabelCode(typo)).toBeNull();
      }
    }
    for (let i = 6; i < compact.length - 1; i++) {
      if (compact[i] === compact[i + 1]) continue;
      const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
      expect(normaliseLabelCode(swapped)).toBeNull();
    }
  });

  it('refuse other shapes', () => {
    for (const bad of [
      '',
      'HL-2025',
      'XX-2025-7K3Q-9M2X-H4C0',
      'HL-25-7K3Q-9M2X-H4C0',
      'HL-2025-7K3Q-9M2X-H4CU',
    ]) {
      expect(normaliseLabelCode(bad)).toBeNull();
    }
    expect(() => checkCharacter('U')).toThrow();
  });

  it('batch codes carry the Shanghai date', () => {
    expect(formatBatchCode('2025-03-03', 'ABCDEFGH')).toBe('B-20250303-ABCDEF');
  });
});
