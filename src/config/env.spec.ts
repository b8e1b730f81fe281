import { validateEnv } from './env';

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://app:pw@localhost:5432/hazledger' };

  it('applies defaults', () => {
    const env = validateEnv(base);
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.NODE_ENV).toBe('development');
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => validateEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnv({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => validateEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('never prints database URLs, which carry passwords', () => {
    expect(() => validateEnv({ DATABASE_URL: 'mysql://root:secret@x' })).toThrow(/\(hidden\)/);
    expect(() => validateEnv({ DATABASE_URL: 'mysql://root:secret@x' })).not.toThrow(/secret/);
  });
});

describe('boolean settings', () => {
  const base = { DATABASE_URL: 'postgres://app:pw@localhost:5432/hazledger' };
  it('keep their default when absent and read "false"/"true" when given', () => {
    expect(validateEnv(base).LEDGER_GROUP_COMMIT).toBe(true);
    expect(validateEnv({ ...base, LEDGER_GROUP_COMMIT: 'false' }).LEDGER_GROUP_COMMIT).toBe(false);
    expect(validateEnv({ ...base, LEDGER_GROUP_COMMIT: 'true' }).LEDGER_GROUP_COMMIT).toBe(true);
  });
});

describe('TRUST_PROXY', () => {
  const base = { DATABASE_URL: 'postgres://app:pw@localhost:5432/hazledger' };
  it('takes true, false, a hop count or proxy addresses, and refuses anything else', () => {
    for (const v of ['true', 'false', '2', '10.0.0.0/8', '10.0.0.0/8, 192.168.1.1', '::1'])
      expect(validateEnv({ ...base, TRUST_PROXY: v }).TRUST_PROXY).toBe(v);
    expect(() => validateEnv({ ...base, TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });
});

describe('telemetry settings (TelemetryEnv, part of Env)', () => {
  const base = { DATABASE_URL: 'postgres://app:pw@localhost:5432/hazledger' };
  it('have their defaults and are validated with the rest', () => {
    const env = validateEnv(base);
    expect(env.TELEMETRY_MAX_SPEED_KMH).toBe(160);
    expect(env.MQTT_TOPIC_PREFIX).toBe('hazledger/telemetry');
    expect(validateEnv({ ...base, TELEMETRY_MAX_SPEED_KMH: '90' }).TELEMETRY_MAX_SPEED_KMH).toBe(90);
    expect(() => validateEnv({ ...base, TELEMETRY_MAX_SPEED_KMH: 'fast' })).toThrow(
      /TELEMETRY_MAX_SPEED_KMH/,
    );
    expect(() => validateEnv({ ...base, MQTT_URL: 'http://broker' })).toThrow(/MQTT_URL/);
  });
});
