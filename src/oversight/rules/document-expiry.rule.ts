import type { DataSource } from 'typeorm';
import type { AlertInput } from '../../ledger/alerts/alert';
import { shanghaiDate } from '../../shared/domain/time';
import type { WorkingCalendar } from '../../shared/domain/working-days';
import { DEFAULT_CLOCK_LIMITS, documentExpiring, type ExpiringDocument } from '../domain/clock-rules';
import { toAlertInput } from './alert-input';

interface ExpiringRow {
  document: ExpiringDocument;
  id: string;
  valid_to: string;
  renewal_applied_at: Date | null;
  party_id: string;
  region: string | null;
}

/**
 * Calendar days ahead to look for expiries: 40 working days are at most about 60 calendar days,
 * even across the Spring Festival; a margin on top costs little (the pure rule decides).
 */
const LOOKAHEAD_DAYS = Math.ceil((DEFAULT_CLOCK_LIMITS.expiryWarningWorkingDays * 7) / 5) + 45;

/**
 * Documents whose last valid day lies between today and the look-ahead, with their renewal: a
 * licence is renewed by a newer ACTIVE licence of the same holder and kind that runs longer (延续
 * is granted as a new licence); a permit by a newer permit of the carrier; a vehicle certificate by
 * a newer registration of the same plate. Crew certificates have no renewal record. Revoked
 * licences, and permits and vehicles never verified, are left out.
 */
const EXPIRING_SQL = `
  SELECT 'LICENCE' AS document, l.licence_id AS id, l.valid_to::text AS valid_to, l.holder_party_id AS party_id,
         (SELECT min(n.issued_at) FROM licence n
           WHERE n.holder_party_id = l.holder_party_id AND n.kind = l.kind AND n.licence_id <> l.licence_id
             AND n.status = 'ACTIVE' AND n.valid_to > l.valid_to) AS renewal_applied_at,
         (SELECT s.division_code FROM party_site s WHERE s.site_id = l.facility_site_ids[1]) AS region
    FROM licence l WHERE l.valid_to BETWEEN $1::date AND $2::date AND l.status <> 'REVOKED'
  UNION ALL
  SELECT 'PERMIT', t.permit_id, t.valid_to::text, t.party_id,
         (SELECT min(n.registered_at) FROM transport_permit n
           WHERE n.party_id = t.party_id AND n.permit_id <> t.permit_id AND n.valid_to > t.valid_to),
         p.region
    FROM transport_permit t JOIN party p ON p.party_id = t.party_id
   WHERE t.valid_to BETWEEN $1::date AND $2::date AND t.verified
  UNION ALL
  SELECT 'VEHICLE_CERTIFICATE', v.vehicle_id, v.certificate_valid_to::text, v.party_id,
         (SELECT min(n.registered_at) FROM vehicle n
           WHERE n.party_id = v.party_id AND n.plate = v.plate AND n.vehicle_id <> v.vehicle_id
             AND n.certificate_valid_to > v.certificate_valid_to),
         p.region
    FROM vehicle v JOIN party p ON p.party_id = v.party_id
   WHERE v.certificate_valid_to BETWEEN $1::date AND $2::date AND v.verified
  UNION ALL
  SELECT 'CREW_CERTIFICATE', c.person_id, c.certificate_valid_to::text, c.party_id, NULL, p.region
    FROM crew_member c JOIN party p ON p.party_id = c.party_id
   WHERE c.certificate_valid_to BETWEEN $1::date AND $2::date
   ORDER BY 1, 2`;

/**
 * 许可证、运输许可、车辆与人员证件即将到期 — licences, transport permits, vehicle certificates and
 * crew qualification certificates expiring within 40 working days (renewal due 30 working days
 * ahead): `documentExpiring` of clock-rules.ts over every document in the look-ahead, at `now`.
 * Filed under the holder's region (a licence: its first facility site), naming the holder.
 */
export async function documentExpiryAlerts(
  db: DataSource,
  calendar: WorkingCalendar,
  now: Date,
): Promise<{ evaluated: number; alerts: AlertInput[] }> {
  const today = shanghaiDate(now);
  const until = shanghaiDate(new Date(now.getTime() + LOOKAHEAD_DAYS * 86_400_000));
  const rows = await db.query<ExpiringRow[]>(EXPIRING_SQL, [today, until]);
  const alerts: AlertInput[] = [];
  for (const r of rows) {
    const a = documentExpiring(
      {
        document: r.document,
        documentId: r.id,
        validTo: r.valid_to,
        renewalAppliedAt: r.renewal_applied_at,
        now,
      },
      calendar,
    );
    if (a) alerts.push(toAlertInput(a, r.region, [r.party_id]));
  }
  return { evaluated: rows.length, alerts };
}
