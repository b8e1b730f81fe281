import type { DataSource } from 'typeorm';
import type { AlertInput } from '../../ledger/alerts/alert';
import type { WorkingCalendar } from '../../shared/domain/working-days';
import { receiptNotConfirmed } from '../domain/clock-rules';
import { toAlertInput } from './alert-input';

interface DeliveredRow {
  manifest_id: string;
  number: string;
  delivered_at: Date;
  end_division_code: string;
  party_ids: string[];
}

/**
 * 接受人 5 个工作日内未确认接收 — a manifest delivered and still unconfirmed once 5 working days have
 * passed (Transfer Measures art. 18): `receiptNotConfirmed` of clock-rules.ts over every DELIVERED
 * manifest, raised while the receipt is still missing. (A receipt recorded late raises the
 * manifests capability's RECEIPT_LATE when it is recorded; this rule is the alarm before it.)
 * Filed under the receiver's site, naming every party on the manifest.
 */
export async function receiptConfirmationAlerts(
  db: DataSource,
  calendar: WorkingCalendar,
  now: Date,
): Promise<{ evaluated: number; alerts: AlertInput[] }> {
  const rows = await db.query<DeliveredRow[]>(
    `SELECT m.manifest_id, m.hazledger_number AS number, m.delivered_at, m.end_division_code,
            ARRAY(SELECT DISTINCT p.party_id FROM manifest_party p WHERE p.manifest_id = m.manifest_id) AS party_ids
       FROM manifest m
      WHERE m.status = 'DELIVERED' AND m.delivered_at <= $1
      ORDER BY m.delivered_at, m.manifest_id`,
    [now],
  );
  const alerts: AlertInput[] = [];
  for (const r of rows) {
    const a = receiptNotConfirmed(
      { manifestId: r.manifest_id, from: r.delivered_at, doneAt: null, now },
      calendar,
    );
    if (a) {
      const alert = toAlertInput(a, r.end_division_code, r.party_ids);
      alerts.push({ ...alert, evidence: { ...alert.evidence, manifestNumber: r.number } });
    }
  }
  return { evaluated: rows.length, alerts };
}
