import { shanghaiDate } from '../../src/shared/domain/time';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, newUscc, verify } from '../support/auth';

/**
 * 重大传染病疫情 — while a major epidemic is declared for the county, exemption #2 is suspended
 * (a clinic's new medical waste is not exempt, is marked emergency, and cannot be handed over
 * without a manifest), and a mobile disposal unit working under an emergency authorisation
 * (应急处置) disposes of the township centre's consolidated waste: the record is marked emergency,
 * and the clinics see their waste's final fate.
 */
// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots in a declared epidemic: exemption suspended, emergency disposal', () => {
  let t: TestApp;
  let seq = 0;
  const key = (w: string) => `${w}-${++seq}`;
  const today = shanghaiDate(new Date());

  async function call(query: string, variables: Record<string, unknown>, token?: string) {
    return (await t.gql(query, variables, token)).body;
  }
  async function gql(query: string, variables: Record<string, unknown>, token?: string) {
    const body = await call(query, variables, token);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }
  async function register(name: string, beds: number, facilities: [string, string][]) {
    const username = `admin${++seq}`;
    const d = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: key('r'),
          uscc: newUscc(),
          name,
          types: ['MEDICAL_INSTITUTION'],
          bedCount: beds,
          sites: [
            {
              name,
              divisionCode: '410122',
              address: '中牟县',
              facilities: facilities.map(([type, n]) => ({ type, name: n })),
            },
          ],
          admin: { username, password: 'Party-pass-1', displayName: name },
        },
      },
    );
    const fs = d.registerParty.sites[0].facilities as { id: string; name: string }[];
    return {
      id: d.registerParty.id as string,
      token: await login(t, username, 'Party-pass-1'),
      facility: Object.fromEntries(fs.map((f) => [f.name, f.id])),
    };
  }
  const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id exemptSource emergency } }`;
  const infectious = (mass: string) => ({
    wasteCode: '841-001-01',
    mass,
    massBasis: 'WEIGHED',
    form: 'SOLID',
    packaging: '黄色医疗废物包装袋',
    medicalClass: 'INFECTIOUS',
  });

  let regulator: string;
  let clinic: Awaited<ReturnType<typeof register>>;
  let centre: Awaited<ReturnType<typeof register>>;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    const city = { name: '郑州市生态环境局', level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'] };
    regulator = (await createAgency(t, sys, { ...city, username: 'city' })).token;
    clinic = await register('村卫生室', 6, [['PRODUCTION', 'room']]);
    centre = await register('镇卫生院', 50, [
      ['MEDICAL_TEMP_STORAGE', 'store'],
      ['MOBILE_DISPOSAL_UNIT', 'mobile unit'],
    ]);
    for (const p of [clinic, centre]) await verify(t, regulator, p.id);
  });
  afterAll(() => t.close());

  it('suspends exemption #2 and marks the waste generated in the epidemic, then disposes under an emergency authorisation', async () => {
    // before the epidemic: exempt waste, handed over and consolidated at the centre
    const before = (
      await gql(
        GENERATE,
        {
          i: {
            idempotencyKey: key('g'),
            facilityId: clinic.facility.room,
            containers: [infectious('2'), infectious('3')],
          },
        },
        clinic.token,
      )
    ).generateLots as { id: string; exemptSource: boolean; emergency: boolean }[];
    expect(before.map((l) => [l.exemptSource, l.emergency])).toEqual([
      [true, false],
      [true, false],
    ]);
    await gql(
      `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('h'),
          lotIds: before.map((l) => l.id),
          toPartyId: centre.id,
          toFacilityId: centre.facility.store,
        },
      },
      clinic.token,
    );
    const merged = (
      await gql(
        `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('c'),
            sourceLotIds: before.map((l) => l.id),
            facilityId: centre.facility.store,
            mass: '5',
            massBasis: 'WEIGHED',
            packaging: '周转箱',
          },
        },
        centre.token,
      )
    ).consolidateLots.id as string;

    const epidemic = await gql(
      `mutation($i: DeclareEpidemicInput!) { declareEpidemic(input: $i) { id } }`,
      { i: { idempotencyKey: key('e'), name: '重大传染病疫情', regionPrefix: '410122', from: today } },
      regulator,
    );

    // during the epidemic: not exempt, emergency, and no handover without a manifest
    const [during] = (
      await gql(
        GENERATE,
        { i: { idempotencyKey: key('g'), facilityId: clinic.facility.room, containers: [infectious('1')] } },
        clinic.token,
      )
    ).generateLots;
    expect(during).toMatchObject({ exemptSource: false, emergency: true });
    const size = async () =>
      Number((await t.db.owner.query(`SELECT count(*) AS n FROM ledger_event`)).rows[0].n);
    const n = await size();
    const refused = await call(
      `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('h'),
          lotIds: [during.id],
          toPartyId: centre.id,
          toFacilityId: centre.facility.store,
        },
      },
      clinic.token,
    );
    expect(refused.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(refused.errors![0].message).toMatch(/epidemic/);
    expect(await size()).toBe(n);

    // without a licence or an authorisation the centre may not dispose of the waste
    const TREAT = `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id status emergency method } } }`;
    const treat = {
      idempotencyKey: key('t'),
      lotIds: [merged],
      method: 'D10',
      facilityId: centre.facility['mobile unit'],
    };
    expect((await call(TREAT, { i: treat }, centre.token)).errors![0].extensions.code).toBe(
      'LICENCE_MODE_MISSING',
    );

    const validTo = shanghaiDate(new Date(Date.now() + 30 * 86_400_000));
    await gql(
      `mutation($i: GrantEmergencyAuthorisationInput!) { grantEmergencyAuthorisation(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('ea'),
          holderPartyId: centre.id,
          scope: ['HW01'],
          modes: ['DISPOSE'],
          capacityTonnes: '10',
          regionPrefixes: ['410122'],
          validFrom: today,
          validTo,
          epidemicId: epidemic.declareEpidemic.id,
        },
      },
      regulator,
    );
    const done = await gql(TREAT, { i: { ...treat, idempotencyKey: key('t') } }, centre.token);
    expect(done.treatLots.lots).toEqual([{ id: merged, status: 'DISPOSED', emergency: true, method: 'D10' }]);
    const ev = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotTreated'`,
      [`lot-${merged}`],
    );
    expect(ev.rows[0].payload).toMatchObject({ emergency: true, mode: 'DISPOSE', ownFacility: false });

    // the clinic sees where its waste ended: disposed by the centre's mobile unit
    const fate = await gql(
      `query($id: ID!) { lotFate(lotId: $id) { complete outcomes { kind mass method partyId facilityId path } } }`,
      { id: before[1].id },
      clinic.token,
    );
    expect(fate.lotFate).toEqual({
      complete: true,
      outcomes: [
        {
          kind: 'DISPOSED',
          mass: '3.000',
          method: 'D10',
          partyId: centre.id,
          facilityId: centre.facility['mobile unit'],
          path: [before[1].id, merged],
        },
      ],
    });
  });
});
