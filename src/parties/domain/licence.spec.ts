import fc from 'fast-check';
import {
  bestScopeMatch,
  capacityLevelOf,
  collectionLicenceCovers,
  itemMatch,
  type Licence,
  licenceStandingOn,
  licenceStatusOn,
  type LicenceItem,
  mergeAllowed,
  scopeMatch,
} from './licence';

const item = (scope: string, extra: Partial<LicenceItem> = {}): LicenceItem => ({
  itemId: `item-${scope}`,
  scope,
  modes: ['STORE', 'DISPOSE'],
  annualCapacityTonnes: 10,
  ...extra,
});

const licence = (extra: Partial<Licence> = {}): Licence => ({
  id: 'lic',
  number: 'HW-410100-001',
  holderPartyId: 'p',
  kind: 'COMPREHENSIVE',
  validFrom: '2025-01-01',
  validTo: '2029-12-31',
  facilitySiteIds: ['s'],
  items: [],
  ...extra,
});

describe('licence scope (许可事项)', () => {
  it('matches an exact code, its category, and the two medical mappings', () => {
    expect(scopeMatch('900-249-08', '900-249-08')).toBe('CODE');
    expect(scopeMatch('HW08', '900-249-08')).toBe('CATEGORY');
    expect(scopeMatch('HW49', '841-004-01')).toBe('MEDICAL_MAPPING');
    expect(scopeMatch('HW03', '841-005-01')).toBe('MEDICAL_MAPPING');
    expect(scopeMatch('HW01', '841-004-01')).toBe('CATEGORY');
    expect(scopeMatch('HW49', '841-005-01')).toBeNull();
    expect(scopeMatch('HW03', '841-004-01')).toBeNull();
    expect(scopeMatch('HW49', '841-001-01')).toBeNull();
    expect(scopeMatch('HW09', '900-249-08')).toBeNull();
    expect(scopeMatch('900-214-08', '900-249-08')).toBeNull();
  });

  it('picks the best of several scopes', () => {
    expect(bestScopeMatch(['HW49', 'HW01'], '841-004-01')).toEqual({ scope: 'HW01', match: 'CATEGORY' });
    expect(bestScopeMatch(['HW01', '841-004-01', 'HW49'], '841-004-01')).toEqual({
      scope: '841-004-01',
      match: 'CODE',
    });
    expect(bestScopeMatch([], '841-004-01')).toBeNull();
  });

  it('restricts a COLLECTION licence to waste mineral oil from vehicle repair and Ni-Cd batteries', () => {
    expect(collectionLicenceCovers('900-214-08')).toBe(true);
    expect(collectionLicenceCovers('900-044-49')).toBe(true);
    expect(collectionLicenceCovers('900-249-08')).toBe(false);
    expect(itemMatch('COLLECTION', item('HW08'), '900-214-08')).toBe('CATEGORY');
    expect(itemMatch('COLLECTION', item('HW08'), '900-249-08')).toBeNull();
    expect(itemMatch('COLLECTION', item('HW49'), '900-044-49')).toBe('CATEGORY');
    expect(itemMatch('COLLECTION', item('HW49'), '841-004-01')).toBeNull();
    expect(itemMatch('COLLECTION', item('HW09'), '900-214-08')).toBeNull(); // the item must still cover it
    expect(itemMatch('PILOT_COLLECTION', item('HW08'), '900-249-08')).toBe('CATEGORY');
  });
});

describe('licence status over time (暂扣、恢复、吊销)', () => {
  const l = licence({
    statusChanges: [
      { status: 'SUSPENDED', from: '2026-03-01' },
      { status: 'ACTIVE', from: '2026-04-01' },
      { status: 'REVOKED', from: '2026-09-01' },
      { status: 'ACTIVE', from: '2026-10-01' },
    ],
  });

  it.each([
    ['2026-02-28', 'ACTIVE'],
    ['2026-03-01', 'SUSPENDED'],
    ['2026-03-31', 'SUSPENDED'],
    ['2026-04-01', 'ACTIVE'],
    ['2026-08-31', 'ACTIVE'],
    ['2026-09-01', 'REVOKED'],
    ['2026-10-01', 'REVOKED'], // a revocation is final
  ])('on %s is %s', (date, status) => {
    expect(licenceStatusOn(l, date)).toBe(status);
  });

  it('orders changes by date, and same-day changes by issue order', () => {
    const shuffled = licence({
      statusChanges: [
        { status: 'ACTIVE', from: '2026-04-01' },
        { status: 'SUSPENDED', from: '2026-03-01' },
        { status: 'SUSPENDED', from: '2026-05-01' },
        { status: 'ACTIVE', from: '2026-05-01' },
      ],
    });
    expect(licenceStatusOn(shuffled, '2026-03-15')).toBe('SUSPENDED');
    expect(licenceStatusOn(shuffled, '2026-04-15')).toBe('ACTIVE');
    expect(licenceStatusOn(shuffled, '2026-05-01')).toBe('ACTIVE');
  });

  it('combines validity (inclusive days) and status', () => {
    expect(licenceStandingOn(l, '2024-12-31')).toBe('NOT_YET_VALID');
    expect(licenceStandingOn(l, '2025-01-01')).toBe('IN_FORCE');
    expect(licenceStandingOn(l, '2026-03-01')).toBe('SUSPENDED');
    expect(licenceStandingOn(l, '2026-09-01')).toBe('REVOKED');
    const plain = licence();
    expect(licenceStandingOn(plain, '2029-12-31')).toBe('IN_FORCE');
    expect(licenceStandingOn(plain, '2030-01-01')).toBe('EXPIRED');
  });
});

describe('capacity level (年经营规模)', () => {
  const cap = 10_000_000; // 10 t
  it.each([
    [0, 'NORMAL'],
    [8_999_999, 'NORMAL'],
    [9_000_000, 'WARNING_90'],
    [9_000_001, 'WARNING_90'],
    [10_000_000, 'WARNING_90'],
    [10_000_001, 'OVER_100'],
    [12_000_000, 'OVER_100'],
    [12_000_001, 'OVER_120'],
  ])('%i g of 10 t is %s', (after, level) => {
    expect(capacityLevelOf(after, cap)).toBe(level);
  });

  it('is exact for capacities that are not multiples of 10 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000_000_000 }),
        fc.nat({ max: 3_000_000_000_000 }),
        (c, a) => {
          const level = capacityLevelOf(a, c);
          const ratio = (BigInt(a) * 1000n) / BigInt(c); // per mille, floored
          if (level === 'OVER_120') expect(BigInt(a) * 5n > BigInt(c) * 6n).toBe(true);
          else expect(BigInt(a) * 5n <= BigInt(c) * 6n).toBe(true);
          if (level === 'NORMAL') expect(ratio < 900n).toBe(true);
        },
      ),
    );
  });
});

describe('consolidation (合并)', () => {
  it('allows same-code merges, and other codes only when an item lists them', () => {
    const items = [item('HW08', { mergeableCodes: ['900-214-08', '900-217-08'] }), item('HW49')];
    expect(mergeAllowed([], '900-249-08', ['900-249-08', '900-249-08'])).toBe(true);
    expect(mergeAllowed(items, '900-249-08', ['900-214-08', '900-217-08', '900-249-08'])).toBe(true);
    expect(mergeAllowed(items, '900-249-08', ['900-214-08', '900-218-08'])).toBe(false);
    expect(mergeAllowed(items, '900-041-49', ['900-214-08'])).toBe(false);
  });
});
