import type { EmergencyAuthorisation, Licence } from '../parties/domain/licence';
import {
  custodianKindOf,
  type ExemptionEntry,
  exemptionCovers,
  mergeableSourceCodes,
  modeCoverage,
} from './lot-rules';

const ENTRY_2: ExemptionEntry = {
  entryNo: 2,
  stage: 'COLLECTION',
  wasteScope: ['HW01'],
  condition: {
    partyTypes: ['MEDICAL_INSTITUTION'],
    maxBeds: 19,
    receiverPartyTypes: ['MEDICAL_INSTITUTION'],
  },
  suspendedDuringEpidemic: true,
  contentZh: '收集过程不按危险废物管理。',
  source: 'test',
};
const clinic = (bedCount: number | null) => ({
  wasteCode: '841-001-01',
  category: 'HW01',
  producerTypes: ['MEDICAL_INSTITUTION'],
  bedCount,
});

describe('exemption #2 as data', () => {
  it('covers a medical institution with at most 19 beds, for HW01', () => {
    expect(exemptionCovers(ENTRY_2, clinic(19))).toBe(true);
    expect(exemptionCovers(ENTRY_2, clinic(20))).toBe(false);
    expect(exemptionCovers(ENTRY_2, clinic(null))).toBe(false);
    expect(exemptionCovers(ENTRY_2, { ...clinic(5), wasteCode: '900-214-08', category: 'HW08' })).toBe(false);
    expect(exemptionCovers(ENTRY_2, { ...clinic(5), producerTypes: ['PRODUCER'] })).toBe(false);
  });

  it('for a handover, only to a medical institution', () => {
    expect(exemptionCovers(ENTRY_2, { ...clinic(5), receiverTypes: ['MEDICAL_INSTITUTION'] })).toBe(true);
    expect(exemptionCovers(ENTRY_2, { ...clinic(5), receiverTypes: ['COLLECTOR'] })).toBe(false);
  });
});

const licence = (over: Partial<Licence> = {}): Licence => ({
  id: 'lic-1',
  number: 'HW-1',
  holderPartyId: 'p',
  kind: 'COMPREHENSIVE',
  validFrom: '2025-01-01',
  validTo: '2029-12-31',
  facilitySiteIds: ['site'],
  items: [
    {
      itemId: 'i1',
      scope: 'HW08',
      modes: ['STORE', 'UTILISE'],
      annualCapacityTonnes: 100,
      mergeableCodes: ['900-249-08'],
    },
  ],
  ...over,
});
const auth = (over: Partial<EmergencyAuthorisation> = {}): EmergencyAuthorisation => ({
  id: 'ea-1',
  holderPartyId: 'p',
  scope: ['HW01'],
  modes: ['DISPOSE'],
  capacityTonnes: 10,
  regionPrefixes: ['4101'],
  validFrom: '2025-03-01',
  validTo: '2025-03-31',
  ...over,
});
const q = {
  partyId: 'p',
  siteId: 'site',
  wasteCode: '900-214-08',
  date: '2025-03-03',
  originDivisionCode: '410102',
};

describe('licence coverage for lot acts', () => {
  it('takes the modes of items in force at the site', () => {
    const c = modeCoverage([licence()], [], q);
    expect([...c.licensed]).toEqual(['STORE', 'UTILISE']);
    expect(modeCoverage([licence({ facilitySiteIds: ['other'] })], [], q).licensed.size).toBe(0);
    expect(modeCoverage([licence({ validTo: '2025-03-02' })], [], q).licensed.size).toBe(0);
    const suspended = licence({ statusChanges: [{ status: 'SUSPENDED', from: '2025-03-01' }] });
    expect(modeCoverage([suspended], [], q).licensed.size).toBe(0);
    expect(modeCoverage([licence({ holderPartyId: 'x' })], [], q).licensed.size).toBe(0);
  });

  it('adds what only an emergency authorisation gives, within its region and validity', () => {
    const medical = { ...q, wasteCode: '841-001-01' };
    expect([...modeCoverage([], [auth()], medical).emergencyOnly]).toEqual(['DISPOSE']);
    expect(modeCoverage([], [auth()], { ...medical, originDivisionCode: '410200' }).emergencyOnly.size).toBe(
      0,
    );
    expect(modeCoverage([], [auth()], { ...medical, date: '2025-04-01' }).emergencyOnly.size).toBe(0);
    expect(modeCoverage([], [auth({ revokedFrom: '2025-03-02' })], medical).emergencyOnly.size).toBe(0);
    // granted for an epidemic: it ends with it
    expect(modeCoverage([], [auth({ epidemicEndedFrom: '2025-03-02' })], medical).emergencyOnly.size).toBe(0);
    expect(modeCoverage([], [auth({ epidemicEndedFrom: '2025-12-31' })], medical).emergencyOnly.size).toBe(1);
    expect(modeCoverage([], [auth({ facilitySiteIds: ['other'] })], medical).emergencyOnly.size).toBe(0);
  });

  it('lets other codes merge only when an item lists them all', () => {
    const items = modeCoverage([licence()], [], q).items;
    expect(mergeableSourceCodes(items, '900-214-08', ['900-214-08', '900-249-08'])).toEqual(['900-249-08']);
    expect(mergeableSourceCodes(items, '900-214-08', ['900-249-08', '900-041-49'])).toEqual([]);
    expect(mergeableSourceCodes(items, '900-214-08', ['900-214-08'])).toEqual([]);
  });
});

describe('whose storage clock', () => {
  const coll = licence({ kind: 'COLLECTION' });
  it('48 h for a medical institution holding medical waste; then collectors, pilots, others', () => {
    expect(custodianKindOf(['MEDICAL_INSTITUTION'], [], 'HW01', '2025-03-03')).toBe('MEDICAL_PRODUCER');
    expect(custodianKindOf(['MEDICAL_INSTITUTION'], [], 'HW49', '2025-03-03')).toBe('OTHER');
    expect(custodianKindOf(['COLLECTOR'], [coll], 'HW08', '2025-03-03')).toBe('COLLECTOR');
    expect(
      custodianKindOf(['COLLECTOR'], [licence({ kind: 'PILOT_COLLECTION' })], 'HW08', '2025-03-03'),
    ).toBe('PILOT_COLLECTOR');
    expect(custodianKindOf(['COLLECTOR'], [coll], 'HW08', '2030-01-01')).toBe('OTHER');
    expect(custodianKindOf(['DISPOSER'], [licence()], 'HW01', '2025-03-03')).toBe('OTHER');
  });
});
