import fc from 'fast-check';
import { DomainError } from '../../shared/domain/domain-error';
import { grams, type Grams } from '../../shared/domain/mass';
import {
  checkReceiverLicence,
  type Licence,
  type LicenceItem,
  type ReceiverLicenceQuery,
} from './licence-check';

const item = (itemId: string, scope: string, extra: Partial<LicenceItem> = {}): LicenceItem => ({
  itemId,
  scope,
  modes: ['STORE', 'DISPOSE'],
  annualCapacityTonnes: 10,
  ...extra,
});

const licence = (extra: Partial<Licence> = {}): Licence => ({
  id: 'lic-1',
  number: '豫环许可危废字〔2025〕1号',
  holderPartyId: 'recv',
  kind: 'COMPREHENSIVE',
  validFrom: '2025-01-01',
  validTo: '2029-12-31',
  facilitySiteIds: ['site-1'],
  items: [item('i-hw08', 'HW08')],
  ...extra,
});

/** Reserved + settled grams keyed `itemId@year`. */
const usage =
  (m: Record<string, number> = {}) =>
  (itemId: string, year: number): Grams =>
    grams(m[`${itemId}@${year}`] ?? 0);

const query = (extra: Partial<ReceiverLicenceQuery> = {}): ReceiverLicenceQuery => ({
  licences: [licence()],
  partyId: 'recv',
  siteId: 'site-1',
  wasteCode: '900-249-08',
  mode: 'DISPOSE',
  businessDate: '2026-05-01',
  massGrams: grams(1_000),
  usedGrams: usage(),
  ...extra,
});

function refusal(q: ReceiverLicenceQuery): DomainError {
  try {
    checkReceiverLicence(q);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('checkReceiverLicence (接受人许可核查)', () => {
  it('accepts a covered code and names the item to reserve on', () => {
    expect(checkReceiverLicence(query())).toEqual({
      ok: true,
      itemId: 'i-hw08',
      licenceId: 'lic-1',
      licenceNumber: '豫环许可危废字〔2025〕1号',
      emergencyAuthorisationId: null,
      emergency: false,
      match: 'CATEGORY',
      scope: 'HW08',
      capacityLevel: 'NORMAL',
      year: 2026,
      usedGrams: 0,
      afterGrams: 1_000,
      capacityGrams: 10_000_000,
    });
  });

  describe('validity: first and last valid days inclusive (Asia/Shanghai)', () => {
    it.each([
      ['2024-12-31', 'NOT_YET_VALID'],
      ['2025-01-01', null],
      ['2029-12-31', null],
      ['2030-01-01', 'EXPIRED'],
    ])('on %s → %s', (date, reason) => {
      if (reason === null) {
        expect(checkReceiverLicence(query({ businessDate: date })).ok).toBe(true);
      } else {
        const e = refusal(query({ businessDate: date }));
        expect(e.code).toBe('RECEIVER_NOT_LICENSED');
        expect(e.details.refused).toEqual([{ id: 'lic-1', reason }]);
      }
    });

    it('takes an instant as its Shanghai day', () => {
      expect(checkReceiverLicence(query({ businessDate: new Date('2029-12-31T15:59:59.999Z') })).ok).toBe(
        true,
      );
      expect(refusal(query({ businessDate: new Date('2029-12-31T16:00:00.000Z') })).code).toBe(
        'RECEIVER_NOT_LICENSED',
      );
      expect(refusal(query({ businessDate: new Date('2024-12-31T15:59:59.999Z') })).code).toBe(
        'RECEIVER_NOT_LICENSED',
      );
      expect(checkReceiverLicence(query({ businessDate: new Date('2024-12-31T16:00:00.000Z') })).year).toBe(
        2025,
      );
    });
  });

  describe('suspended, then reinstated, then revoked', () => {
    const l = licence({
      statusChanges: [
        { status: 'SUSPENDED', from: '2026-03-01' },
        { status: 'ACTIVE', from: '2026-04-01' },
        { status: 'REVOKED', from: '2026-09-01' },
      ],
    });
    it.each([
      ['2026-02-28', null],
      ['2026-03-01', 'SUSPENDED'],
      ['2026-03-31', 'SUSPENDED'],
      ['2026-04-01', null],
      ['2026-08-31', null],
      ['2026-09-01', 'REVOKED'],
      ['2027-01-01', 'REVOKED'],
    ])('on %s → %s', (date, reason) => {
      const q = query({ licences: [l], businessDate: date });
      if (reason === null) expect(checkReceiverLicence(q).licenceId).toBe('lic-1');
      else expect(refusal(q).details.refused).toEqual([{ id: 'lic-1', reason }]);
    });
  });

  it('uses the renewed licence after the old one expires', () => {
    const old = licence({
      id: 'old',
      validFrom: '2021-01-01',
      validTo: '2025-12-31',
      items: [item('i-old', 'HW08')],
    });
    const renewed = licence({
      id: 'new',
      validFrom: '2026-01-01',
      validTo: '2030-12-31',
      items: [item('i-new', 'HW08')],
    });
    expect(checkReceiverLicence(query({ licences: [old, renewed], businessDate: '2025-12-31' })).itemId).toBe(
      'i-old',
    );
    expect(checkReceiverLicence(query({ licences: [old, renewed], businessDate: '2026-01-01' })).itemId).toBe(
      'i-new',
    );
  });

  describe('capacity per item and calendar year (120 % tolerance)', () => {
    // capacity 10 t = 10 000 000 g; 5 000 000 g already reserved or settled in 2026
    const at = (mass: number) =>
      query({
        massGrams: grams(mass),
        usedGrams: usage({ 'i-hw08@2026': 5_000_000, 'i-hw08@2025': 9_999_999 }),
      });

    it.each([
      [3_999_999, 'NORMAL', 8_999_999],
      [4_000_000, 'WARNING_90', 9_000_000],
      [4_000_001, 'WARNING_90', 9_000_001],
      [5_000_000, 'WARNING_90', 10_000_000],
      [5_000_001, 'OVER_100', 10_000_001],
      [7_000_000, 'OVER_100', 12_000_000],
    ])('%i g more → %s (%i g)', (mass, level, after) => {
      const r = checkReceiverLicence(at(mass));
      expect(r.capacityLevel).toBe(level);
      expect(r.afterGrams).toBe(after);
      expect(r.usedGrams).toBe(5_000_000);
    });

    it('refuses one gram over 120 %', () => {
      const e = refusal(at(7_000_001));
      expect(e.code).toBe('LICENCE_CAPACITY_EXCEEDED');
      expect(e.details).toMatchObject({
        itemId: 'i-hw08',
        year: 2026,
        usedGrams: 5_000_000,
        afterGrams: 12_000_001,
        capacityGrams: 10_000_000,
      });
    });

    it('counts the calendar year of the business date', () => {
      const q = { ...at(1), businessDate: '2025-12-31' };
      expect(checkReceiverLicence(q)).toMatchObject({
        year: 2025,
        capacityLevel: 'WARNING_90',
        afterGrams: 10_000_000,
      });
      expect(checkReceiverLicence({ ...at(1), businessDate: '2027-01-01' })).toMatchObject({
        year: 2027,
        afterGrams: 1,
      });
    });

    it('works with fractional tonnes', () => {
      const l = licence({ items: [item('i-small', 'HW08', { annualCapacityTonnes: 0.5 })] });
      expect(checkReceiverLicence(query({ licences: [l], massGrams: grams(600_000) })).capacityLevel).toBe(
        'OVER_100',
      );
      expect(refusal(query({ licences: [l], massGrams: grams(600_001) })).code).toBe(
        'LICENCE_CAPACITY_EXCEEDED',
      );
    });

    it('never accepts beyond 120 % and always accepts within it (property)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 100_000 }),
          fc.nat({ max: 200_000_000_000 }),
          fc.nat({ max: 200_000_000_000 }),
          (capTonnes, used, mass) => {
            const l = licence({ items: [item('i', 'HW08', { annualCapacityTonnes: capTonnes })] });
            const q = query({ licences: [l], massGrams: grams(mass), usedGrams: () => grams(used) });
            const within = (used + mass) * 100 <= capTonnes * 1_000_000 * 120;
            if (within) expect(checkReceiverLicence(q).afterGrams).toBe(used + mass);
            else expect(refusal(q).code).toBe('LICENCE_CAPACITY_EXCEEDED');
          },
        ),
      );
    });
  });

  describe('the most specific item wins (code before category)', () => {
    const l = licence({
      items: [
        item('i-cat', 'HW08', { annualCapacityTonnes: 100 }),
        item('i-code', '900-249-08', { annualCapacityTonnes: 1 }),
      ],
    });

    it('an exact code item before its category, even when fuller', () => {
      const r = checkReceiverLicence(
        query({ licences: [l], usedGrams: usage({ 'i-code@2026': 1_100_000 }) }),
      );
      expect(r).toMatchObject({ itemId: 'i-code', match: 'CODE', capacityLevel: 'OVER_100' });
    });

    it('other codes of the category go to the category item', () => {
      expect(checkReceiverLicence(query({ licences: [l], wasteCode: '900-214-08' })).itemId).toBe('i-cat');
    });

    it('a full code item is refused, without spilling over to the category item', () => {
      const e = refusal(query({ licences: [l], usedGrams: usage({ 'i-code@2026': 1_200_000 }) }));
      expect(e.code).toBe('LICENCE_CAPACITY_EXCEEDED');
      expect(e.details.itemId).toBe('i-code');
    });

    it('an item without the mode does not count: the category item with the mode wins', () => {
      const storeOnly = licence({
        items: [
          item('i-code', '900-249-08', { modes: ['STORE'] }),
          item('i-cat', 'HW08', { modes: ['DISPOSE'] }),
        ],
      });
      expect(checkReceiverLicence(query({ licences: [storeOnly] })).itemId).toBe('i-cat');
      expect(checkReceiverLicence(query({ licences: [storeOnly], mode: 'STORE' })).itemId).toBe('i-code');
    });

    it('between equally specific items, the one with more room', () => {
      const two = [
        licence({ id: 'a', items: [item('i-a', 'HW08')] }),
        licence({ id: 'b', items: [item('i-b', 'HW08')] }),
      ];
      const r = checkReceiverLicence(query({ licences: two, usedGrams: usage({ 'i-a@2026': 9_500_000 }) }));
      expect(r.itemId).toBe('i-b');
      expect(checkReceiverLicence(query({ licences: two })).itemId).toBe('i-a'); // tie: by id
    });
  });

  describe('refusals', () => {
    it('LICENCE_MODE_MISSING when covered but not with the mode', () => {
      const l = licence({ items: [item('i-hw08', 'HW08', { modes: ['COLLECT', 'STORE'] })] });
      const e = refusal(query({ licences: [l], mode: 'UTILISE' }));
      expect(e.code).toBe('LICENCE_MODE_MISSING');
      expect(e.details.availableModes).toEqual(['COLLECT', 'STORE']);
    });

    it('RECEIVER_NOT_LICENSED for an uncovered code, with no licence, or with another party’s licence', () => {
      expect(refusal(query({ wasteCode: '900-041-49' })).details.refused).toEqual([
        { id: 'lic-1', reason: 'CODE_NOT_COVERED' },
      ]);
      expect(refusal(query({ licences: [] })).code).toBe('RECEIVER_NOT_LICENSED');
      expect(refusal(query({ partyId: 'other' })).details.refused).toEqual([]);
    });

    it('RECEIVER_NOT_LICENSED when the receiving site is not on the licence', () => {
      const e = refusal(query({ siteId: 'site-2' }));
      expect(e.details.refused).toEqual([{ id: 'lic-1', reason: 'SITE_NOT_COVERED' }]);
      expect(checkReceiverLicence(query({ siteId: undefined })).ok).toBe(true);
    });

    it.each([
      [{ wasteCode: '900-249-8' }, 'UNKNOWN_WASTE_CODE', 'wasteCode'],
      [{ wasteCode: 'HW08' }, 'UNKNOWN_WASTE_CODE', 'wasteCode'],
      [{ mode: 'BURN' as 'DISPOSE' }, 'BAD_USER_INPUT', 'mode'],
      [{ massGrams: -1 as Grams }, 'BAD_USER_INPUT', 'massGrams'],
      [{ massGrams: 1.5 as Grams }, 'BAD_USER_INPUT', 'massGrams'],
      [{ businessDate: '2026-02-30' }, 'BAD_USER_INPUT', 'businessDate'],
    ])('refuses malformed input %j', (extra, code, field) => {
      const e = refusal(query(extra));
      expect(e.code).toBe(code);
      expect(e.details.field).toBe(field);
    });

    it('treats a broken usage counter as a bug, not a user error', () => {
      expect(() => checkReceiverLicence(query({ usedGrams: () => -1 as Grams }))).toThrow(/usedGrams/);
    });
  });
});
