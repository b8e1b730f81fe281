import type { Client as BrokerClient } from 'aedes';
import { connect } from 'mqtt';
import { MqttIngestionService } from '../../src/telemetry/mqtt-ingestion.service';
import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, idem, ok, openWorld, type RegisteredParty } from '../support/world';
import {
  aedesBroker,
  device,
  type Device,
  deviceClient,
  sitedParty,
  type TestBroker,
} from './telemetry-world';

jest.setTimeout(120_000);

const PREFIX = 'hz/telemetry';
const SERVICE = { MQTT_USERNAME: 'hazledger-api', MQTT_PASSWORD: 'broker-secret-0123456789' };

/**
 * 物联网接入鉴权 — the HTTP endpoints a broker calls (mosquitto-go-auth's HTTP backend, EMQX's HTTP
 * authentication and authorization): a device connects with its key id and API key, publishes
 * only to its own readings topic and reads only its own acknowledgements; the API's own account
 * reads every device's readings. Then a real broker (aedes, in process, over a socket) wired to
 * those endpoints: the API subscribes with its account, a device publishes with its key, a wrong
 * key is refused, and a device publishing under another device's topic is cut off.
 */
describe('telemetry: broker authentication and topic ACL over HTTP', () => {
  let broker: TestBroker;
  let t: TestApp | undefined;
  let henan: Agency;
  let carrier: RegisteredParty;
  let gps: Device;
  let other: Device;
  let vehicleId: string;
  const point = () => ({
    vehicleId,
    at: new Date(Date.now() - 60_000).toISOString(),
    latitude: '34.8',
    longitude: '113.7',
  });
  const usernames = new WeakMap<BrokerClient, string>();

  /** The app's broker endpoint, as the broker would call it (Fastify inject: no extra port). */
  const allowed = async (url: string, body: Record<string, unknown>): Promise<boolean> => {
    if (!t) return false;
    const res = await t.app.getHttpAdapter().getInstance().inject({ method: 'POST', url, payload: body });
    return res.statusCode === 200;
  };

  beforeAll(async () => {
    broker = await aedesBroker({
      authenticate: (client, username, password, done) => {
        void allowed('/mqtt/auth/user', {
          username,
          password: password?.toString(),
          clientid: client.id,
        }).then((yes) => {
          if (yes) usernames.set(client, username ?? '');
          done(yes ? null : Object.assign(new Error('bad username or password'), { returnCode: 4 }), yes);
        });
      },
      authorizePublish: (client, packet, done) => {
        void allowed('/mqtt/auth/acl', {
          username: client ? usernames.get(client) : '',
          topic: packet.topic,
          acc: 2,
        }).then((yes) => done(yes ? null : new Error('not your topic')));
      },
      authorizeSubscribe: (client, sub, done) => {
        void allowed('/mqtt/auth/acl', { username: usernames.get(client), topic: sub.topic, acc: 4 }).then(
          (yes) => done(null, yes ? sub : null),
        );
      },
    });
    t = await createTestApp({
      ...AUTH_ENV,
      ...SERVICE,
      MQTT_URL: broker.url,
      MQTT_TOPIC_PREFIX: PREFIX,
      MQTT_SHARE_GROUP: '',
    });
    // the API's first connection may come before its HTTP endpoints answer: it reconnects
    await t.app.get(MqttIngestionService).whenSubscribed();
    const w = await openWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    carrier = await sitedParty(t, henan, {
      name: '豫危运输',
      types: ['TRANSPORTER'],
      divisionCode: '410105',
      place: { latitude: '34.8', longitude: '113.68' },
    });
    vehicleId = (await w.equipCarrier(henan, carrier)).vehicleId;
    gps = await device(t, carrier, 'GPS');
    other = await device(t, carrier, 'GPS');
  });
  afterAll(async () => {
    await t?.close();
    await broker?.close();
  });

  const post = (url: string, body: Record<string, unknown>) => t!.http().post(url).send(body);

  it('GET /health/mqtt: connected and subscribed with the API’s own account', async () => {
    const res = await t!.http().get('/health/mqtt');
    expect([res.status, res.body]).toEqual([
      200,
      { status: 'ok', configured: true, connected: true, subscribed: true },
    ]);
  });

  it('mosquitto-go-auth: a device with its key id and API key; nobody else', async () => {
    for (const username of [gps.id, `hzd_${gps.id}`]) {
      const res = await post('/mqtt/auth/user', { username, password: gps.apiKey, clientid: 'c1' });
      expect([res.status, res.body]).toEqual([200, { ok: true, error: '' }]);
    }
    const denied = [
      { username: gps.id, password: other.apiKey },
      { username: other.id, password: gps.apiKey },
      { username: gps.id, password: `${gps.apiKey}x` },
      { username: gps.id },
      { username: SERVICE.MQTT_USERNAME, password: 'guess' },
      {},
    ];
    for (const body of denied) {
      const res = await post('/mqtt/auth/user', body);
      expect([res.status, res.body.ok]).toEqual([403, false]);
    }
    expect(
      (await post('/mqtt/auth/user', { username: SERVICE.MQTT_USERNAME, password: SERVICE.MQTT_PASSWORD }))
        .status,
    ).toBe(200);
    expect((await post('/mqtt/auth/superuser', { username: gps.id })).status).toBe(403);
  });

  it('mosquitto-go-auth ACL: a device publishes its readings and reads its acknowledgements, only its own', async () => {
    const acl = async (username: string, topic: string, acc: number) =>
      (await post('/mqtt/auth/acl', { username, topic, acc, clientid: 'c' })).status;
    expect(await acl(gps.id, `${PREFIX}/${gps.id}/readings`, 2)).toBe(200);
    expect(await acl(gps.id, `${PREFIX}/${gps.id}/acks`, 4)).toBe(200);
    expect(await acl(gps.id, `${PREFIX}/${gps.id}/acks`, 1)).toBe(200);
    expect(await acl(gps.id, `${PREFIX}/${other.id}/readings`, 2)).toBe(403);
    expect(await acl(gps.id, `${PREFIX}/${other.id}/acks`, 4)).toBe(403);
    expect(await acl(gps.id, `${PREFIX}/+/readings`, 4)).toBe(403);
    expect(await acl(gps.id, `${PREFIX}/${gps.id}/readings`, 4)).toBe(403);
    expect(await acl(gps.id, `${PREFIX}/${gps.id}/acks`, 2)).toBe(403);
    expect(await acl(SERVICE.MQTT_USERNAME, `${PREFIX}/+/readings`, 4)).toBe(200);
    expect(await acl(SERVICE.MQTT_USERNAME, `$share/g/${PREFIX}/+/readings`, 4)).toBe(200);
    expect(await acl(SERVICE.MQTT_USERNAME, `${PREFIX}/${gps.id}/readings`, 1)).toBe(200);
    expect(await acl(SERVICE.MQTT_USERNAME, `${PREFIX}/${gps.id}/acks`, 2)).toBe(200);
    expect(await acl(SERVICE.MQTT_USERNAME, `${PREFIX}/${gps.id}/readings`, 2)).toBe(403);
    expect(await acl('someone', `${PREFIX}/${gps.id}/readings`, 2)).toBe(403);
  });

  it('EMQX: always 200, with result allow or deny', async () => {
    const authn = async (body: Record<string, unknown>) =>
      (await post('/mqtt/emqx/authn', body)).body as unknown;
    expect(await authn({ username: gps.id, password: gps.apiKey, clientid: 'c' })).toEqual({
      result: 'allow',
      is_superuser: false,
    });
    expect(await authn({ username: gps.id, password: 'nope' })).toEqual({
      result: 'deny',
      is_superuser: false,
    });
    const authz = async (topic: string, action: string) =>
      (await post('/mqtt/emqx/authz', { username: gps.id, topic, action })).body as unknown;
    expect(await authz(`${PREFIX}/${gps.id}/readings`, 'publish')).toEqual({ result: 'allow' });
    expect(await authz(`${PREFIX}/${other.id}/readings`, 'publish')).toEqual({ result: 'deny' });
    expect(await authz(`${PREFIX}/${gps.id}/acks`, 'subscribe')).toEqual({ result: 'allow' });
  });

  it('a revoked device is refused at once', async () => {
    const gone = await device(t!, carrier, 'GPS');
    expect((await post('/mqtt/auth/user', { username: gone.id, password: gone.apiKey })).status).toBe(200);
    await ok(
      t!,
      `mutation($i: RefInput!) { revokeDevice(input: $i) { id } }`,
      { i: { idempotencyKey: idem('rv'), id: gone.id } },
      carrier.token,
    );
    expect((await post('/mqtt/auth/user', { username: gone.id, password: gone.apiKey })).status).toBe(403);
    expect(
      (await post('/mqtt/auth/acl', { username: gone.id, topic: `${PREFIX}/${gone.id}/readings`, acc: 2 }))
        .status,
    ).toBe(403);
  });

  it('a real broker wired to the endpoints: the device publishes with its key; a wrong key or another device’s topic is refused', async () => {
    const unit = await deviceClient(broker.url, PREFIX, gps.id, { username: gps.id, password: gps.apiKey });
    try {
      const ack = await unit.publish({ points: [point()] });
      expect(ack).toMatchObject({ received: 1, storedPoints: 1, skipped: 0 });
    } finally {
      await unit.close();
    }
    const refused = connect(broker.url, {
      username: gps.id,
      password: other.apiKey,
      reconnectPeriod: 0,
      connectTimeout: 3000,
    });
    const outcome = await new Promise<string>((resolve) => {
      refused.once('connect', () => resolve('connected'));
      refused.once('error', (e) => resolve(e.message));
    });
    await refused.endAsync(true);
    expect(outcome).toMatch(/bad user ?name or password|not authori[sz]ed/i);

    const sneaky = connect(broker.url, { username: gps.id, password: gps.apiKey, reconnectPeriod: 0 });
    await new Promise<void>((resolve) => sneaky.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => sneaky.once('close', () => resolve()));
    sneaky.publish(`${PREFIX}/${other.id}/readings`, JSON.stringify({ points: [point()] }), { qos: 1 });
    await closed;
    await sneaky.endAsync(true);
    const count = async (deviceId: string) =>
      (
        await t!.db.owner.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM telemetry_gps_point WHERE device_id = $1`,
          [deviceId],
        )
      ).rows[0].n;
    expect(await count(gps.id)).toBe(1);
    expect(await count(other.id)).toBe(0);
  });
});
