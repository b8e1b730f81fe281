import { BrokerAuthService } from './broker-auth.service';
import { mqttTopics } from './telemetry-settings';

describe('MQTT topics (物联网接入)', () => {
  const t = mqttTopics({ MQTT_TOPIC_PREFIX: 'hazledger/telemetry', MQTT_SHARE_GROUP: 'hazledger' });

  it('a device publishes to its readings topic and reads its acknowledgements', () => {
    expect(t.readings('d1')).toBe('hazledger/telemetry/d1/readings');
    expect(t.acks('d1')).toBe('hazledger/telemetry/d1/acks');
  });

  it('the API subscribes to every device, shared when a group is set', () => {
    expect(t.subscription).toBe('$share/hazledger/hazledger/telemetry/+/readings');
    expect(mqttTopics({ MQTT_TOPIC_PREFIX: 'p', MQTT_SHARE_GROUP: '' }).subscription).toBe('p/+/readings');
  });

  it('the device of a readings topic, and nothing for any other topic', () => {
    expect(t.deviceOf('hazledger/telemetry/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/readings')).toBe(
      '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    );
    for (const topic of [
      'hazledger/telemetry/d1/acks',
      'hazledger/telemetry/d1/x/readings',
      'hazledger/telemetry/+/readings',
      'other/d1/readings',
      'hazledger/telemetry//readings',
    ])
      expect(t.deviceOf(topic)).toBeNull();
  });

  it('broker access codes: mosquitto-go-auth acc and EMQX actions', () => {
    expect([1, 2, 3, 4, '2', 0].map(BrokerAuthService.accessOfAcc)).toEqual([
      'READ',
      'WRITE',
      null,
      'SUBSCRIBE',
      'WRITE',
      null,
    ]);
    expect(['publish', 'subscribe', 'all'].map(BrokerAuthService.accessOfAction)).toEqual([
      'WRITE',
      'SUBSCRIBE',
      null,
    ]);
  });
});
