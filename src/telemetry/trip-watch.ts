import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { AlertInput } from '../ledger/alerts/alert';
import { parseDegrees } from './domain/geo';
import { expectedTrip, TELEMETRY_ALERT_RULES, trackMissing, tripOverdue } from './domain/telemetry-rules';
import { TelemetryFacts } from './telemetry-facts.service';
import { manifestTelemetryAlert, MINUTE_MS, REATTACH_LOOKBACK_MS } from './telemetry-settings';

/** Road distance over straight-line distance, in percent. */
export const ROUTE_FACTOR_PERCENT = 130;
/** No trip is expected to take less than this. */
export const MINIMUM_TRIP_MS = 30 * MINUTE_MS;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const minutes = (ms: number) => Math.round(ms / MINUTE_MS);

/**
 * 运输监控 — the time-based trip rules, evaluated by the scheduler at `now`:
 * - TRIP_OVERDUE: custody to delivery (or to now, in transit) beyond TELEMETRY_TRIP_OVERDUE_FACTOR
 *   times the expected time (straight line × 1.3 at TELEMETRY_EXPECTED_SPEED_KMH, at least 30 min);
 *   trips whose start or end site has no coordinates cannot be judged and are counted apart;
 * - TRACK_MISSING: a manifest in transit whose current leg's vehicle sent no point for
 *   TELEMETRY_TRACK_MISSING_MINUTES (since its last point on the leg, or since the leg began).
 */
@Injectable()
export class TripWatch {
  constructor(
    private readonly db: DataSource,
    private readonly facts: TelemetryFacts,
    private readonly env: Env,
  ) {}

  async overdue(now: Date): Promise<{ alerts: AlertInput[]; unjudged: number }> {
    const rows = await this.db.query<
      {
        manifest_id: string;
        custody_taken_at: Date;
        delivered_at: Date | null;
        slat: string | null;
        slon: string | null;
        elat: string | null;
        elon: string | null;
      }[]
    >(
      `SELECT m.manifest_id, m.custody_taken_at, m.delivered_at,
              ss.latitude AS slat, ss.longitude AS slon, es.latitude AS elat, es.longitude AS elon
         FROM manifest m
         JOIN party_site ss ON ss.site_id = m.start_site_id
         JOIN party_site es ON es.site_id = m.end_site_id
        WHERE m.custody_taken_at IS NOT NULL AND m.custody_taken_at <= $1
          AND (m.status = 'IN_TRANSIT' OR m.delivered_at >= $2)`,
      [now, new Date(now.getTime() - REATTACH_LOOKBACK_MS)],
    );
    const found: { id: string; evidence: Record<string, unknown> }[] = [];
    let unjudged = 0;
    const factorPercent = Math.round(this.env.TELEMETRY_TRIP_OVERDUE_FACTOR * 100);
    for (const r of rows) {
      const [slat, slon, elat, elon] = [
        parseDegrees(r.slat, 90),
        parseDegrees(r.slon, 180),
        parseDegrees(r.elat, 90),
        parseDegrees(r.elon, 180),
      ];
      if (slat === null || slon === null || elat === null || elon === null) {
        unjudged += 1;
        continue;
      }
      const expected = expectedTrip(
        { latE6: slat, lonE6: slon },
        { latE6: elat, lonE6: elon },
        {
          routeFactorPercent: ROUTE_FACTOR_PERCENT,
          speedKmh: this.env.TELEMETRY_EXPECTED_SPEED_KMH,
          minimumMs: MINIMUM_TRIP_MS,
        },
      );
      const late = tripOverdue({
        custodyTakenAtMs: r.custody_taken_at.getTime(),
        deliveredAtMs: r.delivered_at?.getTime() ?? null,
        nowMs: now.getTime(),
        expectedMs: expected.expectedMs,
        factorPercent,
      });
      if (!late) continue;
      found.push({
        id: r.manifest_id,
        evidence: {
          custodyTakenAt: iso(r.custody_taken_at),
          deliveredAt: iso(r.delivered_at),
          inTransit: r.delivered_at === null,
          elapsedMinutes: minutes(late.elapsedMs),
          expectedMinutes: minutes(expected.expectedMs),
          limitMinutes: minutes(late.limitMs),
          factorPercent,
          straightLineMeters: expected.distanceMeters,
        },
      });
    }
    const facts = await this.facts.manifests(found.map((f) => f.id));
    const alerts = found.flatMap((f) => {
      const m = facts.get(f.id);
      return m
        ? [manifestTelemetryAlert(m, TELEMETRY_ALERT_RULES.TRIP_OVERDUE, 'trip', 'WARNING', f.evidence)]
        : [];
    });
    return { alerts, unjudged };
  }

  async missing(now: Date): Promise<AlertInput[]> {
    const rows = await this.db.query<
      { manifest_id: string; leg: number; vehicle_id: string; started_at: Date; last_at: Date | null }[]
    >(
      `SELECT l.manifest_id, l.leg, l.vehicle_id, l.started_at,
              (SELECT max(p.at) FROM telemetry_gps_point p
                WHERE p.vehicle_id = l.vehicle_id AND p.at >= l.started_at AND p.at <= $1) AS last_at
         FROM telemetry_leg l JOIN manifest m ON m.manifest_id = l.manifest_id
        WHERE m.status = 'IN_TRANSIT' AND l.started_at IS NOT NULL AND l.ended_at IS NULL AND l.started_at <= $1`,
      [now],
    );
    const limitMs = this.env.TELEMETRY_TRACK_MISSING_MINUTES * MINUTE_MS;
    const found = rows.flatMap((r) => {
      const gap = trackMissing({
        legStartedAtMs: r.started_at.getTime(),
        lastPointAtMs: r.last_at?.getTime() ?? null,
        nowMs: now.getTime(),
        limitMs,
      });
      return gap ? [{ r, gap }] : [];
    });
    const facts = await this.facts.manifests(found.map((f) => f.r.manifest_id));
    return found.flatMap(({ r, gap }) => {
      const m = facts.get(r.manifest_id);
      if (!m) return [];
      return [
        manifestTelemetryAlert(m, TELEMETRY_ALERT_RULES.TRACK_MISSING, gap.period, 'WARNING', {
          leg: r.leg,
          vehicleId: r.vehicle_id,
          legStartedAt: iso(r.started_at),
          lastPointAt: iso(r.last_at),
          silentSince: new Date(gap.silentSinceMs).toISOString(),
          silentMinutes: minutes(gap.silentMs),
          thresholdMinutes: this.env.TELEMETRY_TRACK_MISSING_MINUTES,
        }),
      ];
    });
  }
}
