import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV } from '../support/auth';

/**
 * `GET /health/mqtt` — the MQTT ingestion's state for monitoring: fine when MQTT is not configured,
 * 503 while a configured broker is unreachable; readiness (`/health/ready`, the database only)
 * stays up, so that GraphQL and the devices' HTTPS path keep serving. (The subscribed state is
 * checked against a real broker in telemetry-broker.e2e-spec.ts.)
 */
describe('health: MQTT ingestion state', () => {
  let plain: TestApp;
  let cutOff: TestApp;
  beforeAll(async () => {
    plain = await createTestApp(AUTH_ENV);
    // nothing listens on port 1: the client keeps reconnecting
    cutOff = await createTestApp({ ...AUTH_ENV, MQTT_URL: 'mqtt://127.0.0.1:1' });
  });
  afterAll(async () => {
    await plain?.close();
    await cutOff?.close();
  });

  it('without MQTT_URL: 200, not configured', async () => {
    const res = await plain.http().get('/health/mqtt');
    expect([res.status, res.body]).toEqual([
      200,
      { status: 'ok', configured: false, connected: false, subscribed: false },
    ]);
  });

  it('with a broker that cannot be reached: 503 down, while readiness stays up', async () => {
    const res = await cutOff.http().get('/health/mqtt');
    expect([res.status, res.body]).toEqual([
      503,
      { status: 'down', configured: true, connected: false, subscribed: false },
    ]);
    expect((await cutOff.http().get('/health/ready')).status).toBe(200);
  });
});
