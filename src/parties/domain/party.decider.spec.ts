import type { CommandMeta } from '../../shared/domain/decider';
import { replay } from '../../shared/domain/decider';
import { type PartyCommand, partyDecider } from './party.decider';
import type { PartyEvent } from './party.events';
import { withUsccCheckCharacter } from './uscc';

const meta: CommandMeta = {
  actor: { kind: 'SYSTEM', name: 'test' },
  occurredAt: new Date(0),
  now: new Date(0),
};
const cmd = <T extends PartyCommand['type']>(type: T, data: Extract<PartyCommand, { type: T }>['data']) =>
  ({ type, data, meta }) as PartyCommand;
const uscc = withUsccCheckCharacter('91410100MA0000001');
const site = {
  siteId: 's1',
  name: 'main',
  divisionCode: '410102',
  provinceCode: '410000',
  cityCode: '410100',
  address: 'x',
  latitude: null,
  longitude: null,
  geofenceRadiusM: null,
  expectedAnnualGrams: 5_000_000,
  ownTreatment: false,
};
const register = (over: Partial<Extract<PartyCommand, { type: 'RegisterParty' }>['data']> = {}) =>
  cmd('RegisterParty', {
    partyId: 'p1',
    uscc,
    name: 'Clinic',
    types: ['MEDICAL_INSTITUTION'],
    bedCount: 10,
    registeredBy: 'SELF',
    contactIds: [],
    sites: [site],
    facilities: [
      {
        facilityId: 'f1',
        siteId: 's1',
        type: 'MEDICAL_TEMP_STORAGE',
        name: 'room',
        capacityGrams: null,
        maxStockGrams: null,
      },
    ],
    adminUserId: 'u1',
    ...over,
  });
const given = (events: PartyEvent[]) => replay(partyDecider, events);
const when = (events: PartyEvent[], c: PartyCommand) => partyDecider.decide(c, given(events));
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('party decider', () => {
  const registered = when([], register());

  it('registers a party pending verification, with its site, facility and first ADMIN', () => {
    expect(registered.map((e) => e.type)).toEqual([
      'PartyRegistered',
      'SiteAdded',
      'FacilityAdded',
      'UserAdded',
    ]);
    expect(given(registered).status).toBe('PENDING');
  });

  it('refuses a bad USCC, no type, no site, a medical institution without beds, a facility on an unknown site', () => {
    expect(codeOf(() => when([], register({ uscc: '91410100MA00000010' })))).toBe('INVALID_USCC');
    expect(codeOf(() => when([], register({ types: [] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], register({ sites: [] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], register({ bedCount: null })))).toBe('BAD_USER_INPUT');
    expect(
      codeOf(() =>
        when(
          [],
          register({
            facilities: [
              {
                facilityId: 'f',
                siteId: 'nope',
                type: 'PRODUCTION',
                name: 'x',
                capacityGrams: null,
                maxStockGrams: null,
              },
            ],
          }),
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(registered, register()))).toBe('CONFLICT');
  });

  it('verifies once', () => {
    const verified = [...registered, ...when(registered, cmd('VerifyParty', { agencyId: 'a1' }))];
    expect(given(verified).status).toBe('VERIFIED');
    expect(codeOf(() => when(verified, cmd('VerifyParty', { agencyId: 'a1' })))).toBe('INVALID_TRANSITION');
  });

  it('keeps at least one active ADMIN', () => {
    expect(codeOf(() => when(registered, cmd('RevokeUser', { userId: 'u1' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(registered, cmd('ChangeUserRole', { userId: 'u1', role: 'VIEWER' })))).toBe(
      'BAD_USER_INPUT',
    );
    const two = [...registered, ...when(registered, cmd('AddUser', { userId: 'u2', role: 'ADMIN' }))];
    expect(when(two, cmd('RevokeUser', { userId: 'u1' }))[0].type).toBe('UserRevoked');
  });

  it('grants and revokes delegations, registers and revokes devices, overrides the management class with a reason', () => {
    const d = when(
      registered,
      cmd('GrantDelegation', {
        delegationId: 'd1',
        agentPartyId: 'p2',
        scope: ['MANIFESTS'],
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      }),
    );
    expect(d[0].type).toBe('DelegationGranted');
    expect(
      codeOf(() =>
        when(
          registered,
          cmd('GrantDelegation', {
            delegationId: 'd2',
            agentPartyId: 'p1',
            scope: ['PLANS'],
            validFrom: '2026-01-01',
            validTo: '2026-12-31',
          }),
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(when([...registered, ...d], cmd('RevokeDelegation', { delegationId: 'd1' }))[0].type).toBe(
      'DelegationRevoked',
    );
    expect(codeOf(() => when(registered, cmd('RevokeDelegation', { delegationId: 'd1' })))).toBe('NOT_FOUND');
    const dev = when(
      registered,
      cmd('RegisterDevice', { deviceId: 'dv1', kind: 'SCANNER', label: 'x', operations: ['submitScans'] }),
    );
    expect(when([...registered, ...dev], cmd('RevokeDevice', { deviceId: 'dv1' }))[0].type).toBe(
      'DeviceRevoked',
    );
    expect(
      codeOf(() =>
        when(
          registered,
          cmd('OverrideManagementClass', {
            siteId: 's1',
            year: 2026,
            managementClass: 'KEY',
            reason: ' ',
            agencyId: 'a',
          }),
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      when(
        registered,
        cmd('OverrideManagementClass', {
          siteId: 's1',
          year: 2026,
          managementClass: 'KEY',
          reason: 'inspection',
          agencyId: 'a',
        }),
      )[0].type,
    ).toBe('ManagementClassOverridden');
  });

  it('refuses acts on an unknown party', () => {
    expect(codeOf(() => when([], cmd('VerifyParty', { agencyId: 'a' })))).toBe('NOT_FOUND');
  });
});
