import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, idem, ok, registerParty } from '../support/auth';

describe('abuse: CORS closed by default, device keys rate-limited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, CORS_ORIGINS: 'https://console.example.cn', DEVICE_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers CORS only for configured origins', async () => {
    const allowed = await t.http().options('/graphql').set('origin', 'https://console.example.cn').set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.cn');
    const other = await t.http().options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a device key beyond its rate with RATE_LIMITED', async () => {
    const party = await registerParty(t, { name: 'Scanner Co', types: ['PRODUCER'], admin: 'scan-admin' });
    const dev = await ok<{ registerDevice: { apiKey: string } }>(t, `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { apiKey } }`, {
      i: { idempotencyKey: idem('dev'), kind: 'SCANNER', label: 's', operations: ['me'] },
    }, party.token);
    const ex = await ok<{ exchangeDeviceKey: { accessToken: string } }>(t, `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`, {
      i: { apiKey: dev.registerDevice.apiKey },
    });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await errorCode(t, `{ me { id } }`, undefined, ex.exchangeDeviceKey.accessToken));
    expect(codes.slice(0, 3)).toEqual(['NO_ERROR', 'NO_ERROR', 'NO_ERROR']);
    expect(codes[4]).toBe('RATE_LIMITED');
  });
});
