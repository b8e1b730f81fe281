/**
 * Helpers for the telemetry tests (物联网): a REAL MQTT broker over a socket — the Mosquitto that
 * answers on 127.0.0.1:1883 (or TEST_MQTT_URL) where there is one, otherwise an in-process aedes
 * broker started here on a free port, so that a clean clone with only Node.js passes — parties
 * whose sites have coordinates and geofences, devices with their API keys, and MQTT clients that
 * publish batches and wait for the API's acknowledgement.
 */
import { createBroker } from 'aedes';
import { connect, type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { createServer, Socket } from 'node:net';
import { Clock } from '../../src/shared/clock';
import type { TestApp } from '../support/app';
import { idem, login, ok, type Agency, type RegisteredParty } from '../support/world';
import { newUscc, verify } from '../support/auth';

export interface TestBroker {
  url: string;
  kind: 'mosquitto' | 'aedes';
  /** MQTT_SHARE_GROUP for the API: shared subscriptions where the broker has them (aedes has not). */
  shareGroup: string;
  close: () => Promise<void>;
}

/** True when something answers MQTT CONNECT at host:port within a second. */
async function answersMqtt(url: string): Promise<boolean> {
  const u = new URL(url);
  const open = await new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
    s.connect(Number(u.port || 1883), u.hostname);
  });
  if (!open) return false;
  const c = connect(url, { connectTimeout: 2000, reconnectPeriod: 0 });
  const ok = await new Promise<boolean>((resolve) => {
    c.once('connect', () => resolve(true));
    c.once('error', () => resolve(false));
    setTimeout(() => resolve(false), 2500).unref();
  });
  await c.endAsync(true).catch(() => undefined);
  return ok;
}

/** An aedes broker on a free local port, with optional authentication hooks. */
export async function aedesBroker(hooks: Parameters<typeof createBroker>[0] = {}): Promise<TestBroker> {
  const broker = createBroker(hooks);
  const server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    kind: 'aedes',
    shareGroup: '',
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Mosquitto where it runs (anonymous, as on this project's machines), else an in-process aedes. */
export async function testBroker(): Promise<TestBroker> {
  const url = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  if (await answersMqtt(url))
    return { url, kind: 'mosquitto', shareGroup: 'hazledger-test', close: async () => undefined };
  return aedesBroker();
}

/** Runs `fn` with the API's clock set to `instantMs` (and moving with real time from there). */
export async function withClockAt<T>(t: TestApp, instantMs: number, fn: () => Promise<T>): Promise<T> {
  const clock = t.app.get(Clock);
  const real = clock.now.bind(clock);
  const offset = instantMs - Date.now();
  clock.now = () => new Date(real().getTime() + offset);
  try {
    return await fn();
  } finally {
    clock.now = real;
  }
}

/** A topic prefix of this test file's own, so that parallel test files on one broker never mix. */
export const testTopicPrefix = () =>
  `hazledger-test/${process.pid}-${randomBytes(4).toString('hex')}/telemetry`;

/** A site position (decimal degrees) and geofence. */
export interface Place {
  latitude: string;
  longitude: string;
  geofenceRadiusM?: number;
}

/** Self-registers a verified party whose one site has coordinates, and logs its ADMIN in. */
export async function sitedParty(
  t: TestApp,
  by: Agency,
  p: { name: string; types: string[]; divisionCode: string; place: Place; admin?: string },
): Promise<RegisteredParty> {
  const uscc = newUscc();
  const admin = p.admin ?? `tele-${process.pid}-${randomBytes(3).toString('hex')}`;
  const { registerParty } = await ok<{
    registerParty: { id: string; sites: { id: string; facilities: { id: string }[] }[] };
  }>(
    t,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { id facilities { id } } } }`,
    {
      i: {
        idempotencyKey: idem('register'),
        uscc,
        name: p.name,
        types: p.types,
        sites: [
          {
            name: `${p.name} site`,
            divisionCode: p.divisionCode,
            address: '1 Test Road',
            expectedAnnualAmount: '5000',
            latitude: p.place.latitude,
            longitude: p.place.longitude,
            geofenceRadiusM: p.place.geofenceRadiusM,
            facilities: [{ type: 'PRODUCTION', name: 'workshop' }],
          },
        ],
        admin: { username: admin, password: 'Party-pass-1', displayName: `${p.name} admin` },
      },
    },
  );
  await verify(t, by.token, registerParty.id);
  return {
    id: registerParty.id,
    uscc,
    admin,
    token: await login(t, admin, 'Party-pass-1'),
    siteIds: registerParty.sites.map((s) => s.id),
    facilityIds: registerParty.sites.flatMap((s) => s.facilities.map((f) => f.id)),
  };
}

export interface Device {
  id: string;
  apiKey: string;
  token: string;
}

/** Registers a device of `party` (GPS unit, weighbridge, scanner) and exchanges its key for a token. */
export async function device(
  t: TestApp,
  party: RegisteredParty,
  kind: 'GPS' | 'WEIGHBRIDGE' | 'SCANNER',
  operations = ['submitReadings'],
): Promise<Device> {
  const reg = await ok<{ registerDevice: { device: { id: string }; apiKey: string } }>(
    t,
    `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } apiKey } }`,
    { i: { idempotencyKey: idem('device'), kind, label: `${kind} unit`, operations } },
    party.token,
  );
  const ex = await ok<{ exchangeDeviceKey: { accessToken: string } }>(
    t,
    `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`,
    { i: { apiKey: reg.registerDevice.apiKey } },
  );
  return {
    id: reg.registerDevice.device.id,
    apiKey: reg.registerDevice.apiKey,
    token: ex.exchangeDeviceKey.accessToken,
  };
}

/** What the API answers on `<prefix>/<deviceId>/acks`. */
export interface Ack {
  batchId: string | null;
  received: number;
  storedPoints: number;
  storedWeighings: number;
  skipped: number;
  skippedByReason: { reason: string; count: number }[];
  alertIds: string[];
  replayed: boolean;
  error?: { code: string; message: string; retryable: boolean };
}

/**
 * A device's MQTT connection: publishes a batch to its readings topic and waits for the API's
 * acknowledgement of it (acks come in order: the API handles one message at a time).
 */
export async function deviceClient(
  url: string,
  prefix: string,
  deviceId: string,
  credentials: { username?: string; password?: string } = {},
) {
  const client: MqttClient = connect(url, {
    clientId: `dev-${deviceId.slice(-12)}-${randomBytes(3).toString('hex')}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...credentials,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  const waiting: ((a: Ack) => void)[] = [];
  client.on('message', (_topic, payload) => waiting.shift()?.(JSON.parse(payload.toString()) as Ack));
  await client.subscribeAsync(`${prefix}/${deviceId}/acks`, { qos: 1 });
  return {
    client,
    /** Publishes a raw payload to a topic (default: this device's readings topic) and waits for the next ack. */
    async publish(
      payload: unknown,
      topic = `${prefix}/${deviceId}/readings`,
      timeoutMs = 20_000,
    ): Promise<Ack> {
      const ack = new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack on ${prefix}/${deviceId}/acks`)), timeoutMs);
        waiting.push((a) => {
          clearTimeout(timer);
          resolve(a);
        });
      });
      await client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), {
        qos: 1,
      });
      return ack;
    },
    close: () => client.endAsync(true),
  };
}

/** A straight line of points, one a minute, from `a` to `b` (decimal degrees, 6 places). */
export function drive(
  from: { lat: number; lon: number },
  to: { lat: number; lon: number },
  startMinute: number,
  endMinute: number,
): { minute: number; lat: string; lon: string; speed: string }[] {
  const n = endMinute - startMinute;
  return Array.from({ length: n + 1 }, (_, k) => ({
    minute: startMinute + k,
    lat: (from.lat + ((to.lat - from.lat) * k) / n).toFixed(6),
    lon: (from.lon + ((to.lon - from.lon) * k) / n).toFixed(6),
    speed: '30',
  }));
}

/** A vehicle standing at a place, one point a minute, drifting a few metres as GPS does. */
export function standStill(
  at: { lat: number; lon: number },
  startMinute: number,
  endMinute: number,
): { minute: number; lat: string; lon: string; speed: string }[] {
  return Array.from({ length: endMinute - startMinute + 1 }, (_, k) => ({
    minute: startMinute + k,
    lat: (at.lat + ((k % 3) - 1) * 0.00004).toFixed(6),
    lon: (at.lon + ((k % 2) - 0.5) * 0.00004).toFixed(6),
    speed: '0',
  }));
}
