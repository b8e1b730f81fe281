import { readReadme } from '../../test/support/readme';
import { validateEnv } from '../config/env';
import { SKIP_REASONS } from './domain/readings';
import { TELEMETRY_ALERT_RULES } from './domain/telemetry-rules';
import { mqttTopics } from './telemetry-settings';

describe('README: Telemetry and IoT', () => {
  const readme = readReadme();
  const start = readme.indexOf('\n## Telemetry and IoT\n');
  const section = readme.slice(start, readme.indexOf('\n## Tests\n'));

  it('has its section before the Tests section', () => {
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(readme.indexOf('\n## Tests\n'));
  });

  it('documents the MQTT topics and payload fields the code uses', () => {
    const t = mqttTopics({ MQTT_TOPIC_PREFIX: '<MQTT_TOPIC_PREFIX>', MQTT_SHARE_GROUP: '' });
    expect(section).toContain(`\`${t.readings('<deviceId>')}\``);
    expect(section).toContain(`\`${t.acks('<deviceId>')}\``);
    for (const field of [
      'batchId',
      'points',
      'weighings',
      'latitude',
      'longitude',
      'speedKmh',
      'gross',
      'tare',
      'net',
      'plate',
    ])
      expect(section).toContain(`"${field}"`);
  });

  it('documents every telemetry setting, every skip reason and every rule', () => {
    const env = validateEnv({ DATABASE_URL: 'postgres://a:b@localhost/x' }) as unknown as Record<
      string,
      unknown
    >;
    const settings = Object.keys(env).filter((k) => /^(MQTT|TELEMETRY)_/.test(k));
    expect(settings.length).toBeGreaterThan(10);
    for (const v of [...settings, 'MQTT_URL', 'MQTT_USERNAME', 'MQTT_PASSWORD'])
      expect(section).toContain(`\`${v}\``);
    for (const r of SKIP_REASONS) expect(section).toContain(`\`${r}\``);
    for (const r of Object.values(TELEMETRY_ALERT_RULES)) expect(section).toContain(`\`${r}\``);
  });
});
