import { DomainError } from '../../shared/domain/domain-error';
import { grams, type Grams } from '../../shared/domain/mass';
import {
  checkReceiverLicence,
  type EmergencyAuthorisation,
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

describe('checkReceiverLicence: medical mapping, COLLECTION licences, emergency authorisations', () => {
  describe('medical mapping (SPEC section 3)', () => {
    const hw49 = licence({ items: [item('i-hw49', 'HW49')] });
    const hw03 = licence({ items: [item('i-hw03', 'HW03')] });

    it('841-004-01 (化学性) may go to an HW49 item', () => {
      expect(checkReceiverLicence(query({ licences: [hw49], wasteCode: '841-004-01' }))).toMatchObject({
        itemId: 'i-hw49',
        match: 'MEDICAL_MAPPING',
      });
    });

    it('841-005-01 (药物性) may go to an HW03 item', () => {
      expect(checkReceiverLicence(query({ licences: [hw03], wasteCode: '841-005-01' })).itemId).toBe(
        'i-hw03',
      );
    });

    it('no other crossing', () => {
      expect(refusal(query({ licences: [hw49], wasteCode: '841-005-01' })).code).toBe(
        'RECEIVER_NOT_LICENSED',
      );
      expect(refusal(query({ licences: [hw03], wasteCode: '841-004-01' })).code).toBe(
        'RECEIVER_NOT_LICENSED',
      );
      expect(refusal(query({ licences: [hw49], wasteCode: '841-001-01' })).code).toBe(
        'RECEIVER_NOT_LICENSED',
      );
    });

    it('an HW01 item comes before the mapped category', () => {
      const both = licence({ items: [item('i-hw49', 'HW49'), item('i-hw01', 'HW01')] });
      expect(checkReceiverLicence(query({ licences: [both], wasteCode: '841-004-01' })).itemId).toBe(
        'i-hw01',
      );
    });
  });

  describe('COLLECTION licence (收集经营许可证)', () => {
    const collection = licence({
      kind: 'COLLECTION',
      items: [
        item('i-hw08', 'HW08', { modes: ['COLLECT', 'STORE'] }),
        item('i-hw49', 'HW49', { modes: ['COLLECT', 'STORE'] }),
      ],
    });

    it('covers waste mineral oil from vehicle repair and Ni-Cd batteries', () => {
      expect(
        checkReceiverLicence(query({ licences: [collection], wasteCode: '900-214-08', mode: 'COLLECT' }))
          .itemId,
      ).toBe('i-hw08');
      expect(
        checkReceiverLicence(query({ licences: [collection], wasteCode: '900-044-49', mode: 'STORE' }))
          .itemId,
      ).toBe('i-hw49');
    });

    it('covers nothing else, whatever its items say', () => {
      for (const wasteCode of ['900-249-08', '900-041-49', '841-004-01']) {
        const e = refusal(query({ licences: [collection], wasteCode, mode: 'COLLECT' }));
        expect(e.code).toBe('RECEIVER_NOT_LICENSED');
        expect(e.details.refused).toEqual([{ id: 'lic-1', reason: 'COLLECTION_LICENCE_RESTRICTION' }]);
      }
    });

    it('a PILOT_COLLECTION licence covers what its items say', () => {
      const pilot = { ...collection, kind: 'PILOT_COLLECTION' as const };
      expect(
        checkReceiverLicence(query({ licences: [pilot], wasteCode: '900-249-08', mode: 'COLLECT' })).ok,
      ).toBe(true);
    });
  });

  describe('emergency authorisation (应急处置)', () => {
    const auth: EmergencyAuthorisation = {
      id: 'ea-1',
      holderPartyId: 'recv',
      scope: ['HW01'],
      modes: ['DISPOSE'],
      capacityTonnes: 5,
      regionPrefixes: ['4201'],
      validFrom: '2026-01-20',
      validTo: '2026-04-30',
    };
    const medical = (extra: Partial<ReceiverLicenceQuery> = {}) =>
      query({
        wasteCode: '841-001-01',
        emergencyAuthorisations: [auth],
        originDivisionCode: '420102',
        businessDate: '2026-02-01',
        ...extra,
      });

    it('covers what no licence covers, and marks the result', () => {
      expect(checkReceiverLicence(medical())).toMatchObject({
        itemId: 'ea-1',
        licenceId: null,
        emergencyAuthorisationId: 'ea-1',
        emergency: true,
        match: 'CATEGORY',
        capacityGrams: 5_000_000,
      });
    });

    it.each([
      ['2026-01-19', 'NOT_YET_VALID'],
      ['2026-01-20', null],
      ['2026-04-30', null],
      ['2026-05-01', 'EXPIRED'],
    ])('on %s → %s', (date, reason) => {
      if (reason === null) expect(checkReceiverLicence(medical({ businessDate: date })).emergency).toBe(true);
      else
        expect(refusal(medical({ businessDate: date })).details.refused).toContainEqual({
          id: 'ea-1',
          reason,
        });
    });

    it('applies only to waste from its region', () => {
      expect(refusal(medical({ originDivisionCode: '410102' })).details.refused).toContainEqual({
        id: 'ea-1',
        reason: 'ORIGIN_OUTSIDE_REGION',
      });
      expect(refusal(medical({ originDivisionCode: undefined })).details.refused).toContainEqual({
        id: 'ea-1',
        reason: 'ORIGIN_UNKNOWN',
      });
    });

    it('ends when revoked, and is limited to its sites when it names them', () => {
      const revoked = { ...auth, revokedFrom: '2026-02-01' };
      expect(refusal(medical({ emergencyAuthorisations: [revoked] })).details.refused).toContainEqual({
        id: 'ea-1',
        reason: 'REVOKED',
      });
      const mobile = { ...auth, facilitySiteIds: ['mobile-1'] };
      expect(refusal(medical({ emergencyAuthorisations: [mobile] })).code).toBe('RECEIVER_NOT_LICENSED');
      expect(
        checkReceiverLicence(medical({ emergencyAuthorisations: [mobile], siteId: 'mobile-1' })).emergency,
      ).toBe(true);
    });

    it('ends with the epidemic it was granted for (the day after its last day)', () => {
      const ofEpidemic = { ...auth, epidemicEndedFrom: '2026-03-01' };
      expect(
        checkReceiverLicence(medical({ emergencyAuthorisations: [ofEpidemic], businessDate: '2026-02-28' }))
          .emergency,
      ).toBe(true);
      for (const date of ['2026-03-01', '2026-04-15'])
        expect(
          refusal(medical({ emergencyAuthorisations: [ofEpidemic], businessDate: date })).details.refused,
        ).toContainEqual({ id: 'ea-1', reason: 'EPIDEMIC_ENDED' });
    });

    it('gives a mode the licence lacks', () => {
      const l = licence({ items: [item('i-hw01', 'HW01', { modes: ['STORE'] })] });
      expect(checkReceiverLicence(medical({ licences: [l] })).emergency).toBe(true);
      expect(refusal(medical({ licences: [l], mode: 'UTILISE' })).code).toBe('LICENCE_MODE_MISSING');
    });

    it('a licence item comes first; the authorisation takes over beyond 120 %', () => {
      const l = licence({ items: [item('i-hw01', 'HW01')] });
      expect(checkReceiverLicence(medical({ licences: [l] })).itemId).toBe('i-hw01');
      const full = usage({ 'i-hw01@2026': 12_000_000 });
      expect(checkReceiverLicence(medical({ licences: [l], usedGrams: full })).itemId).toBe('ea-1');
      const bothFull = usage({ 'i-hw01@2026': 12_000_000, 'ea-1@2026': 6_000_000 });
      const e = refusal(medical({ licences: [l], usedGrams: bothFull }));
      expect(e.code).toBe('LICENCE_CAPACITY_EXCEEDED');
      expect(e.details.itemId).toBe('i-hw01');
    });

    it('refuses beyond its own capacity', () => {
      const e = refusal(medical({ massGrams: grams(6_000_001) }));
      expect(e.code).toBe('LICENCE_CAPACITY_EXCEEDED');
      expect(e.details.itemId).toBe('ea-1');
    });
  });
});
