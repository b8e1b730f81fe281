import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../ledger.types';
import type { Projection } from '../projections/projection';

interface AlertRaisedData {
  alertId: string;
  rule: string;
  subjectType: string;
  subjectId: string;
  period: string;
  severity: string;
  region: string | null;
  evidence: Record<string, unknown>;
  partyIds: string[];
}

interface AlertAcknowledgedData {
  alertId: string;
  note: string;
}

/** `ledger_alert`: one row per alert, with its acknowledgement. */
export const alertProjection: Projection = {
  name: 'alerts',
  tables: ['ledger_alert'],
  eventTypes: ['AlertRaised', 'AlertAcknowledged'],
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    if (e.type === 'AlertRaised') {
      const d = e.data as unknown as AlertRaisedData;
      await sql.exec(
        `INSERT INTO ledger_alert (alert_id, rule, subject_type, subject_id, period, severity, region, evidence, raised_at,
                                   raised_position, status, party_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'OPEN', $11)`,
        [
          d.alertId,
          d.rule,
          d.subjectType,
          d.subjectId,
          d.period,
          d.severity,
          d.region,
          JSON.stringify(d.evidence),
          e.recordedAt,
          e.position,
          d.partyIds,
        ],
      );
    } else {
      const d = e.data as unknown as AlertAcknowledgedData;
      const by =
        e.actor.kind === 'USER'
          ? e.actor.userId
          : e.actor.kind === 'DEVICE'
            ? e.actor.deviceId
            : e.actor.name;
      await sql.exec(
        `UPDATE ledger_alert SET status = 'ACKNOWLEDGED', acknowledged_at = $2, acknowledged_by = $3, acknowledgement_note = $4
          WHERE alert_id = $1`,
        [d.alertId, e.recordedAt, by, d.note],
      );
    }
  },
};
