import type { Env } from '../config/env';
import type { AlertInput } from '../ledger/alerts/alert';
import type { ReadingLimits } from './domain/readings';

/** The operation a device key must list to send readings (GraphQL and MQTT alike). */
export const SUBMIT_READINGS = 'submitReadings';

/** Who raises the telemetry alerts on the ledger. */
export const TELEMETRY_ACTOR = { kind: 'SYSTEM' as const, name: 'telemetry' };

/** Device kinds allowed to send GPS points, and weighings. */
export const POINT_DEVICE_KINDS = ['GPS', 'SCANNER'];
export const WEIGHING_DEVICE_KINDS = ['WEIGHBRIDGE'];

/** How far back the scheduler re-attaches readings to trips that were recorded late (offline custody acts). */
export const REATTACH_LOOKBACK_MS = 48 * 3_600_000;
/** A vehicle's loaded period is looked for at most this far back when its stops are evaluated. */
export const LOADED_LOOKBACK_MS = 7 * 86_400_000;

export const MINUTE_MS = 60_000;

export function readingLimits(env: Env, now: Date): ReadingLimits {
  return {
    nowMs: now.getTime(),
    maxSkewMs: env.TELEMETRY_MAX_CLOCK_SKEW_SECONDS * 1000,
    maxAgeMs: env.TELEMETRY_MAX_AGE_DAYS * 86_400_000,
    maxSpeedTenths: env.TELEMETRY_MAX_SPEED_KMH * 10,
  };
}

/**
 * MQTT topics (see the README, "Telemetry and IoT"): a device publishes its batches to
 * `<prefix>/<deviceId>/readings` and may subscribe to `<prefix>/<deviceId>/acks`, where the API
 * answers each batch with its counts.
 */
export function mqttTopics(env: Pick<Env, 'MQTT_TOPIC_PREFIX' | 'MQTT_SHARE_GROUP'>) {
  const prefix = env.MQTT_TOPIC_PREFIX;
  return {
    prefix,
    readings: (deviceId: string) => `${prefix}/${deviceId}/readings`,
    acks: (deviceId: string) => `${prefix}/${deviceId}/acks`,
    /** The API's subscription (shared when MQTT_SHARE_GROUP is set). */
    subscription: `${env.MQTT_SHARE_GROUP ? `$share/${env.MQTT_SHARE_GROUP}/` : ''}${prefix}/+/readings`,
    /** The device id of a readings topic, or null. */
    deviceOf(topic: string): string | null {
      const rest = topic.startsWith(`${prefix}/`) ? topic.slice(prefix.length + 1) : null;
      const m = rest === null ? null : /^([^/+#]{1,100})\/readings$/.exec(rest);
      return m ? m[1] : null;
    },
  };
}

/** The facts of a manifest an alert about it needs: number, region, parties. */
export interface ManifestAlertFacts {
  readonly manifestId: string;
  readonly number: string;
  readonly status: string;
  readonly startDivisionCode: string;
  readonly partyIds: readonly string[];
}

/** An alert about one manifest, in the manifests' own shape (subject MANIFEST, region of its start). */
export function manifestTelemetryAlert(
  m: ManifestAlertFacts,
  rule: string,
  period: string,
  severity: AlertInput['severity'],
  evidence: Record<string, unknown>,
): AlertInput {
  return {
    rule,
    subjectType: 'MANIFEST',
    subjectId: m.manifestId,
    period,
    severity,
    region: m.startDivisionCode,
    evidence: { manifestNumber: m.number, ...evidence },
    partyIds: [...m.partyIds],
  };
}
