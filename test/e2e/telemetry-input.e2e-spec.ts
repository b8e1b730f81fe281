import { randomUUID } from 'node:crypto';
import { MqttIngestionService } from '../../src/telemetry/mqtt-ingestion.service';
import { createTestApp, type TestApp } from '../support/app';
import {
  type Agency,
  AUTH_ENV,
  errorCode,
  idem,
  ok,
  openWorld,
  type RegisteredParty,
  type World,
} from '../support/world';
import {
  type Ack,
  device,
  type Device,
  deviceClient,
  sitedParty,
  testBroker,
  type TestBroker,
  testTopicPrefix,
} from './telemetry-world';

jest.setTimeout(120_000);

const SUBMIT = `mutation($i: SubmitReadingsInput!) { submitReadings(input: $i) {
  received storedPoints storedWeighings skipped skippedByReason { reason count } problems { kind index reason message }
  alertIds replayed } }`;

interface Outcome {
  received: number;
  storedPoints: number;
  storedWeighings: number;
  skipped: number;
  skippedByReason: { reason: string; count: number }[];
  problems: { kind: string; index: number; reason: string }[];
  replayed: boolean;
}

const counts = (o: { skippedByReason: { reason: string; count: number }[] }) =>
  Object.fromEntries(o.skippedByReason.map((s) => [s.reason, s.count]));

/**
 * Bad input never crashes a batch: readings from unknown or revoked devices, impossible
 * coordinates or speeds, timestamps far in the future, duplicates — each is skipped and counted
 * per reason in the answer (GraphQL) or the acknowledgement (MQTT), and the good ones are stored.
 */
describe('telemetry (物联网): bad readings are skipped and counted per reason', () => {
  let broker: TestBroker;
  let prefix: string;
  let t: TestApp;
  let w: World;
  let henan: Agency;
  let carrier: RegisteredParty;
  let other: RegisteredParty;
  let vehicleId: string;
  let gps: Device;
  let foreignScale: Device;
  const now = () => Date.now();
  const iso = (offsetMs: number) => new Date(now() + offsetMs).toISOString();
  const point = (over: Record<string, unknown> = {}) => ({
    vehicleId,
    at: iso(-60_000),
    latitude: '34.750000',
    longitude: '113.650000',
    speedKmh: '40',
    ...over,
  });
  const submit = (token: string, input: Record<string, unknown>) =>
    ok<{ submitReadings: Outcome }>(
      t,
      SUBMIT,
      { i: { idempotencyKey: idem('batch'), ...input } },
      token,
    ).then((d) => d.submitReadings);

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
    w = await openWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    carrier = await sitedParty(t, henan, {
      name: '豫危运输',
      types: ['TRANSPORTER'],
      divisionCode: '410105',
      place: { latitude: '34.8', longitude: '113.68' },
    });
    other = await sitedParty(t, henan, {
      name: '别家电厂',
      types: ['PRODUCER'],
      divisionCode: '410102',
      place: { latitude: '34.7', longitude: '113.6' },
    });
    vehicleId = (await w.equipCarrier(henan, carrier)).vehicleId;
    gps = await device(t, carrier, 'GPS');
    foreignScale = await device(t, other, 'WEIGHBRIDGE');
  });
  afterAll(async () => {
    await t?.close();
    await broker?.close();
  });

  it('a device’s batch: good points stored, the rest counted per reason, never a crash', async () => {
    const first = point({ at: iso(-120_000) });
    const r = await submit(gps.token, {
      points: [
        first,
        point({ latitude: '91' }),
        point({ longitude: 'east' }),
        point({ latitude: '0', longitude: '0' }),
        point({ at: iso(-110_000), speedKmh: '900' }),
        point({ at: iso(3_600_000) }),
        point({ at: iso(-200 * 86_400_000) }),
        { ...first }, // the first one again (the same instant to the millisecond)
        point({ at: iso(-100_000), vehicleId: randomUUID() }),
        point({ at: iso(-90_000), latitude: '35.750000' }), // 111 km in 30 s: a spike
        point({ at: iso(-60_000) }),
      ],
      weighings: [
        {
          siteId: other.siteIds[0],
          vehicleId,
          at: iso(-60_000),
          grossMass: '10',
          tareMass: '1',
          netMass: '9',
        },
      ],
    });
    expect(r).toMatchObject({
      received: 12,
      storedPoints: 2,
      storedWeighings: 0,
      skipped: 10,
      replayed: false,
    });
    expect(counts(r)).toEqual({
      INVALID_COORDINATES: 3,
      IMPOSSIBLE_SPEED: 2,
      FUTURE_TIMESTAMP: 1,
      TOO_OLD: 1,
      DUPLICATE: 1,
      UNKNOWN_VEHICLE: 1,
      WRONG_DEVICE_KIND: 1,
    });
    expect(r.problems.map((p) => `${p.kind}:${p.index}:${p.reason}`)).toEqual([
      'POINT:1:INVALID_COORDINATES',
      'POINT:2:INVALID_COORDINATES',
      'POINT:3:INVALID_COORDINATES',
      'POINT:4:IMPOSSIBLE_SPEED',
      'POINT:5:FUTURE_TIMESTAMP',
      'POINT:6:TOO_OLD',
      'POINT:7:DUPLICATE',
      'POINT:8:UNKNOWN_VEHICLE',
      'POINT:9:IMPOSSIBLE_SPEED',
      'WEIGHING:0:WRONG_DEVICE_KIND',
    ]);
    const [{ n }] = await t.db.owner
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry_gps_point WHERE device_id = $1`, [
        gps.id,
      ])
      .then((x) => x.rows);
    expect(n).toBe(2);
  });

  it('a retry with the same idempotency key returns the first answer; another batch under it is refused', async () => {
    const i = { idempotencyKey: idem('retry'), points: [point({ at: iso(-50_000) })] };
    const first = (await ok<{ submitReadings: Outcome }>(t, SUBMIT, { i }, gps.token)).submitReadings;
    const again = (await ok<{ submitReadings: Outcome }>(t, SUBMIT, { i }, gps.token)).submitReadings;
    expect(first).toMatchObject({ storedPoints: 1, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(
      await errorCode(t, SUBMIT, { i: { ...i, points: [point({ at: iso(-40_000) })] } }, gps.token),
    ).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a party’s platform forwards its own devices’ readings: unknown, foreign and revoked devices are counted', async () => {
    const revoked = await device(t, carrier, 'GPS');
    await ok(
      t,
      `mutation($i: RefInput!) { revokeDevice(input: $i) { id status } }`,
      { i: { idempotencyKey: idem('revoke'), id: revoked.id } },
      carrier.token,
    );
    const r = await submit(carrier.token, {
      points: [
        point({ deviceId: gps.id, at: iso(-30_000) }),
        point({ deviceId: randomUUID() }),
        point({ deviceId: foreignScale.id }),
        point({ deviceId: revoked.id }),
        point({}), // which device?
      ],
      weighings: [
        {
          deviceId: foreignScale.id,
          siteId: other.siteIds[0],
          plate: '豫A00000',
          at: iso(-60_000),
          grossMass: '1',
          tareMass: '1',
          netMass: '0',
        },
      ],
    });
    expect(r).toMatchObject({ received: 6, storedPoints: 1 });
    expect(counts(r)).toEqual({ MALFORMED: 1, UNKNOWN_DEVICE: 3, REVOKED_DEVICE: 1 });
    // the revoked device itself is signed out at once
    expect(
      await errorCode(t, SUBMIT, { i: { idempotencyKey: idem('x'), points: [point()] } }, revoked.token),
    ).toBe('UNAUTHENTICATED');
  });

  it('a weighbridge: unknown plates, other parties’ sites and broken masses are counted', async () => {
    const scale = await device(t, carrier, 'WEIGHBRIDGE');
    const weighing = (over: Record<string, unknown>) => ({
      siteId: carrier.siteIds[0],
      vehicleId,
      at: iso(-60_000),
      grossMass: '15000',
      tareMass: '12000',
      netMass: '3000',
      ...over,
    });
    const r = await submit(scale.token, {
      weighings: [
        weighing({}),
        weighing({ vehicleId: undefined, plate: '豫Z99999', at: iso(-50_000) }),
        weighing({ siteId: other.siteIds[0], at: iso(-40_000) }),
        weighing({ netMass: '2999', at: iso(-30_000) }),
        weighing({ grossMass: '-5', at: iso(-20_000) }),
      ],
      points: [point()],
    });
    expect(r).toMatchObject({ received: 6, storedWeighings: 1, storedPoints: 0 });
    expect(counts(r)).toEqual({ WRONG_DEVICE_KIND: 1, UNKNOWN_VEHICLE: 1, UNKNOWN_SITE: 1, INVALID_MASS: 2 });
  });

  it('a batch over TELEMETRY_BATCH_LIMIT is refused whole; devices without submitReadings may not call it', async () => {
    const many = Array.from({ length: 2001 }, (_, k) => point({ at: iso(-k * 1000) }));
    expect(await errorCode(t, SUBMIT, { i: { idempotencyKey: idem('big'), points: many } }, gps.token)).toBe(
      'BAD_USER_INPUT',
    );
    const scanner = await device(t, carrier, 'SCANNER', ['me']);
    expect(
      await errorCode(t, SUBMIT, { i: { idempotencyKey: idem('s'), points: [point()] } }, scanner.token),
    ).toBe('FORBIDDEN');
  });

  it('over MQTT: an unknown device, a revoked one, a device without the operation, a payload that is not JSON — acknowledged with counts', async () => {
    const stranger = randomUUID();
    const unknown = await deviceClient(broker.url, prefix, stranger);
    let acks: Ack[];
    try {
      acks = [await unknown.publish({ points: [point(), point({ at: iso(-10_000) })] })];
    } finally {
      await unknown.close();
    }
    const revoked = await device(t, carrier, 'GPS');
    await ok(
      t,
      `mutation($i: RefInput!) { revokeDevice(input: $i) { id } }`,
      { i: { idempotencyKey: idem('revoke'), id: revoked.id } },
      carrier.token,
    );
    const limited = await device(t, carrier, 'GPS', ['me']);
    for (const d of [revoked, limited]) {
      const c = await deviceClient(broker.url, prefix, d.id);
      try {
        acks.push(await c.publish({ points: [point()] }));
      } finally {
        await c.close();
      }
    }
    const unit = await deviceClient(broker.url, prefix, gps.id);
    try {
      acks.push(await unit.publish('{"points": [ this is not json'));
      acks.push(await unit.publish({ points: 'none' }));
      acks.push(
        await unit.publish({
          points: [point({ at: iso(-5_000), latitude: 'x' }), point({ at: iso(-4_000) })],
        }),
      );
    } finally {
      await unit.close();
    }
    expect(acks.map(counts)).toEqual([
      { UNKNOWN_DEVICE: 2 },
      { REVOKED_DEVICE: 1 },
      { DEVICE_NOT_ALLOWED: 1 },
      { MALFORMED: 1 },
      { MALFORMED: 1 },
      { INVALID_COORDINATES: 1 },
    ]);
    expect(acks[5]).toMatchObject({ received: 2, storedPoints: 1 });
    // the API still answers after all that
    expect((await submit(gps.token, { points: [point({ at: iso(-3_000) })] })).storedPoints).toBe(1);
  });
});
