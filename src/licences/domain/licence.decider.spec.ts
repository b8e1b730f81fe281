import { licenceStatusOn } from '../../parties/domain/licence';
import { replay } from '../../shared/domain/decider';
import type { AgencyFacts } from './authority.policy';
import { type LicenceCommand, licenceDecider } from './licence.decider';
import type { LicenceEvent } from './licence.events';
import {
  CATALOGUE,
  codeOf,
  detailsOf,
  HENAN,
  HENAN_TRANSPORT,
  LUOYANG,
  meta,
  SITE_JS,
  SITE_LY,
  SITE_ZY,
  ZHENGZHOU,
  ZHONGYUAN,
} from './licence.test-fixtures';

type Data<T extends LicenceCommand['type']> = Extract<LicenceCommand, { type: T }>['data'];
const cmd = <T extends LicenceCommand['type']>(type: T, data: Data<T>) =>
  ({ type, data, meta }) as LicenceCommand;
const holderSites = [SITE_ZY, SITE_JS];
const facts = (agency: AgencyFacts = HENAN) => ({ agency, holderSites, catalogue: CATALOGUE });

const issue = (over: Partial<Data<'IssueLicence'>> = {}) =>
  cmd('IssueLicence', {
    licenceId: 'lic-1',
    number: '豫环许可危废字〔2025〕1号',
    holderPartyId: 'disposer',
    kind: 'COMPREHENSIVE',
    validFrom: '2025-01-01',
    validTo: '2029-12-31',
    facilitySiteIds: ['site-zy'],
    items: [
      {
        itemId: 'i-hw08',
        scope: 'HW08',
        modes: ['COLLECT', 'STORE', 'UTILISE'],
        annualCapacityTonnes: '5000',
      },
      {
        itemId: 'i-oil',
        scope: '900-214-08',
        modes: ['DISPOSE'],
        annualCapacityTonnes: '12.5',
        mergeableCodes: ['900-249-08'],
      },
    ],
    facts: facts(),
    ...over,
  });
const status = (
  type: 'SuspendLicence' | 'ReinstateLicence' | 'RevokeLicence',
  from: string,
  agency: AgencyFacts = HENAN,
) => cmd(type, { from, reason: 'inspection found violations', facts: { agency, holderSites } });

const given = (events: LicenceEvent[]) => replay(licenceDecider, events);
const when = (events: LicenceEvent[], c: LicenceCommand) => licenceDecider.decide(c, given(events));

describe('licence decider', () => {
  const issued = when([], issue());

  describe('IssueLicence', () => {
    it('issues an ACTIVE licence with its items, capacities as canonical tonnes strings', () => {
      expect(issued).toHaveLength(1);
      expect(issued[0]).toMatchObject({
        type: 'LicenceIssued',
        data: { licenceId: 'lic-1', kind: 'COMPREHENSIVE', agencyId: 'henan', facilitySiteIds: ['site-zy'] },
      });
      const items = (issued[0].data as { items: { annualCapacityTonnes: string; modes: string[] }[] }).items;
      expect(items.map((i) => i.annualCapacityTonnes)).toEqual(['5000', '12.5']);
      expect(items[0].modes).toEqual(['COLLECT', 'STORE', 'UTILISE']);
      expect(given(issued).status).toBe('ACTIVE');
    });

    it.each([
      ['COMPREHENSIVE', HENAN, 'no error'],
      ['COMPREHENSIVE', ZHENGZHOU, 'FORBIDDEN'],
      ['COMPREHENSIVE', ZHONGYUAN, 'FORBIDDEN'],
      ['MEDICAL_DISPOSAL', ZHENGZHOU, 'no error'],
      ['MEDICAL_DISPOSAL', HENAN, 'no error'],
      ['MEDICAL_DISPOSAL', ZHONGYUAN, 'FORBIDDEN'],
      ['COLLECTION', ZHONGYUAN, 'no error'],
      ['COLLECTION', ZHENGZHOU, 'no error'],
      ['COLLECTION', HENAN, 'no error'],
      ['PILOT_COLLECTION', HENAN, 'no error'],
      ['PILOT_COLLECTION', ZHENGZHOU, 'FORBIDDEN'],
    ] as const)('a %s licence by a %s agency: %s', (kind, agency, expected) => {
      const items = {
        COMPREHENSIVE: [{ itemId: 'a', scope: 'HW08', modes: ['DISPOSE'], annualCapacityTonnes: '100' }],
        MEDICAL_DISPOSAL: [{ itemId: 'a', scope: 'HW01', modes: ['DISPOSE'], annualCapacityTonnes: '100' }],
        COLLECTION: [
          { itemId: 'a', scope: '900-214-08', modes: ['COLLECT', 'STORE'], annualCapacityTonnes: '100' },
        ],
        PILOT_COLLECTION: [
          { itemId: 'a', scope: 'HW49', modes: ['COLLECT', 'STORE'], annualCapacityTonnes: '100' },
        ],
      }[kind];
      expect(
        codeOf(() => when([], issue({ kind, items, validTo: '2027-12-31', facts: facts(agency) }))),
      ).toBe(expected);
    });

    it('refuses an inspection body, and a regulator whose jurisdiction misses a facility site', () => {
      expect(codeOf(() => when([], issue({ facts: facts(HENAN_TRANSPORT) })))).toBe('FORBIDDEN');
      const cityOutside = issue({
        kind: 'MEDICAL_DISPOSAL',
        items: [{ itemId: 'a', scope: 'HW01', modes: ['DISPOSE'], annualCapacityTonnes: '1' }],
        facts: facts(LUOYANG),
      });
      expect(codeOf(() => when([], cityOutside))).toBe('FORBIDDEN');
      expect(detailsOf(() => when([], cityOutside))).toMatchObject({ field: 'facilitySiteIds.0' });
    });

    it('refuses facility sites that are not the holder’s, none, or repeated', () => {
      expect(detailsOf(() => when([], issue({ facilitySiteIds: [SITE_LY.siteId] })))).toMatchObject({
        field: 'facilitySiteIds.0',
      });
      expect(codeOf(() => when([], issue({ facilitySiteIds: [] })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], issue({ facilitySiteIds: ['site-zy', 'site-zy'] })))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('checks validity: order, not over, at most 5 years (comprehensive) or 3 (collection)', () => {
      expect(detailsOf(() => when([], issue({ validTo: '2024-12-31' })))).toMatchObject({ field: 'validTo' });
      expect(codeOf(() => when([], issue({ validFrom: '2020-01-01', validTo: '2025-06-14' })))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(() => when([], issue({ validFrom: '2020-01-01', validTo: '2025-06-15' })))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(() => when([], issue({ validTo: '2030-01-01' })))).toBe('BAD_USER_INPUT');
      expect(detailsOf(() => when([], issue({ validTo: '2030-01-01' })))).toMatchObject({
        latestValidTo: '2029-12-31',
      });
      const collection = (validTo: string) =>
        issue({
          kind: 'COLLECTION',
          validTo,
          items: [{ itemId: 'a', scope: '900-214-08', modes: ['COLLECT'], annualCapacityTonnes: '1' }],
        });
      expect(codeOf(() => when([], collection('2027-12-31')))).toBe('no error');
      expect(codeOf(() => when([], collection('2028-01-01')))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], issue({ validFrom: '2025-02-30' })))).toBe('BAD_USER_INPUT');
    });

    it('refuses bad scopes, unknown codes and categories, bad modes, zero or float-like capacities', () => {
      const item = (over: object) =>
        issue({
          items: [{ itemId: 'a', scope: 'HW08', modes: ['STORE'], annualCapacityTonnes: '1', ...over }],
        });
      expect(detailsOf(() => when([], item({ scope: 'HW8' })))).toMatchObject({ field: 'items.0.scope' });
      expect(codeOf(() => when([], item({ scope: 'waste oil' })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], item({ scope: '999-999-99' })))).toBe('UNKNOWN_WASTE_CODE');
      expect(detailsOf(() => when([], item({ scope: 'HW99' })))).toMatchObject({ field: 'items.0.scope' });
      expect(codeOf(() => when([], item({ scope: 'HW99' })))).toBe('UNKNOWN_WASTE_CODE');
      expect(detailsOf(() => when([], item({ modes: [] })))).toMatchObject({ field: 'items.0.modes' });
      expect(codeOf(() => when([], item({ modes: ['BURN'] })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], item({ modes: ['STORE', 'STORE'] })))).toBe('BAD_USER_INPUT');
      expect(detailsOf(() => when([], item({ annualCapacityTonnes: '0' })))).toMatchObject({
        field: 'items.0.annualCapacityTonnes',
      });
      expect(codeOf(() => when([], item({ annualCapacityTonnes: '1e3' })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], item({ annualCapacityTonnes: '0.0000001' })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], item({ mergeableCodes: ['123-456-78'] })))).toBe('UNKNOWN_WASTE_CODE');
      expect(codeOf(() => when([], issue({ items: [] })))).toBe('BAD_USER_INPUT');
    });

    it('refuses the same (scope, mode) in two items, but allows the same scope with other modes', () => {
      const two = (modes2: string[]) =>
        issue({
          items: [
            { itemId: 'a', scope: 'HW08', modes: ['UTILISE'], annualCapacityTonnes: '10' },
            { itemId: 'b', scope: 'HW08', modes: modes2, annualCapacityTonnes: '5' },
          ],
        });
      expect(codeOf(() => when([], two(['DISPOSE'])))).toBe('no error');
      expect(detailsOf(() => when([], two(['DISPOSE', 'UTILISE'])))).toMatchObject({
        field: 'items.1.modes',
      });
    });

    it('holds each kind to what it may cover: COLLECTION its two codes, collection kinds COLLECT/STORE, MEDICAL_DISPOSAL HW01', () => {
      const collection = (scope: string, modes: string[]) =>
        issue({
          kind: 'COLLECTION',
          validTo: '2027-12-31',
          items: [{ itemId: 'a', scope, modes, annualCapacityTonnes: '1' }],
        });
      expect(codeOf(() => when([], collection('900-044-49', ['COLLECT'])))).toBe('no error');
      expect(detailsOf(() => when([], collection('HW08', ['COLLECT'])))).toMatchObject({
        field: 'items.0.scope',
      });
      expect(detailsOf(() => when([], collection('900-214-08', ['DISPOSE'])))).toMatchObject({
        field: 'items.0.modes',
      });
      const pilot = issue({
        kind: 'PILOT_COLLECTION',
        validTo: '2027-12-31',
        items: [{ itemId: 'a', scope: 'HW49', modes: ['UTILISE'], annualCapacityTonnes: '1' }],
      });
      expect(codeOf(() => when([], pilot))).toBe('BAD_USER_INPUT');
      const medical = issue({
        kind: 'MEDICAL_DISPOSAL',
        items: [{ itemId: 'a', scope: 'HW08', modes: ['DISPOSE'], annualCapacityTonnes: '1' }],
      });
      expect(detailsOf(() => when([], medical))).toMatchObject({ field: 'items.0.scope' });
    });

    it('refuses a second issue on the same stream, an unknown kind, and an empty number', () => {
      expect(codeOf(() => when(issued, issue()))).toBe('CONFLICT');
      expect(codeOf(() => when([], issue({ kind: 'GENERAL' as never })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when([], issue({ number: '  ' })))).toBe('BAD_USER_INPUT');
    });
  });

  describe('AmendLicence', () => {
    const amend = (over: Partial<Data<'AmendLicence'>> = {}) =>
      cmd('AmendLicence', { reason: 'capacity expansion approved', facts: facts(), ...over });

    it('replaces items, keeping an existing item id (and its counters) and giving new ones their id', () => {
      const [e] = when(
        issued,
        amend({
          items: [
            {
              itemId: 'i-hw08',
              newItemId: 'x',
              scope: 'HW08',
              modes: ['STORE'],
              annualCapacityTonnes: '6000',
            },
            {
              itemId: null,
              newItemId: 'i-new',
              scope: 'HW49',
              modes: ['DISPOSE'],
              annualCapacityTonnes: '10',
            },
          ],
        }),
      );
      expect(e.type).toBe('LicenceAmended');
      expect((e.data as { items: { itemId: string }[] }).items.map((i) => i.itemId)).toEqual([
        'i-hw08',
        'i-new',
      ]);
      expect(given([...issued, e])).toMatchObject({
        status: 'ACTIVE',
        items: [{ annualCapacityTonnes: '6000' }, { scope: 'HW49' }],
      });
    });

    it('amends validity within the term, keeping what is not named', () => {
      const [e] = when(issued, amend({ validTo: '2028-06-30' }));
      expect(e.data).toMatchObject({
        validFrom: '2025-01-01',
        validTo: '2028-06-30',
        facilitySiteIds: ['site-zy'],
      });
      expect(codeOf(() => when(issued, amend({ validTo: '2030-06-30' })))).toBe('BAD_USER_INPUT');
    });

    it('refuses an unknown item id, a changed scope on a kept item, no reason, a wrong-level agency, a revoked licence', () => {
      const item = (itemId: string | null, scope: string) => ({
        itemId,
        newItemId: 'n',
        scope,
        modes: ['STORE'],
        annualCapacityTonnes: '1',
      });
      expect(detailsOf(() => when(issued, amend({ items: [item('nope', 'HW08')] })))).toMatchObject({
        field: 'items.0.itemId',
      });
      expect(detailsOf(() => when(issued, amend({ items: [item('i-hw08', 'HW49')] })))).toMatchObject({
        field: 'items.0.scope',
      });
      expect(codeOf(() => when(issued, amend({ reason: '' })))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when(issued, amend({ facts: facts(ZHENGZHOU) })))).toBe('FORBIDDEN');
      const revoked = [...issued, ...when(issued, status('RevokeLicence', '2025-07-01'))];
      expect(codeOf(() => when(revoked, amend()))).toBe('INVALID_TRANSITION');
      expect(codeOf(() => when([], amend()))).toBe('NOT_FOUND');
    });
  });

  describe('SuspendLicence, ReinstateLicence, RevokeLicence', () => {
    const suspended = [...issued, ...when(issued, status('SuspendLicence', '2025-07-01'))];
    const reinstated = [...suspended, ...when(suspended, status('ReinstateLicence', '2025-08-01'))];

    it('suspends from a day, reinstates from a later day; the status on each day follows', () => {
      const s = given(reinstated);
      expect(s.status).toBe('ACTIVE');
      const changes = reinstated.slice(1).map((e) => ({
        status: e.type === 'LicenceSuspended' ? ('SUSPENDED' as const) : ('ACTIVE' as const),
        from: (e.data as { from: string }).from,
      }));
      expect(licenceStatusOn({ statusChanges: changes }, '2025-06-30')).toBe('ACTIVE');
      expect(licenceStatusOn({ statusChanges: changes }, '2025-07-01')).toBe('SUSPENDED');
      expect(licenceStatusOn({ statusChanges: changes }, '2025-07-31')).toBe('SUSPENDED');
      expect(licenceStatusOn({ statusChanges: changes }, '2025-08-01')).toBe('ACTIVE');
    });

    it('allows each change only from the right status', () => {
      expect(codeOf(() => when(issued, status('ReinstateLicence', '2025-07-01')))).toBe('INVALID_TRANSITION');
      expect(codeOf(() => when(suspended, status('SuspendLicence', '2025-07-02')))).toBe(
        'INVALID_TRANSITION',
      );
      expect(codeOf(() => when(suspended, status('RevokeLicence', '2025-07-02')))).toBe('no error');
      const revoked = [...issued, ...when(issued, status('RevokeLicence', '2025-06-15'))];
      expect(given(revoked).status).toBe('REVOKED');
      for (const t of ['SuspendLicence', 'ReinstateLicence', 'RevokeLicence'] as const) {
        expect(codeOf(() => when(revoked, status(t, '2025-09-01')))).toBe('INVALID_TRANSITION');
      }
      expect(codeOf(() => when([], status('SuspendLicence', '2025-07-01')))).toBe('NOT_FOUND');
    });

    it('refuses a backdated change, one before the previous change, a reinstatement on the suspension day', () => {
      expect(detailsOf(() => when(issued, status('SuspendLicence', '2025-06-14')))).toMatchObject({
        field: 'from',
      });
      expect(codeOf(() => when(issued, status('SuspendLicence', '2025-06-15')))).toBe('no error');
      expect(codeOf(() => when(suspended, status('ReinstateLicence', '2025-07-01')))).toBe('BAD_USER_INPUT');
      expect(codeOf(() => when(reinstated, status('RevokeLicence', '2025-07-15')))).toBe('BAD_USER_INPUT');
    });

    it('refuses an agency of the wrong level, an inspection body, and a missing reason', () => {
      expect(codeOf(() => when(issued, status('SuspendLicence', '2025-07-01', ZHENGZHOU)))).toBe('FORBIDDEN');
      expect(codeOf(() => when(issued, status('SuspendLicence', '2025-07-01', HENAN_TRANSPORT)))).toBe(
        'FORBIDDEN',
      );
      const noReason = cmd('SuspendLicence', {
        from: '2025-07-01',
        reason: ' ',
        facts: { agency: HENAN, holderSites },
      });
      expect(codeOf(() => when(issued, noReason))).toBe('BAD_USER_INPUT');
    });
  });

  it('evolve throws on a history the ledger cannot hold', () => {
    expect(() =>
      given([
        {
          type: 'LicenceSuspended',
          data: { licenceId: 'x', from: '2025-01-01', reason: 'r', agencyId: 'a' },
        },
      ]),
    ).toThrow();
    expect(() => given([...issued, ...issued])).toThrow();
    const reinstate = {
      type: 'LicenceReinstated',
      data: { licenceId: 'lic-1', from: '2025-07-01', reason: 'r', agencyId: 'a' },
    } as const;
    expect(() => given([...issued, reinstate])).toThrow();
  });
});
