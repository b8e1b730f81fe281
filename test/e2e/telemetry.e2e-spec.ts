import { MqttIngestionService } from '../../src/telemetry/mqtt-ingestion.service';
import { TelemetryRulesService } from '../../src/telemetry/telemetry-rules.service';
import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, idem, item, type RegisteredParty } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';
import {
  type Ack,
  device,
  type Device,
  deviceClient,
  drive,
  sitedParty,
  standStill,
  testBroker,
  type TestBroker,
  testTopicPrefix,
  withClockAt,
} from './telemetry-world';

jest.setTimeout(180_000);

const MIN = 60_000;
const SHOP = { lat: 34.7466, lon: 113.6253 }; // 郑州市中原区
const FIELD = { lat: 34.74, lon: 113.8 }; // farmland between the two, no site near
const RECYCLER = { lat: 34.719, lon: 113.976 }; // 中牟县
const DEPOT = { lat: 34.8, lon: 113.68 };

const TRACK = `track(precisionMeters: $p) { manifestId precisionMeters legs { leg vehicleId carrierPartyId startedAt endedAt
  pointCount distanceMeters truncated points { at latitude longitude speedKmh } } }`;
const WEIGHINGS = `weighings { manifestId declaredMass recordedPickupMass measuredMass receiptMinusPickup pickupMinusDeclared
  measuredMinusReceipt pickup { stage deviceId siteId vehicleId at grossMass tareMass netMass sharedWithManifestIds }
  receipt { stage netMass sharedWithManifestIds } pickupPrefill { lotId labelCode mass basis } receiptPrefill { lotId mass basis } }`;

/**
 * 运输轨迹与物联网 — an auto-repair shop ships waste oil to a licensed recycler. The shop's weighbridge
 * weighs the loaded truck (the pickup weighing pre-fills the driver's pickup mass); the truck's GPS
 * unit publishes its track over MQTT to a real broker, one batch every ten minutes; on the way the truck
 * stands 40 minutes in a field, far from any licensed site: SUSPECTED_DUMPING is raised once, with
 * the place and duration. It then stands 40 minutes inside the recycler's geofence: nothing. The
 * recycler's weighbridge weighs it lighter than at pickup: WEIGHBRIDGE_SHORTFALL. A replayed batch
 * stores nothing twice. The scheduler's step finds the trip overdue, and later the track missing.
 */
describe('telemetry (物联网): a trip over MQTT with a stop in a field', () => {
  let broker: TestBroker;
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let shop: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let crew: { vehicleId: string; driverId: string; escortId: string };
  let driver: string;
  let gps: Device;
  let shopScale: Device;
  let recyclerScale: Device;
  let lot: Lot;
  let m: Manifest;
  let prefix: string;
  let T0: number;
  const at = (minute: number) => new Date(T0 + minute * MIN).toISOString();
  const acks: Ack[] = [];
  let batches: { points: Record<string, unknown>[] }[] = [];

  const asOf = <T>(minute: number, fn: () => Promise<T>) => withClockAt(t, T0 + minute * MIN, fn);

  beforeAll(async () => {
    broker = await testBroker();
    prefix = testTopicPrefix();
    t = await createTestApp({
      ...AUTH_ENV,
      MQTT_URL: broker.url,
      MQTT_TOPIC_PREFIX: prefix,
      MQTT_SHARE_GROUP: broker.shareGroup,
    });
    await t.app.get(MqttIngestionService).whenSubscribed();
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    const place = (p: { lat: number; lon: number }, geofenceRadiusM?: number) => ({
      latitude: p.lat.toFixed(6),
      longitude: p.lon.toFixed(6),
      geofenceRadiusM,
    });
    shop = await sitedParty(t, henan, {
      name: '中原区汽修厂',
      types: ['PRODUCER'],
      divisionCode: '410102',
      place: place(SHOP),
    });
    recycler = await sitedParty(t, henan, {
      name: '中牟再生油厂',
      types: ['UTILISER'],
      divisionCode: '410122',
      place: place(RECYCLER, 400),
    });
    carrier = await sitedParty(t, henan, {
      name: '豫危运输',
      types: ['TRANSPORTER'],
      divisionCode: '410105',
      place: place(DEPOT),
    });
    await w.issueLicence(henan, {
      holder: recycler,
      kind: 'COMPREHENSIVE',
      items: [item('900-214-08', ['STORE', 'UTILISE'], '100')],
    });
    crew = await w.equipCarrier(henan, carrier);
    driver = await w.user(carrier, 'DRIVER');
    gps = await device(t, carrier, 'GPS');
    shopScale = await device(t, shop, 'WEIGHBRIDGE');
    recyclerScale = await device(t, recycler, 'WEIGHBRIDGE');
    T0 = Math.floor((Date.now() - 3 * 60 * MIN) / MIN) * MIN;
    [lot] = await asOf(-10, () => w.lots(shop, [{ wasteCode: '900-214-08', mass: '180.500' }]));
    m = await asOf(0, () =>
      w.draft(shop.token, {
        receiverPartyId: recycler.id,
        legs: [
          {
            carrierPartyId: carrier.id,
            vehicleId: crew.vehicleId,
            driverId: crew.driverId,
            escortId: crew.escortId,
          },
        ],
        lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
        plannedDate: new Date(T0 + 8 * 60 * MIN).toISOString().slice(0, 10),
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
    await broker?.close();
  });

  it('the shop’s weighbridge weighs the loaded truck before pickup: linked as the PICKUP weighing, pre-filling the pickup mass', async () => {
    const { handoverCode } = await asOf(1, () => w.submit(shop.token, m.id));
    const r = await w.q<{ submitReadings: Ack }>(
      `mutation($i: SubmitReadingsInput!) { submitReadings(input: $i) { received storedPoints storedWeighings skipped
         skippedByReason { reason count } alertIds replayed } }`,
      {
        i: {
          idempotencyKey: idem('scale'),
          weighings: [
            {
              siteId: shop.siteIds[0],
              vehicleId: crew.vehicleId,
              at: at(3),
              grossMass: '12180.500',
              tareMass: '12000',
              netMass: '180.500',
            },
          ],
        },
      },
      shopScale.token,
    );
    expect(r.submitReadings).toMatchObject({ received: 1, storedWeighings: 1, skipped: 0, replayed: false });
    const before = await w.q<{ manifest: { weighings: Record<string, unknown> } }>(
      `query($id: ID!) { manifest(id: $id) { ${WEIGHINGS} } }`,
      { id: m.id },
      driver,
    );
    expect(before.manifest.weighings).toMatchObject({
      declaredMass: '180.500',
      pickup: {
        stage: 'PICKUP',
        deviceId: shopScale.id,
        siteId: shop.siteIds[0],
        netMass: '180.500',
        sharedWithManifestIds: [],
      },
      receipt: null,
      pickupMinusDeclared: '0.000',
      pickupPrefill: [{ lotId: lot.id, labelCode: lot.labelCode, mass: '180.500', basis: 'WHOLE' }],
    });
    const prefill = (before.manifest.weighings.pickupPrefill as { labelCode: string; mass: string }[]).map(
      (p) => ({
        labelCode: p.labelCode,
        mass: p.mass,
      }),
    );
    m = await asOf(5, () => w.takeCustody(driver, m, handoverCode.code, { pickupMasses: prefill }));
    expect(m.status).toBe('IN_TRANSIT');
    expect(m.lots[0].pickupMass).toBe('180.500');
  });

  it('the GPS unit publishes the trip over MQTT: a 40-minute stop in a field raises SUSPECTED_DUMPING once, with its place and duration', async () => {
    const trip = [
      ...drive(SHOP, FIELD, 6, 39),
      ...standStill(FIELD, 40, 80),
      ...drive(FIELD, RECYCLER, 81, 119),
      ...standStill({ lat: RECYCLER.lat + 0.0005, lon: RECYCLER.lon }, 120, 160), // ~55 m inside the gate
    ];
    batches = [];
    for (let i = 0; i < trip.length; i += 10) {
      batches.push({
        points: trip.slice(i, i + 10).map((p) => ({
          vehicleId: crew.vehicleId,
          at: at(p.minute),
          latitude: p.lat,
          longitude: Number(p.lon), // devices send numbers or strings
          speedKmh: p.speed,
        })),
      });
    }
    const unit = await deviceClient(broker.url, prefix, gps.id, { username: gps.id, password: gps.apiKey });
    try {
      for (const b of batches) acks.push(await unit.publish(b));
    } finally {
      await unit.close();
    }
    expect(acks.every((a) => a.skipped === 0 && !a.error)).toBe(true);
    expect(acks.reduce((n, a) => n + a.storedPoints, 0)).toBe(trip.length);
    const raised = acks.flatMap((a) => a.alertIds);
    expect(raised).toHaveLength(1);
    const alerts = await w.alerts('SUSPECTED_DUMPING');
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a.alert_id).toBe(raised[0]);
    expect(a.subject_id).toBe(crew.vehicleId);
    // the drive ends at the field at minute 39: the stop starts there (identity: the stop's start)
    expect(a.period).toBe(`stop:${at(39)}`);
    const e = a.evidence;
    expect(Math.abs(Number(e.latitude) - FIELD.lat)).toBeLessThan(0.0002);
    expect(Math.abs(Number(e.longitude) - FIELD.lon)).toBeLessThan(0.0002);
    expect(e.startedAt).toBe(at(39));
    // raised while the truck still stood there (the batch that took the stop past 30 minutes)
    expect(e.durationSeconds).toBeGreaterThanOrEqual(30 * 60);
    expect(e.durationSeconds).toBeLessThanOrEqual(42 * 60);
    expect(e.ongoing).toBe(true);
    expect(e).toMatchObject({
      vehicleId: crew.vehicleId,
      manifestIds: [m.id],
      manifestNumbers: [m.number],
      thresholdMinutes: 30,
    });
    expect(a.party_ids).toEqual(expect.arrayContaining([carrier.id, shop.id, recycler.id]));
    // the 40 minutes inside the recycler's geofence raised nothing
    expect(await w.alerts('SUSPECTED_DUMPING', crew.vehicleId)).toHaveLength(1);
  });

  it('the points are stored outside the ledger, in the month partition, attached to the manifest', async () => {
    const rows = await w.sql<{ n: number; attached: number; parts: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE $1 = ANY(manifest_ids))::int AS attached,
              count(DISTINCT tableoid)::int AS parts FROM telemetry_gps_point WHERE vehicle_id = $2`,
      [m.id, crew.vehicleId],
    );
    expect(rows[0]).toMatchObject({ n: 155, attached: 155 });
    expect(rows[0].parts).toBeGreaterThanOrEqual(1);
    expect(
      await w.sql(
        `SELECT 1 FROM ledger_event WHERE event_type ILIKE '%point%' OR event_type ILIKE '%reading%'`,
      ),
    ).toEqual([]);
  });

  it('a replayed batch stores nothing twice: every reading is a DUPLICATE', async () => {
    const before = await w.sql<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_gps_point`);
    const unit = await deviceClient(broker.url, prefix, gps.id);
    try {
      const again = await unit.publish(batches[0]);
      expect(again).toMatchObject({
        received: 10,
        storedPoints: 0,
        skipped: 10,
        skippedByReason: [{ reason: 'DUPLICATE', count: 10 }],
      });
      // with a batch id, a retry gets the first answer back
      const first = await unit.publish({ batchId: 'b-1', points: batches[1].points });
      const retry = await unit.publish({ batchId: 'b-1', points: batches[1].points });
      expect(retry).toEqual({ ...first, replayed: true });
    } finally {
      await unit.close();
    }
    const after = await w.sql<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_gps_point`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('the recycler’s weighbridge weighs the truck 30.5 kg lighter (over MQTT): WEIGHBRIDGE_SHORTFALL', async () => {
    const scale = await deviceClient(broker.url, prefix, recyclerScale.id);
    let ack: Ack;
    try {
      ack = await scale.publish({
        weighings: [
          {
            siteId: recycler.siteIds[0],
            vehicleId: crew.vehicleId,
            at: at(125),
            gross: '12150',
            tare: '12000',
            net: '150',
          },
        ],
      });
    } finally {
      await scale.close();
    }
    expect(ack).toMatchObject({ received: 1, storedWeighings: 1, skipped: 0 });
    const [a] = await w.alerts('WEIGHBRIDGE_SHORTFALL', m.id);
    expect(ack.alertIds).toEqual([a.alert_id]);
    expect(a.evidence).toMatchObject({
      manifestNumber: m.number,
      pickupNetKg: '180.500',
      receiptNetKg: '150.000',
      differenceKg: '-30.500',
      tolerancePercent: '5',
    });
  });

  it('manifest.track: the leg’s points, simplified at a precision (Douglas–Peucker), ends kept', async () => {
    const q = (p: number) =>
      w.q<{
        manifest: { track: { legs: { pointCount: number; points: { at: string }[]; vehicleId: string }[] } };
      }>(`query($id: ID!, $p: Int!) { manifest(id: $id) { id ${TRACK} } }`, { id: m.id, p }, henan.token);
    const raw = (await q(0)).manifest.track.legs;
    expect(raw).toHaveLength(1);
    expect(raw[0]).toMatchObject({ vehicleId: crew.vehicleId, pointCount: 155 });
    expect(raw[0].points).toHaveLength(155);
    const coarse = (await q(50)).manifest.track.legs[0];
    expect(coarse.pointCount).toBe(155);
    expect(coarse.points.length).toBeLessThan(20);
    expect(coarse.points[0].at).toBe(raw[0].points[0].at);
    expect(coarse.points[coarse.points.length - 1].at).toBe(raw[0].points[154].at);
    // another party does not see the manifest, nor its track
    const stranger = await sitedParty(t, henan, {
      name: '旁人',
      types: ['PRODUCER'],
      divisionCode: '410102',
      place: { latitude: '34.7', longitude: '113.6' },
    });
    const res = await t.gql(
      `query($id: ID!, $p: Int!) { manifest(id: $id) { ${TRACK} } }`,
      { id: m.id, p: 10 },
      stranger.token,
    );
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('runOnce(now): the trip is overdue (TRIP_OVERDUE) and nothing is raised twice; two hours on, the track is missing', async () => {
    const rules = t.app.get(TelemetryRulesService);
    const now = new Date();
    const run = await rules.runOnce(now);
    const [overdue] = await w.alerts('TRIP_OVERDUE', m.id);
    expect(overdue.evidence).toMatchObject({ manifestNumber: m.number, inTransit: true, factorPercent: 200 });
    expect(run.alertIds).toContain(overdue.alert_id);
    expect(await w.alerts('TRACK_MISSING', m.id)).toEqual([]);
    expect(await w.alerts('SUSPECTED_DUMPING')).toHaveLength(1);
    expect((await rules.runOnce(now)).raised).toBe(0);
    await rules.runOnce(new Date(now.getTime() + 120 * MIN));
    const [missing] = await w.alerts('TRACK_MISSING', m.id);
    expect(missing.period).toBe(`silent-since:${at(160)}`);
    expect(missing.evidence).toMatchObject({
      vehicleId: crew.vehicleId,
      lastPointAt: at(160),
      thresholdMinutes: 60,
    });
  });

  it('at receipt the receipt weighing pre-fills the measured mass, which the receiver confirms; differences are visible', async () => {
    await w.deliver(driver, m.id);
    const view = await w.q<{
      manifest: { weighings: { receiptPrefill: { lotId: string; mass: string }[] } };
    }>(`query($id: ID!) { manifest(id: $id) { ${WEIGHINGS} } }`, { id: m.id }, recycler.token);
    expect(view.manifest.weighings).toMatchObject({
      receipt: { stage: 'RECEIPT', netMass: '150.000' },
      receiptMinusPickup: '-30.500',
      receiptPrefill: [{ lotId: lot.id, mass: '150.000', basis: 'WHOLE' }],
    });
    const received = await w.receive(recycler.token, m.id, recycler.facilityIds[0], [
      { lotId: lot.id, measuredMass: view.manifest.weighings.receiptPrefill[0].mass, decision: 'ACCEPTED' },
    ]);
    expect(received.lots[0]).toMatchObject({ measuredMass: '150.000', discrepancy: true });
    const after = await w.q<{ manifest: { weighings: Record<string, unknown> } }>(
      `query($id: ID!) { manifest(id: $id) { ${WEIGHINGS} } }`,
      { id: m.id },
      henan.token,
    );
    expect(after.manifest.weighings).toMatchObject({
      measuredMass: '150.000',
      measuredMinusReceipt: '0.000',
      recordedPickupMass: '180.500',
    });
  });

  it('the trip legs are a read model of the ledger: a rebuild equals the live tables', async () => {
    const report = await w.rebuild();
    expect(report.tables).toContain('telemetry_leg');
    expect(report.differences).toEqual([]);
    const legs = await w.sql<{ started_at: Date; ended_at: Date | null }>(
      `SELECT started_at, ended_at FROM telemetry_leg WHERE manifest_id = $1`,
      [m.id],
    );
    expect(Math.abs(legs[0].started_at.getTime() - (T0 + 5 * MIN))).toBeLessThan(MIN);
    expect(legs[0].ended_at).not.toBeNull();
  });
});
