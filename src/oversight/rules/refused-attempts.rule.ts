import type { DataSource } from 'typeorm';
import type { AlertInput } from '../../ledger/alerts/alert';
import { REFUSED_ATTEMPT_RULE, refusedAttemptAlert } from '../domain/refused-attempt';

/** Attempts alerted per run at most (the next run continues from there). */
export const ATTEMPTS_PER_RUN = 1000;

interface AttemptRow {
  attempt_id: string;
  act: string;
  target_type: string;
  target_id: string;
  refusal_code: string;
  message: string;
  actor_kind: string;
  actor_party_id: string | null;
  party_ids: string[];
  occurred_at: Date;
  recorded_at: Date;
  region: string | null;
}

/**
 * Attempts not alerted yet, oldest first. Where to start: an hour before the record time of the
 * newest attempt already alerted (read from the newest alert of the rule, through the (rule,
 * raised_at) index), so that a run reads only recent rows of `custody_attempt` (indexed on
 * recorded_at); the hour covers attempts whose insert committed late, and the anti-join on the
 * alert's identity (subject and period) drops the ones already raised. The region is the
 * attempt's, else the manifest's start site or the lot's site.
 */
const PENDING_SQL = `
  WITH mark AS (
    SELECT (a.evidence->>'recordedAt')::timestamptz - interval '1 hour' AS since
      FROM ledger_alert a WHERE a.rule = $1
     ORDER BY a.raised_at DESC, (a.evidence->>'recordedAt') DESC LIMIT 1
  )
  SELECT c.attempt_id, c.act, c.target_type, c.target_id, c.refusal_code, c.message, c.actor->>'kind' AS actor_kind,
         c.actor->>'partyId' AS actor_party_id, c.party_ids, c.occurred_at, c.recorded_at,
         coalesce(c.region, m.start_division_code, s.division_code) AS region
    FROM custody_attempt c
    LEFT JOIN manifest m ON c.target_type = 'manifest' AND m.manifest_id = c.target_id
    LEFT JOIN lot l ON c.target_type = 'lot' AND l.lot_id = c.target_id
    LEFT JOIN party_site s ON s.site_id = coalesce(l.site_id, l.origin_site_id)
   WHERE c.recorded_at >= coalesce((SELECT since FROM mark), '-infinity') AND c.recorded_at <= $2
     AND NOT EXISTS (SELECT 1 FROM ledger_alert x
                      WHERE x.subject_type = upper(c.target_type) AND x.subject_id = c.target_id
                        AND x.rule = $1 AND x.period = 'attempt-' || c.attempt_id)
   ORDER BY c.recorded_at, c.attempt_id
   LIMIT ${ATTEMPTS_PER_RUN}`;

/**
 * 拒绝的交接尝试 — one alert per refused custody attempt of the attempt log (`custody_attempt`),
 * about its target (a manifest, lots), once: from the moment the attempt is recorded (an attempt
 * recorded after `now` is not seen). Visible to the regulators of its region and the parties the
 * attempt names.
 */
export async function refusedAttemptAlerts(
  db: DataSource,
  now: Date,
): Promise<{ evaluated: number; alerts: AlertInput[] }> {
  const rows = await db.query<AttemptRow[]>(PENDING_SQL, [REFUSED_ATTEMPT_RULE, now]);
  const alerts = rows.map((r): AlertInput => {
    const a = refusedAttemptAlert({
      attemptId: Number(r.attempt_id),
      act: r.act,
      targetType: r.target_type,
      targetId: r.target_id,
      refusalCode: r.refusal_code,
      message: r.message,
      actorKind: r.actor_kind,
      actorPartyId: r.actor_party_id,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
    });
    return { ...a, evidence: { ...a.evidence }, region: r.region, partyIds: r.party_ids };
  });
  return { evaluated: rows.length, alerts };
}
