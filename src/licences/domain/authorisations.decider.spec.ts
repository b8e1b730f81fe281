import type { Licence } from '../../parties/domain/licence';
import { replay } from '../../shared/domain/decider';
import {
  type CrossProvinceApprovalCommand,
  crossProvinceApprovalDecider,
} from './cross-province-approval.decider';
import {
  type EmergencyAuthorisationCommand,
  emergencyAuthorisationDecider,
} from './emergency-authorisation.decider';
import { type EpidemicCommand, epidemicDecider } from './epidemic.decider';
import type {
  CrossProvinceApprovalEvent,
  EmergencyAuthorisationEvent,
  EpidemicEvent,
} from './licence.events';
import {
  CATALOGUE,
  codeOf,
  detailsOf,
  HENAN,
  HENAN_TRANSPORT,
  HUBEI,
  LUOYANG,
  meta,
  SITE_JS,
  SITE_WH,
  SITE_ZY,
  ZHENGZHOU,
  ZHONGYUAN,
} from './licence.test-fixtures';

describe('epidemic decider', () => {
  type Data<T extends EpidemicCommand['type']> = Extract<EpidemicCommand, { type: T }>['data'];
  const declare = (over: Partial<Data<'DeclareEpidemic'>> = {}) =>
    ({
      type: 'DeclareEpidemic',
      data: {
        epidemicId: 'e1',
        name: '新冠肺炎疫情',
        regionPrefix: '410100',
        from: '2025-06-10',
        to: null,
        agency: ZHENGZHOU,
        ...over,
      },
      meta,
    }) as EpidemicCommand;
  const end = (to: string, agency = ZHENGZHOU) =>
    ({ type: 'EndEpidemic', data: { to, agency }, meta }) as EpidemicCommand;
  const given = (events: EpidemicEvent[]) => replay(epidemicDecider, events);
  const when = (events: EpidemicEvent[], c: EpidemicCommand) => epidemicDecider.decide(c, given(events));
  const declared = when([], declare());

  it('declares an open-ended epidemic for a region inside the jurisdiction (prefix normalised), and ends it', () => {
    expect(declared[0]).toMatchObject({
      type: 'EpidemicDeclared',
      data: { regionPrefix: '4101', to: null, agencyId: 'zhengzhou' },
    });
    const ended = when(declared, end('2025-06-20'));
    expect(ended).toEqual([
      { type: 'EpidemicEnded', data: { epidemicId: 'e1', to: '2025-06-20', agencyId: 'zhengzhou' } },
    ]);
    expect(given([...declared, ...ended]).status).toBe('ENDED');
    expect(codeOf(() => when([...declared, ...ended], end('2025-06-21')))).toBe('INVALID_TRANSITION');
  });

  it('lets a province end a city’s epidemic, and a district declare for itself only', () => {
    expect(codeOf(() => when(declared, end('2025-06-20', HENAN)))).toBe('no error');
    expect(codeOf(() => when(declared, end('2025-06-20', ZHONGYUAN)))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], declare({ regionPrefix: '410102', agency: ZHONGYUAN })))).toBe('no error');
    expect(codeOf(() => when([], declare({ regionPrefix: '4101', agency: ZHONGYUAN })))).toBe('FORBIDDEN');
  });

  it('refuses another region, an inspection body, bad dates, a backdated end, a double declaration', () => {
    expect(detailsOf(() => when([], declare({ regionPrefix: '4103' })))).toMatchObject({
      field: 'regionPrefix',
    });
    expect(codeOf(() => when([], declare({ agency: HENAN_TRANSPORT })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], declare({ regionPrefix: '4' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], declare({ to: '2025-06-01' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], declare({ from: '2025-06-01', to: '2025-06-12' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(declared, end('2025-06-13')))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when(declared, end('2025-06-14')))).toBe('no error');
    expect(codeOf(() => when(declared, declare()))).toBe('CONFLICT');
    expect(codeOf(() => when([], end('2025-06-20')))).toBe('NOT_FOUND');
    expect(codeOf(() => when([], declare({ name: ' ' })))).toBe('BAD_USER_INPUT');
  });
});

describe('emergency authorisation decider', () => {
  type Grant = Extract<EmergencyAuthorisationCommand, { type: 'GrantEmergencyAuthorisation' }>['data'];
  const grant = (over: Partial<Grant> = {}, facts: Partial<Grant['facts']> = {}) =>
    ({
      type: 'GrantEmergencyAuthorisation',
      data: {
        authorisationId: 'ea1',
        holderPartyId: 'cement-kiln',
        scope: ['841-001-01', 'HW01'],
        modes: ['DISPOSE'],
        capacityTonnes: '30',
        regionPrefixes: ['4101'],
        validFrom: '2025-06-15',
        validTo: '2025-09-30',
        facilitySiteIds: null,
        epidemicId: 'e1',
        facts: {
          agency: ZHENGZHOU,
          holderSites: [SITE_ZY],
          catalogue: CATALOGUE,
          epidemic: { epidemicId: 'e1', from: '2025-06-10', to: null },
          ...facts,
        },
        ...over,
      },
      meta,
    }) as EmergencyAuthorisationCommand;
  const revoke = (from: string, agency = ZHENGZHOU) =>
    ({
      type: 'RevokeEmergencyAuthorisation',
      data: { from, reason: 'epidemic over', agency },
      meta,
    }) as EmergencyAuthorisationCommand;
  const given = (events: EmergencyAuthorisationEvent[]) => replay(emergencyAuthorisationDecider, events);
  const when = (events: EmergencyAuthorisationEvent[], c: EmergencyAuthorisationCommand) =>
    emergencyAuthorisationDecider.decide(c, given(events));
  const granted = when([], grant());

  it('grants a temporary scope with capacity as a tonnes string, and revokes it from a day', () => {
    expect(granted[0]).toMatchObject({
      type: 'EmergencyAuthorisationGranted',
      data: { capacityTonnes: '30', scope: ['841-001-01', 'HW01'], regionPrefixes: ['4101'] },
    });
    const revoked = when(granted, revoke('2025-07-01'));
    expect(revoked[0]).toMatchObject({ type: 'EmergencyAuthorisationRevoked', data: { from: '2025-07-01' } });
    expect(codeOf(() => when([...granted, ...revoked], revoke('2025-07-02')))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => when(granted, revoke('2025-07-01', LUOYANG)))).toBe('FORBIDDEN');
    expect(codeOf(() => when(granted, revoke('2025-06-01')))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], revoke('2025-07-01')))).toBe('NOT_FOUND');
  });

  it('refuses an agency outside the holder’s sites or the region, an inspection body, bad scope, modes, capacity and dates', () => {
    expect(codeOf(() => when([], grant({}, { agency: LUOYANG })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], grant({ regionPrefixes: ['4103'] })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], grant({}, { agency: HENAN_TRANSPORT })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], grant({ scope: [] })))).toBe('BAD_USER_INPUT');
    expect(detailsOf(() => when([], grant({ scope: ['999-999-01'] })))).toMatchObject({ field: 'scope.0' });
    expect(codeOf(() => when([], grant({ scope: ['999-999-01'] })))).toBe('UNKNOWN_WASTE_CODE');
    expect(codeOf(() => when([], grant({ modes: ['INCINERATE'] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], grant({ capacityTonnes: '-1' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], grant({ regionPrefixes: [] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], grant({ validTo: '2026-06-15' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], grant({ validTo: '2026-06-14' })))).toBe('no error');
    expect(codeOf(() => when(granted, grant()))).toBe('CONFLICT');
  });

  it('names facility sites of the holder only, and an epidemic that exists and has not ended before it starts', () => {
    expect(codeOf(() => when([], grant({ facilitySiteIds: ['site-zy'] })))).toBe('no error');
    expect(detailsOf(() => when([], grant({ facilitySiteIds: ['site-x'] })))).toMatchObject({
      field: 'facilitySiteIds.0',
    });
    expect(detailsOf(() => when([], grant({}, { epidemic: null })))).toMatchObject({ field: 'epidemicId' });
    expect(
      codeOf(() =>
        when([], grant({}, { epidemic: { epidemicId: 'e1', from: '2025-01-01', to: '2025-06-01' } })),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], grant({ epidemicId: null }, { epidemic: null })))).toBe('no error');
  });
});

describe('cross-province approval decider', () => {
  type Issue = Extract<CrossProvinceApprovalCommand, { type: 'IssueCrossProvinceApproval' }>['data'];
  const receiverLicence: Licence = {
    id: 'lic-wh',
    number: '鄂环危废1号',
    holderPartyId: 'receiver',
    kind: 'COMPREHENSIVE',
    validFrom: '2024-01-01',
    validTo: '2026-03-31',
    facilitySiteIds: ['site-wh'],
    items: [{ itemId: 'it', scope: 'HW08', modes: ['UTILISE'], annualCapacityTonnes: 100 }],
  };
  const issue = (over: Partial<Issue> = {}, facts: Partial<Issue['facts']> = {}) =>
    ({
      type: 'IssueCrossProvinceApproval',
      data: {
        approvalId: 'ap1',
        number: '豫环转移〔2025〕8号',
        consignorPartyId: 'consignor',
        receiverPartyId: 'receiver',
        wasteCodes: ['900-214-08', '900-249-08'],
        approvedGrams: 20_000_000,
        validFrom: '2025-07-01',
        validTo: null,
        facts: {
          agency: HENAN,
          consignorSite: SITE_ZY,
          receiverSite: SITE_WH,
          receiverLicences: [receiverLicence],
          catalogue: CATALOGUE,
          ...facts,
        },
        ...over,
      },
      meta,
    }) as CrossProvinceApprovalCommand;
  const revoke = (agency = HENAN) =>
    ({
      type: 'RevokeCrossProvinceApproval',
      data: { from: '2025-08-01', reason: 'receiver lost capacity', agency },
      meta,
    }) as CrossProvinceApprovalCommand;
  const given = (events: CrossProvinceApprovalEvent[]) => replay(crossProvinceApprovalDecider, events);
  const when = (events: CrossProvinceApprovalEvent[], c: CrossProvinceApprovalCommand) =>
    crossProvinceApprovalDecider.decide(c, given(events));

  it('is issued by the exporting province, valid 12 months at most and capped by the receiver’s licence expiry', () => {
    const [e] = when([], issue());
    expect(e).toMatchObject({
      type: 'CrossProvinceApprovalIssued',
      data: {
        validFrom: '2025-07-01',
        validTo: '2026-03-31',
        consignorDivisionCode: '410102',
        receiverDivisionCode: '420102',
        approvedGrams: 20_000_000,
      },
    });
    const longLicence = { ...receiverLicence, validTo: '2029-12-31' };
    expect(when([], issue({}, { receiverLicences: [longLicence] }))[0].data).toMatchObject({
      validTo: '2026-06-30',
    });
    expect(
      when([], issue({ validTo: '2025-12-31' }, { receiverLicences: [longLicence] }))[0].data,
    ).toMatchObject({ validTo: '2025-12-31' });
  });

  it('refuses a city agency, the importing province, an inspection body, a consignor outside the province', () => {
    expect(codeOf(() => when([], issue({}, { agency: ZHENGZHOU })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], issue({}, { agency: HUBEI })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], issue({}, { agency: { ...HENAN_TRANSPORT } })))).toBe('FORBIDDEN');
    expect(codeOf(() => when([], issue({}, { consignorSite: SITE_WH, receiverSite: SITE_ZY })))).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses a same-province transfer, unknown codes, a zero quantity, bad dates', () => {
    expect(detailsOf(() => when([], issue({}, { receiverSite: SITE_JS })))).toMatchObject({
      field: 'receiverSiteId',
    });
    expect(codeOf(() => when([], issue({ wasteCodes: ['999-999-08'] })))).toBe('UNKNOWN_WASTE_CODE');
    expect(codeOf(() => when([], issue({ wasteCodes: ['HW08'] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], issue({ wasteCodes: [] })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], issue({ approvedGrams: 0 })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], issue({ validTo: '2025-06-30' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => when([], issue({ number: '' })))).toBe('BAD_USER_INPUT');
  });

  it('needs the receiver licensed for every code at its site on the first day', () => {
    expect(detailsOf(() => when([], issue({ wasteCodes: ['900-214-08', '900-041-49'] })))).toMatchObject({
      field: 'wasteCodes.1',
    });
    expect(codeOf(() => when([], issue({ wasteCodes: ['900-041-49'] })))).toBe('RECEIVER_NOT_LICENSED');
    expect(codeOf(() => when([], issue({ validFrom: '2026-04-01' })))).toBe('RECEIVER_NOT_LICENSED');
    const suspended = {
      ...receiverLicence,
      statusChanges: [{ status: 'SUSPENDED' as const, from: '2025-06-01' }],
    };
    expect(codeOf(() => when([], issue({}, { receiverLicences: [suspended] })))).toBe(
      'RECEIVER_NOT_LICENSED',
    );
    const elsewhere = { ...receiverLicence, facilitySiteIds: ['site-other'] };
    expect(codeOf(() => when([], issue({}, { receiverLicences: [elsewhere] })))).toBe(
      'RECEIVER_NOT_LICENSED',
    );
  });

  it('is withdrawn by the exporting province only, once', () => {
    const issued = when([], issue());
    const revoked = when(issued, revoke());
    expect(revoked[0]).toMatchObject({ type: 'CrossProvinceApprovalRevoked', data: { from: '2025-08-01' } });
    expect(codeOf(() => when(issued, revoke(HUBEI)))).toBe('FORBIDDEN');
    expect(codeOf(() => when([...issued, ...revoked], revoke()))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => when([], revoke()))).toBe('NOT_FOUND');
    expect(codeOf(() => when(issued, issue()))).toBe('CONFLICT');
  });
});
