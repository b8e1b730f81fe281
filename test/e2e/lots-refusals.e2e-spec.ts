import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, verify } from '../support/auth';
import { GENERATE, LOT, lotsKit, type LotsParty } from '../support/lots-kit';

/**
 * 批次 — what is refused: each refusal carries its code and the field at fault, and nothing is
 * appended to the ledger (refused custody acts go to the attempt log, outside it).
 */
const ENV = { ...AUTH_ENV, LOT_MAX_MASS_KG: '1000' };
// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots: refusals, each with nothing appended', () => {
  let t: TestApp;
  const { key, gql, register, refused, container, generate } = lotsKit(() => t);

  let regulator: string;
  let shop: LotsParty;
  let clinic: LotsParty;
  let hospital: LotsParty;
  let centre: LotsParty;
  let unverified: LotsParty;

  beforeAll(async () => {
    t = await createTestApp(ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    const city = { name: '郑州市生态环境局', level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'] };
    regulator = (await createAgency(t, sys, { ...city, username: 'zhengzhou' })).token;
    shop = await register('汽修厂', ['PRODUCER'], [['PRODUCTION', 'workshop']]);
    const medical: [string, string][] = [
      ['PRODUCTION', 'workshop'],
      ['MEDICAL_TEMP_STORAGE', 'store'],
      ['OWN_TREATMENT', 'steriliser'],
    ];
    clinic = await register('诊所', ['MEDICAL_INSTITUTION'], medical, 10);
    hospital = await register('医院', ['MEDICAL_INSTITUTION'], medical, 300);
    centre = await register('卫生院', ['MEDICAL_INSTITUTION'], medical, 40);
    unverified = await register('未核实卫生院', ['MEDICAL_INSTITUTION'], medical, 40);
    for (const p of [shop, clinic, hospital, centre]) await verify(t, regulator, p.id);
  });
  afterAll(() => t.close());

  it('refuses a code the catalogue in force does not know, or with another category (UNKNOWN_WASTE_CODE)', async () => {
    const unknown = await refused(
      GENERATE,
      {
        i: {
          idempotencyKey: key('g'),
          facilityId: shop.facility.workshop,
          containers: [container({ wasteCode: '999-999-99' })],
        },
      },
      shop.token,
    );
    expect(unknown.extensions).toMatchObject({
      code: 'UNKNOWN_WASTE_CODE',
      field: 'input.containers.0.wasteCode',
    });
    const wrong = await refused(
      GENERATE,
      {
        i: {
          idempotencyKey: key('g'),
          facilityId: shop.facility.workshop,
          containers: [container(), container({ category: 'HW49' })],
        },
      },
      shop.token,
    );
    expect(wrong.extensions).toMatchObject({
      code: 'UNKNOWN_WASTE_CODE',
      field: 'input.containers.1.wasteCode',
    });
  });

  it.each([
    ['a missing medical class', { wasteCode: '841-001-01' }],
    ['the wrong medical class', { wasteCode: '841-001-01', medicalClass: 'SHARPS' }],
    ['a medical class on other waste', { medicalClass: 'INFECTIOUS' }],
  ])('refuses %s (BAD_USER_INPUT on the field)', async (_what, over) => {
    const e = await refused(
      GENERATE,
      {
        i: {
          idempotencyKey: key('g'),
          facilityId: clinic.facility.workshop,
          containers: [container({ form: 'SOLID', ...over })],
        },
      },
      clinic.token,
    );
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.containers.0.medicalClass' });
  });

  it.each([
    ['zero', '0', 'input.containers.0.mass'],
    ['absurd (over LOT_MAX_MASS_KG)', '999999999', 'input.containers.0.mass'],
    // the Mass scalar refuses these while GraphQL coerces the variable `$i`: the field is its path
    ['negative', '-5', 'i.containers[0].mass'],
    ['with more than 3 decimals', '1.0005', 'i.containers[0].mass'],
  ])('refuses a %s mass (BAD_USER_INPUT on the field)', async (_what, mass, field) => {
    const e = await refused(
      GENERATE,
      {
        i: {
          idempotencyKey: key('g'),
          facilityId: shop.facility.workshop,
          containers: [container({ mass })],
        },
      },
      shop.token,
    );
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a facility of another party, on the field', async () => {
    const e = await refused(
      GENERATE,
      { i: { idempotencyKey: key('g'), facilityId: clinic.facility.workshop, containers: [container()] } },
      shop.token,
    );
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.facilityId' });
  });

  describe('custody, transitions, exemption and licences', () => {
    let handed: { id: string }[];
    let merged: string;

    beforeAll(async () => {
      const medical = container({
        wasteCode: '841-001-01',
        mass: '1.000',
        form: 'SOLID',
        packaging: '包装袋',
        medicalClass: 'INFECTIOUS',
      });
      handed = await generate(clinic, [
        medical,
        { ...medical, mass: '2.000' },
        { ...medical, mass: '3.000' },
      ]);
      await gql(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('h'),
            lotIds: handed.map((l) => l.id),
            toPartyId: centre.id,
            toFacilityId: centre.facility.store,
          },
        },
        clinic.token,
      );
    });

    it('refuses an act on a lot the party no longer holds (LOT_NOT_IN_CUSTODY)', async () => {
      const store = `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`;
      const e = await refused(
        store,
        { i: { idempotencyKey: key('s'), lotId: handed[0].id, facilityId: clinic.facility.store } },
        clinic.token,
      );
      expect(e.extensions).toMatchObject({ code: 'LOT_NOT_IN_CUSTODY', lotId: handed[0].id });
      const other = await refused(
        `mutation($i: RecordLossInput!) { recordLoss(input: $i) { id } }`,
        { i: { idempotencyKey: key('l'), lotId: handed[1].id, kind: 'OTHER', reason: 'not mine' } },
        shop.token,
      );
      expect(other.extensions.code).toBe('LOT_NOT_IN_CUSTODY');
      const unknown = await refused(
        store,
        { i: { idempotencyKey: key('s'), lotId: 'no-such-lot', facilityId: clinic.facility.store } },
        clinic.token,
      );
      expect(unknown.extensions.code).toBe('NOT_FOUND');
    });

    it('refuses a consolidation beyond the 1 % tolerance (MASS_MISMATCH), then accepts one within', async () => {
      const input = (mass: string) => ({
        idempotencyKey: key('c'),
        sourceLotIds: handed.map((l) => l.id),
        facilityId: centre.facility.store,
        mass,
        massBasis: 'WEIGHED',
        packaging: '周转箱',
      });
      const CONSOLIDATE = `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id mass } }`;
      const e = await refused(CONSOLIDATE, { i: input('5.900') }, centre.token);
      expect(e.extensions).toMatchObject({
        code: 'MASS_MISMATCH',
        actualGrams: 5900,
        expectedGrams: 6000,
        toleranceBasisPoints: 100,
      });
      merged = (await gql(CONSOLIDATE, { i: input('5.950') }, centre.token)).consolidateLots.id;
    });

    it('refuses an act on a consolidated lot (INVALID_TRANSITION, with the state and the acts allowed)', async () => {
      const e = await refused(
        `mutation($i: SplitLotInput!) { splitLot(input: $i) { id } }`,
        { i: { idempotencyKey: key('sp'), lotId: handed[0].id, parts: [{ mass: '0.5' }, { mass: '0.5' }] } },
        centre.token,
      );
      expect(e.extensions).toMatchObject({
        code: 'INVALID_TRANSITION',
        currentState: 'CONSOLIDATED',
        allowedActs: [],
      });
    });

    it('refuses treatment without a licence mode (LICENCE_MODE_MISSING): the centre did not produce the merged lot', async () => {
      const e = await refused(
        `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id } } }`,
        {
          i: {
            idempotencyKey: key('t'),
            lotIds: [merged],
            method: 'D9',
            facilityId: centre.facility.steriliser,
          },
        },
        centre.token,
      );
      expect(e.extensions).toMatchObject({
        code: 'LICENCE_MODE_MISSING',
        wasteCode: '841-001-01',
        mode: 'DISPOSE',
      });
    });

    it('splits the merged lot: parts inherit the clock; the difference must be within tolerance', async () => {
      const d = await gql(
        `mutation($i: SplitLotInput!) { splitLot(input: $i) { ${LOT} } }`,
        {
          i: {
            idempotencyKey: key('sp'),
            lotId: merged,
            parts: [{ mass: '2.950' }, { mass: '3.000', packaging: '第二箱' }],
          },
        },
        centre.token,
      );
      const source = await gql(
        `query($id: ID!) { lot(id: $id) { status clockStartsAt } }`,
        { id: merged },
        centre.token,
      );
      expect(source.lot.status).toBe('SPLIT');
      expect(
        d.splitLot.map((l: { status: string; clockStartsAt: string }) => [l.status, l.clockStartsAt]),
      ).toEqual([
        ['STORED', source.lot.clockStartsAt],
        ['STORED', source.lot.clockStartsAt],
      ]);
      const fate = await gql(
        `query($id: ID!) { lotFate(lotId: $id) { mass outcomes { kind mass } } }`,
        { id: handed[2].id },
        clinic.token,
      );
      const total = fate.lotFate.outcomes.reduce(
        (a: number, o: { mass: string }) => a + Math.round(Number(o.mass) * 1000),
        0,
      );
      expect(total).toBe(3000);
      expect(fate.lotFate.outcomes.filter((o: { kind: string }) => o.kind === 'HELD')).toHaveLength(2);
    });

    it('refuses the exemption to a hospital over 19 beds, and logs the refused custody attempt', async () => {
      const [lot] = await generate(hospital, [
        container({ wasteCode: '841-001-01', form: 'SOLID', medicalClass: 'INFECTIOUS', mass: '1' }),
      ]);
      const e = await refused(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('h'),
            lotIds: [lot.id],
            toPartyId: centre.id,
            toFacilityId: centre.facility.store,
          },
        },
        hospital.token,
      );
      expect(e.extensions.code).toBe('FORBIDDEN');
      const attempts = await t.db.owner.query(
        `SELECT act, refusal_code FROM custody_attempt WHERE target_id = $1`,
        [lot.id],
      );
      expect(attempts.rows).toEqual([{ act: 'handOverExempt', refusal_code: 'FORBIDDEN' }]);
      const listed = await gql(
        `{ lots(filter: {category: "HW01"}) { nodes { id exemptSource } } }`,
        {},
        hospital.token,
      );
      expect(listed.lots.nodes).toEqual([{ id: lot.id, exemptSource: false }]);
    });

    it('refuses a handover to an institution no regulator has verified (PARTY_NOT_VERIFIED)', async () => {
      const [lot] = await generate(clinic, [
        container({ wasteCode: '841-002-01', form: 'SOLID', medicalClass: 'SHARPS', mass: '1' }),
      ]);
      const e = await refused(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('h'),
            lotIds: [lot.id],
            toPartyId: unverified.id,
            toFacilityId: unverified.facility.store,
          },
        },
        clinic.token,
      );
      expect(e.extensions).toMatchObject({ code: 'PARTY_NOT_VERIFIED', field: 'input.toPartyId' });
    });
  });
});
