import { hazardCertainty, parseHazardNotation } from './hazard';
import { categoryOfCode, medicalClassOfCode, WASTE_CODE_PATTERN } from './medical-waste';

describe('hazard notation of the National Hazardous Waste List', () => {
  it.each([
    ['T', ['T']],
    ['In', ['In']],
    ['T,I', ['T', 'I']],
    ['C,T', ['C', 'T']],
    ['T/C/I/R', ['T', 'C', 'I', 'R']],
    ['T/C/I/R/In', ['T', 'C', 'I', 'R', 'In']],
  ])('%s names %j', (notation, hazards) => {
    expect(parseHazardNotation(notation)).toEqual(hazards);
  });

  it('refuses unknown symbols and empty notations', () => {
    expect(() => parseHazardNotation('T,X')).toThrow(/unknown hazard/);
    expect(() => parseHazardNotation('')).toThrow(/empty/);
  });

  it('tells certain-first lists from one-or-more lists', () => {
    expect(hazardCertainty('T,I')).toBe('CERTAIN_FIRST');
    expect(hazardCertainty('T/C')).toBe('ONE_OR_MORE');
    expect(hazardCertainty('T')).toBe('SINGLE');
  });
});

describe('waste codes', () => {
  it('derive the category from the last two digits', () => {
    expect(categoryOfCode('900-214-08')).toBe('HW08');
    expect(WASTE_CODE_PATTERN.test('900-214-08')).toBe(true);
    expect(WASTE_CODE_PATTERN.test('900-214-8')).toBe(false);
  });

  it('map the five medical classes to their codes and nothing else', () => {
    expect(medicalClassOfCode('841-001-01')).toBe('INFECTIOUS');
    expect(medicalClassOfCode('841-005-01')).toBe('PHARMACEUTICAL');
    expect(medicalClassOfCode('900-214-08')).toBeUndefined();
  });
});
