import { createHash } from 'node:crypto';
import { canonicalize } from '../domain/canonical-json';

/** Alert severities, from information to a breach that needs action. */
export const ALERT_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * An alert (预警) as a capability raises it. Its identity is deterministic from
 * (rule, subject, period): raising the same alert twice, even from two processes, records it once.
 */
export interface AlertInput {
  /** Rule name, SCREAMING_SNAKE_CASE (e.g. `STORAGE_SPOT_OVER_3T`). */
  rule: string;
  subjectType: string;
  subjectId: string;
  /** What makes a repeat a new alert (a date, a year, a manifest number…). */
  period: string;
  severity: AlertSeverity;
  /** Division code of the site concerned (for jurisdiction), when known. */
  region: string | null;
  /** Plain JSON facts that justify the alert. */
  evidence: Record<string, unknown>;
  /** Parties that may see the alert besides regulators. */
  partyIds?: string[];
}

export const ALERT_STREAM_TYPE = 'alert';
/** Subscription topic of a newly raised alert (payload: alertId, region, partyIds). */
export const ALERT_RAISED_TOPIC = 'ALERT_RAISED';
export const ALERT_EVENT_TYPES = ['AlertRaised', 'AlertAcknowledged'] as const;

/** `alert-<32 hex>`: SHA-256 over the canonical (rule, subjectType, subjectId, period). */
export function alertId(a: Pick<AlertInput, 'rule' | 'subjectType' | 'subjectId' | 'period'>): string {
  const digest = createHash('sha256')
    .update(canonicalize([a.rule, a.subjectType, a.subjectId, a.period]))
    .digest('hex');
  return `alert-${digest.slice(0, 32)}`;
}
