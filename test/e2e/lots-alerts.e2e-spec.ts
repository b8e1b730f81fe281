import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, verify } from '../support/auth';
import { GENERATE, LOT, lotsKit, type LotsParty } from '../support/lots-kit';

/**
 * 批次 — what is recorded with an alert (a storage spot taken over 3 t, a loss), retries that
 * return the first result, agents acting for a producer, and scanners acting with their key.
 */
const ENV = { ...AUTH_ENV, LOT_MAX_MASS_KG: '1000' };
// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots: alerts, retries, agents and devices', () => {
  let t: TestApp;
  const { key, gql, register, ledgerSize, refused, container, generate } = lotsKit(() => t);

  let regulator: string;
  let shop: LotsParty;

  beforeAll(async () => {
    t = await createTestApp(ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    const city = { name: '郑州市生态环境局', level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'] };
    regulator = (await createAgency(t, sys, { ...city, username: 'zhengzhou' })).token;
    shop = await register(
      '汽修厂',
      ['PRODUCER'],
      [
        ['PRODUCTION', 'workshop'],
        ['STORAGE_SPOT', 'spot'],
        ['STORAGE_WAREHOUSE', 'warehouse'],
      ],
    );
    await verify(t, regulator, shop.id);
  });
  afterAll(() => t.close());

  it('a retry with the same key returns the first lots and appends nothing', async () => {
    const i = {
      idempotencyKey: 'gen-retry',
      facilityId: shop.facility.workshop,
      containers: [container(), container()],
    };
    const first = await gql(GENERATE, { i }, shop.token);
    const before = await ledgerSize();
    const again = await gql(GENERATE, { i }, shop.token);
    expect(again.generateLots.map((l: { id: string }) => l.id)).toEqual(
      first.generateLots.map((l: { id: string }) => l.id),
    );
    expect(new Set(first.generateLots.map((l: { batchCode: string }) => l.batchCode)).size).toBe(1);
    expect(await ledgerSize()).toBe(before);
    const reused = await refused(GENERATE, { i: { ...i, containers: [container()] } }, shop.token);
    expect(reused.extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('records a store-in that takes a storage spot over 3 t, and alerts (STORAGE_SPOT_OVER_3T)', async () => {
    const lots = await generate(shop, [
      container({ mass: '900' }),
      container({ mass: '900' }),
      container({ mass: '900' }),
      container({ mass: '900' }),
    ]);
    const spot = shop.facility.spot;
    for (const l of lots) {
      const d = await gql(
        `mutation($i: StoreLotInput!) { storeLot(input: $i) { ${LOT} } }`,
        { i: { idempotencyKey: key('s'), lotId: l.id, facilityId: spot } },
        shop.token,
      );
      expect(d.storeLot).toMatchObject({ status: 'STORED', facilityId: spot });
    }
    const counter = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [`counter:facility-stock:${spot}`],
    );
    expect(counter.rows.map((r) => r.payload.value)).toEqual([900_000, 1_800_000, 2_700_000, 3_600_000]);
    const alerts = await t.db.owner.query(
      `SELECT rule, severity, region, evidence, party_ids FROM ledger_alert WHERE subject_id = $1`,
      [spot],
    );
    expect(alerts.rows).toEqual([
      {
        rule: 'STORAGE_SPOT_OVER_3T',
        severity: 'CRITICAL',
        region: '410102',
        evidence: expect.objectContaining({ stockKg: '3600.000', capKg: '3000.000', excessKg: '600.000' }),
        party_ids: [shop.id],
      },
    ]);
    const stock = await t.db.owner.query(
      `SELECT stock_grams, lot_count FROM facility_stock WHERE facility_id = $1`,
      [spot],
    );
    expect(stock.rows[0]).toEqual({ stock_grams: '3600000', lot_count: 4 });
    // moving one out brings the counter down
    await gql(
      `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
      { i: { idempotencyKey: key('m'), lotId: lots[0].id, facilityId: shop.facility.warehouse } },
      shop.token,
    );
    const last = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`,
      [`counter:facility-stock:${spot}`],
    );
    expect(last.rows[0].payload).toMatchObject({ delta: -900_000, value: 2_700_000, reason: 'LotMoved' });
  });

  it('records losses and alerts each (LOT_LOSS); a total loss ends the lot', async () => {
    const [lot] = await generate(shop, [container({ mass: '100' })]);
    const LOSS = `mutation($i: RecordLossInput!) { recordLoss(input: $i) { ${LOT} } }`;
    const part = await gql(
      LOSS,
      { i: { idempotencyKey: key('l'), lotId: lot.id, kind: 'SPILL', mass: '2.5', reason: '桶体破损泄漏' } },
      shop.token,
    );
    expect(part.recordLoss).toMatchObject({ status: 'GENERATED', mass: '97.500' });
    const all = await gql(
      LOSS,
      { i: { idempotencyKey: key('l'), lotId: lot.id, kind: 'THEFT', reason: '夜间被盗' } },
      shop.token,
    );
    expect(all.recordLoss).toMatchObject({ status: 'LOST', mass: '0.000' });
    const alerts = await t.db.owner.query(
      `SELECT severity, evidence FROM ledger_alert WHERE rule = 'LOT_LOSS' AND subject_id = $1 ORDER BY period`,
      [lot.id],
    );
    expect(alerts.rows).toEqual([
      {
        severity: 'WARNING',
        evidence: expect.objectContaining({ kind: 'SPILL', lostKg: '2.500', total: false }),
      },
      {
        severity: 'CRITICAL',
        evidence: expect.objectContaining({ kind: 'THEFT', lostKg: '97.500', total: true }),
      },
    ]);
    const fate = await gql(
      `query($id: ID!) { lotFate(lotId: $id) { complete outcomes { kind mass } } }`,
      { id: lot.id },
      shop.token,
    );
    expect(fate.lotFate).toEqual({ complete: true, outcomes: [{ kind: 'LOST', mass: '100.000' }] });
  });

  it('an agent records lots for the producer that delegated to it; both are named on the event', async () => {
    const collector = await register('收集单位', ['COLLECTOR'], [['STORAGE_WAREHOUSE', 'depot']]);
    await gql(
      `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
      { i: { idempotencyKey: key('v'), partyId: collector.id } },
      regulator,
    );
    const today = new Date().toISOString().slice(0, 10);
    const i = {
      idempotencyKey: key('agent'),
      facilityId: shop.facility.workshop,
      onBehalfOfPartyId: shop.id,
      containers: [container()],
    };
    const denied = await refused(GENERATE, { i }, collector.token);
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'input.onBehalfOfPartyId' });
    await gql(
      `mutation($i: GrantDelegationInput!) { grantDelegation(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key('d'),
          agentPartyId: collector.id,
          scope: ['MANIFESTS'],
          validFrom: '2020-01-01',
          validTo: `${Number(today.slice(0, 4)) + 1}-12-31`,
        },
      },
      shop.token,
    );
    const [lot] = (await gql(GENERATE, { i: { ...i, idempotencyKey: key('agent') } }, collector.token))
      .generateLots;
    const ev = await t.db.owner.query(`SELECT actor, payload FROM ledger_event WHERE stream_id = $1`, [
      `lot-${lot.id}`,
    ]);
    expect(ev.rows[0].actor).toMatchObject({
      kind: 'USER',
      partyId: collector.id,
      onBehalfOfPartyId: shop.id,
    });
    expect(ev.rows[0].payload.producerPartyId).toBe(shop.id);
  });

  it('a scanner records lots with the operation in its key, and may not do what its key omits', async () => {
    const reg = await gql(
      `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { apiKey device { id } } }`,
      {
        i: {
          idempotencyKey: key('dev'),
          kind: 'SCANNER',
          label: '车间扫码枪',
          operations: ['generateLots', 'lotByLabel'],
        },
      },
      shop.token,
    );
    const token = (
      await gql(`mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`, {
        i: { apiKey: reg.registerDevice.apiKey },
      })
    ).exchangeDeviceKey.accessToken as string;
    const [lot] = (
      await gql(
        GENERATE,
        { i: { idempotencyKey: key('scan'), facilityId: shop.facility.workshop, containers: [container()] } },
        token,
      )
    ).generateLots;
    const scanned = await gql(
      `query($c: String!) { lotByLabel(code: $c) { id } }`,
      { c: lot.labelCode },
      token,
    );
    expect(scanned.lotByLabel.id).toBe(lot.id);
    const e = await refused(
      `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
      { i: { idempotencyKey: key('s'), lotId: lot.id, facilityId: shop.facility.spot } },
      token,
    );
    expect(e.extensions.code).toBe('FORBIDDEN');
    const ev = await t.db.owner.query(`SELECT actor FROM ledger_event WHERE stream_id = $1`, [
      `lot-${lot.id}`,
    ]);
    expect(ev.rows[0].actor).toEqual({
      kind: 'DEVICE',
      deviceId: reg.registerDevice.device.id,
      partyId: shop.id,
    });
  });
});
