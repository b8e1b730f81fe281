import { LotClockService } from '../../src/lots/clock/lot-clock.service';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, newUscc, verify } from '../support/auth';

/**
 * 贮存期限 — a clinic's medical waste may stay 48 hours: the storage clock raises its alerts at 48 h
 * (not before, and once), including on the township centre's consolidated lot, which inherits the
 * earliest clock of its sources; waste sterilised on site (own treatment) leaves the clock.
 */
interface Party {
  id: string;
  token: string;
  facility: Record<string, string>;
}

// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots: medical storage clocks and on-site treatment', () => {
  let t: TestApp;
  let seq = 0;
  const key = (what: string) => `${what}-${++seq}`;
  const T0 = Date.now() - 3 * 3600_000;
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  async function gql(query: string, variables: Record<string, unknown>, token?: string) {
    const res = await t.gql(query, variables, token);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
  async function register(name: string, bedCount: number, facilities: [string, string][]): Promise<Party> {
    const username = `admin${++seq}`;
    const d = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: key('register'),
          uscc: newUscc(),
          name,
          types: ['MEDICAL_INSTITUTION'],
          bedCount,
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
      id: d.registerParty.id,
      token: await login(t, username, 'Party-pass-1'),
      facility: Object.fromEntries(fs.map((f) => [f.name, f.id])),
    };
  }
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.owner.query<{ n: string }>(sql, params)).rows[0].n);
  const infectious = (mass: string) => ({
    wasteCode: '841-001-01',
    mass,
    massBasis: 'WEIGHED',
    form: 'SOLID',
    packaging: '黄色医疗废物包装袋',
    medicalClass: 'INFECTIOUS',
  });

  let clinic: Party;
  let centre: Party;
  let merged: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    const agency = {
      name: '中牟县生态环境分局',
      level: 'COUNTY',
      divisionCode: '410122',
      jurisdiction: ['410122'],
    };
    const regulator = (await createAgency(t, sys, { ...agency, username: 'zhongmou' })).token;
    clinic = await register('西村卫生室', 8, [
      ['PRODUCTION', 'treatment room'],
      ['OWN_TREATMENT', 'steriliser'],
    ]);
    centre = await register('官渡镇卫生院', 60, [['MEDICAL_TEMP_STORAGE', 'centre store']]);
    for (const p of [clinic, centre]) await verify(t, regulator, p.id);
    const lots = (
      await gql(
        `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('gen'),
            facilityId: clinic.facility['treatment room'],
            occurredAt: at(0),
            containers: [infectious('1.5'), infectious('2.5')],
          },
        },
        clinic.token,
      )
    ).generateLots.map((l: { id: string }) => l.id) as string[];
    for (const [i, id] of lots.entries()) {
      await gql(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('h'),
            lotIds: [id],
            toPartyId: centre.id,
            toFacilityId: centre.facility['centre store'],
            occurredAt: at(60 + i),
          },
        },
        clinic.token,
      );
    }
    const d = await gql(
      `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id clockStartsAt } }`,
      {
        i: {
          idempotencyKey: key('c'),
          sourceLotIds: lots,
          facilityId: centre.facility['centre store'],
          mass: '4',
          massBasis: 'WEIGHED',
          packaging: '周转箱',
          occurredAt: at(90),
        },
      },
      centre.token,
    );
    merged = d.consolidateLots.id;
    expect(d.consolidateLots.clockStartsAt).toBe(at(60));
  });
  afterAll(() => t.close());

  it('a clinic sterilises its sharps on site: its own treatment, disposed with the Basel method', async () => {
    const gen = await gql(
      `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('gen'),
          facilityId: clinic.facility['treatment room'],
          occurredAt: at(100),
          containers: [
            {
              wasteCode: '841-002-01',
              mass: '0.800',
              massBasis: 'WEIGHED',
              form: 'SOLID',
              packaging: '利器盒',
              medicalClass: 'SHARPS',
            },
          ],
        },
      },
      clinic.token,
    );
    const sharps = gen.generateLots[0].id;
    const d = await gql(
      `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id status } residues { id } } }`,
      {
        i: {
          idempotencyKey: key('treat'),
          lotIds: [sharps],
          method: 'D9',
          facilityId: clinic.facility.steriliser,
          occurredAt: at(110),
        },
      },
      clinic.token,
    );
    expect(d.treatLots).toEqual({ lots: [{ id: sharps, status: 'DISPOSED' }], residues: [] });
    const fate = await gql(
      `query($id: ID!) { lotFate(lotId: $id) { complete outcomes { kind mass method } } }`,
      { id: sharps },
      clinic.token,
    );
    expect(fate.lotFate).toEqual({
      complete: true,
      outcomes: [{ kind: 'DISPOSED', mass: '0.800', method: 'D9' }],
    });
    const treated = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotTreated'`,
      [`lot-${sharps}`],
    );
    expect(treated.rows[0].payload).toMatchObject({
      method: 'D9',
      mode: 'DISPOSE',
      ownFacility: true,
      treatedMassGrams: 800,
    });
  });

  it('the 48-hour storage clock raises its alerts once, at 48 h and not before', async () => {
    const gen = await gql(
      `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id clockStartsAt } }`,
      {
        i: {
          idempotencyKey: key('gen'),
          facilityId: clinic.facility['treatment room'],
          occurredAt: at(120),
          containers: [
            {
              wasteCode: '841-001-01',
              mass: '1.000',
              massBasis: 'ESTIMATED',
              form: 'SOLID',
              packaging: '黄色医疗废物包装袋',
              medicalClass: 'INFECTIOUS',
            },
          ],
        },
      },
      clinic.token,
    );
    const kept = gen.generateLots[0].id;
    const clocks = t.app.get(LotClockService);
    const alertsFor = (subject: string) =>
      t.db.owner.query(
        `SELECT rule, severity, region, party_ids FROM ledger_alert WHERE subject_id = $1 ORDER BY rule`,
        [subject],
      );

    await clocks.runOnce(new Date(Date.parse(at(120)) + 47 * 3600_000));
    expect((await alertsFor(kept)).rows).toEqual([]);

    const run = await clocks.runOnce(new Date(Date.parse(at(120)) + 49 * 3600_000));
    expect(run.raised).toBeGreaterThanOrEqual(2);
    expect((await alertsFor(kept)).rows).toEqual([
      {
        rule: 'LOT_NOT_SHIPPED_WITHIN_LIMIT',
        severity: 'CRITICAL',
        region: '410122',
        party_ids: [clinic.id],
      },
      { rule: 'STORAGE_TIME_EXCEEDED', severity: 'CRITICAL', region: '410122', party_ids: [clinic.id] },
    ]);
    expect((await alertsFor(clinic.id)).rows.map((r) => r.rule)).toEqual([
      'MEDICAL_COLLECTION_INTERVAL_EXCEEDED',
    ]);
    // the centre's consolidated lot inherited its sources' clock: over 48 h too
    expect((await alertsFor(merged)).rows.map((r) => r.rule)).toEqual(['STORAGE_TIME_EXCEEDED']);
    const raised = await count(`SELECT count(*) AS n FROM ledger_event WHERE event_type = 'AlertRaised'`);
    const again = await clocks.runOnce(new Date(Date.parse(at(120)) + 50 * 3600_000));
    expect(again.raised).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM ledger_event WHERE event_type = 'AlertRaised'`)).toBe(
      raised,
    );
  });
});
