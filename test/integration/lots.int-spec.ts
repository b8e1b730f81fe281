import type { PoolClient } from 'pg';
import { PgSql } from '../../src/database/sql';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { withUsccCheckCharacter } from '../../src/parties/domain/uscc';
import { createTestApp, type TestApp } from '../support/app';

/**
 * Lots against a real PostgreSQL: concurrent store-ins into one storage spot see each other
 * (the stock is a ledger counter, locked), and every lot read model rebuilt from the events alone
 * equals the live one after a history that uses every lot act.
 */
// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots: concurrency and projections', () => {
  let t: TestApp;
  let seq = 0;
  const key = (w: string) => `${w}-${++seq}`;
  let shop: { id: string; token: string; facility: Record<string, string> };

  async function gql(query: string, variables: Record<string, unknown>, token?: string) {
    const res = await t.gql(query, variables, token);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }
  const lotIds = (d: { id: string }[]) => d.map((l) => l.id);
  const drum = (mass: string) => ({
    wasteCode: '900-214-08',
    mass,
    massBasis: 'WEIGHED',
    form: 'LIQUID',
    packaging: '200 L drum',
    mainComponents: ['废机油'],
  });
  const generate = async (...masses: string[]) =>
    lotIds(
      (
        await gql(
          `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
          {
            i: { idempotencyKey: key('g'), facilityId: shop.facility.workshop, containers: masses.map(drum) },
          },
          shop.token,
        )
      ).generateLots,
    );
  const store = (lotId: string, facility: string, occurredAt?: string) =>
    gql(
      `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
      { i: { idempotencyKey: key('s'), lotId, facilityId: shop.facility[facility], occurredAt } },
      shop.token,
    );

  beforeAll(async () => {
    t = await createTestApp({ SYSTEM_ADMIN_USERNAME: 'sysadmin', SYSTEM_ADMIN_PASSWORD: 'Sysadmin-pass-1' });
    const d = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: key('r'),
          uscc: withUsccCheckCharacter('91410102MA0000001'),
          name: '汽修厂',
          types: ['PRODUCER', 'COLLECTOR'],
          sites: [
            {
              name: '厂区',
              divisionCode: '410102',
              address: '中原区',
              facilities: [
                { type: 'PRODUCTION', name: 'workshop' },
                { type: 'STORAGE_SPOT', name: 'spot' },
                { type: 'STORAGE_WAREHOUSE', name: 'warehouse' },
                { type: 'OWN_TREATMENT', name: 'own' },
              ],
            },
          ],
          admin: { username: 'shop', password: 'Party-pass-1', displayName: '汽修厂' },
        },
      },
    );
    const login = await gql(
      `mutation { login(input: {username: "shop", password: "Party-pass-1"}) { accessToken } }`,
      {},
    );
    shop = {
      id: d.registerParty.id,
      token: login.login.accessToken,
      facility: Object.fromEntries(
        (d.registerParty.sites[0].facilities as { id: string; name: string }[]).map((f) => [f.name, f.id]),
      ),
    };
  });
  afterAll(() => t.close());

  /** A city agency verifies the shop and issues it a COLLECTION licence (collect and store waste mineral oil). */
  async function licenseShop(): Promise<void> {
    const login = async (username: string, password: string) =>
      (
        await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
          i: { username, password },
        })
      ).login.accessToken as string;
    const sys = await login('sysadmin', 'Sysadmin-pass-1');
    const a = await gql(
      `mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('a'),
          name: '郑州市生态环境局',
          kind: 'ENVIRONMENT',
          level: 'CITY',
          divisionCode: '410100',
          jurisdiction: ['4101'],
        },
      },
      sys,
    );
    await gql(
      `mutation($i: CreateAgencyUserInput!) { createAgencyUser(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('u'),
          agencyId: a.createAgency.id,
          user: { username: 'city', password: 'Regulator-pass-1', displayName: '市局' },
        },
      },
      sys,
    );
    const regulator = await login('city', 'Regulator-pass-1');
    await gql(
      `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
      { i: { idempotencyKey: key('v'), partyId: shop.id } },
      regulator,
    );
    const site = (
      await gql(`query($id: ID!) { party(id: $id) { sites { id } } }`, { id: shop.id }, shop.token)
    ).party.sites[0].id;
    const year = new Date().getFullYear();
    await gql(
      `mutation($i: IssueLicenceInput!) { issueLicence(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('lic'),
          number: '豫环收集-0001',
          holderPartyId: shop.id,
          kind: 'COLLECTION',
          validFrom: `${year - 1}-01-01`,
          validTo: `${year + 1}-12-31`,
          facilitySiteIds: [site],
          items: [{ scope: '900-214-08', modes: ['COLLECT', 'STORE'], annualCapacityTonnes: '100' }],
        },
      },
      regulator,
    );
  }

  it('concurrent store-ins into one storage spot see each other: one alert, exact stock', async () => {
    const lots = await generate('800', '800', '800', '800', '800');
    const at = new Date().toISOString();
    await Promise.all(lots.map((id) => store(id, 'spot', at)));
    const spot = shop.facility.spot;
    const counter = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [`counter:facility-stock:${spot}`],
    );
    expect(counter.rows.map((r) => r.payload.value)).toEqual([
      800_000, 1_600_000, 2_400_000, 3_200_000, 4_000_000,
    ]);
    const alerts = await t.db.owner.query(
      `SELECT evidence FROM ledger_alert WHERE rule = 'STORAGE_SPOT_OVER_3T' AND subject_id = $1`,
      [spot],
    );
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0].evidence.stockKg).toBe('3200.000'); // raised by the store-in that crossed 3 t
    const stock = await t.db.owner.query(
      `SELECT stock_grams, lot_count FROM facility_stock WHERE facility_id = $1`,
      [spot],
    );
    expect(stock.rows[0]).toEqual({ stock_grams: '4000000', lot_count: 5 });
  });

  it('every lot read model rebuilt from the events equals the live one', async () => {
    await licenseShop();
    const [a, b, c, d] = await generate('100', '200', '300', '50');
    await store(a, 'warehouse');
    await store(b, 'warehouse');
    await store(c, 'warehouse');
    await store(c, 'spot');
    const merged = (
      await gql(
        `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key('c'),
            sourceLotIds: [a, b],
            facilityId: shop.facility.warehouse,
            mass: '299',
            massBasis: 'WEIGHED',
            packaging: 'IBC',
          },
        },
        shop.token,
      )
    ).consolidateLots.id as string;
    await gql(
      `mutation($i: SplitLotInput!) { splitLot(input: $i) { id } }`,
      { i: { idempotencyKey: key('sp'), lotId: c, parts: [{ mass: '150' }, { mass: '150' }] } },
      shop.token,
    );
    await gql(
      `mutation($i: RecordLossInput!) { recordLoss(input: $i) { id } }`,
      { i: { idempotencyKey: key('l'), lotId: merged, kind: 'EVAPORATION', mass: '1.5', reason: '挥发' } },
      shop.token,
    );
    await gql(
      `mutation($i: TreatLotsInput!) { treatLots(input: $i) { residues { id } } }`,
      {
        i: {
          idempotencyKey: key('t'),
          lotIds: [d],
          method: 'R9',
          facilityId: shop.facility.own,
          residues: [{ ...drum('5'), wasteCode: '900-249-08' }],
        },
      },
      shop.token,
    );
    const ledger = t.app.get(LedgerService);
    const client: PoolClient = await t.db.owner.connect();
    try {
      await client.query('BEGIN');
      const report = await rebuildAndCompare(new PgSql(client), ledger.projections);
      expect(report.tables).toEqual(
        expect.arrayContaining(['lot', 'lot_party', 'lot_site', 'lot_lineage', 'facility_stock']),
      );
      expect(report.differences).toEqual([]);
      expect(report.identical).toBe(true);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    const lineage = await t.db.owner.query(
      `SELECT kind, count(*)::int AS n FROM lot_lineage GROUP BY kind ORDER BY kind`,
    );
    expect(lineage.rows).toEqual([
      { kind: 'CONSOLIDATION', n: 2 },
      { kind: 'RESIDUE', n: 1 },
      { kind: 'SPLIT', n: 2 },
    ]);
  });
});
