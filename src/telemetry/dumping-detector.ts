import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { AlertInput } from '../ledger/alerts/alert';
import { type Geofence, type LatLon, parseDegrees } from './domain/geo';
import { findStops, type Stop, type TrackSample } from './domain/stops';
import { suspectedDumping, TELEMETRY_ALERT_RULES } from './domain/telemetry-rules';
import { TelemetryFacts } from './telemetry-facts.service';
import { LOADED_LOOKBACK_MS, MINUTE_MS } from './telemetry-settings';

interface SiteCoordinates {
  site_id: string;
  latitude: string | null;
  longitude: string | null;
  geofence_radius_m: number | null;
}

/** A vehicle's loaded period: its legs under way, merged. */
interface Interval {
  fromMs: number;
  toMs: number;
}

/**
 * 疑似非法倾倒 — finds the stops of loaded vehicles (TELEMETRY_STOP_MINUTES and longer, within
 * TELEMETRY_STOP_RADIUS_M) outside the geofence of every licensed site (licences and emergency
 * authorisations not revoked) and of every site of the vehicle's open manifests (start and end
 * points, and the stops of its collection rounds), and turns them into alerts on the vehicle,
 * one per stop (the period is the stop's start).
 */
@Injectable()
export class DumpingDetector {
  constructor(
    private readonly db: DataSource,
    private readonly facts: TelemetryFacts,
    private readonly env: Env,
  ) {}

  /** Alerts for the stops of `vehicleId` that reach into [fromMs, untilMs]. */
  async evaluate(vehicleId: string, fromMs: number, untilMs: number): Promise<AlertInput[]> {
    const loaded = await this.loadedIntervals(vehicleId, fromMs, untilMs);
    const containing = loaded.find((i) => i.fromMs <= fromMs && fromMs <= i.toMs);
    if (loaded.length === 0) return [];
    const floor = containing ? containing.fromMs : Math.min(...loaded.map((i) => i.fromMs));
    const minDurationMs = this.env.TELEMETRY_STOP_MINUTES * MINUTE_MS;
    let window = Math.max(2 * minDurationMs, 2 * 3_600_000);
    let stops: Stop[];
    // read back only as far as the stop that reaches into the range needs (its start is its identity)
    for (;;) {
      const start = Math.max(floor, fromMs - window);
      const samples = await this.samples(vehicleId, start, untilMs);
      stops = findStops(samples, { radiusMeters: this.env.TELEMETRY_STOP_RADIUS_M, minDurationMs: 0 });
      const first = samples[0];
      const cut = first && start > floor && stops.some((s) => s.startMs === first.atMs && s.endMs >= fromMs);
      if (!cut || window > LOADED_LOOKBACK_MS) break;
      window *= 2;
    }
    const long = stops.filter((s) => s.durationMs >= minDurationMs && s.endMs >= fromMs);
    if (long.length === 0) return [];
    const [vehicle] = await this.db.query<{ plate: string; party_id: string }[]>(
      `SELECT plate, party_id FROM vehicle WHERE vehicle_id = $1`,
      [vehicleId],
    );
    const out: AlertInput[] = [];
    for (const stop of long) {
      const { fences, withoutCoordinates } = await this.fences(vehicleId, stop);
      for (const f of suspectedDumping([stop], fences)) {
        const manifests = await this.facts.manifests(stop.manifestIds);
        const first = [...manifests.values()].sort((a, b) => a.manifestId.localeCompare(b.manifestId))[0];
        out.push({
          rule: TELEMETRY_ALERT_RULES.SUSPECTED_DUMPING,
          subjectType: 'VEHICLE',
          subjectId: vehicleId,
          period: f.period,
          severity: 'CRITICAL',
          region: first?.startDivisionCode ?? null,
          evidence: {
            ...f.evidence,
            vehicleId,
            plate: vehicle?.plate ?? null,
            manifestNumbers: [...manifests.values()].map((m) => m.number).sort(),
            thresholdMinutes: this.env.TELEMETRY_STOP_MINUTES,
            radiusMeters: this.env.TELEMETRY_STOP_RADIUS_M,
            sitesWithoutCoordinates: withoutCoordinates,
          },
          partyIds: [
            ...new Set([
              ...(vehicle ? [vehicle.party_id] : []),
              ...[...manifests.values()].flatMap((m) => m.partyIds),
            ]),
          ].sort(),
        });
      }
    }
    return out;
  }

  /** The vehicle's legs under way around the range, merged into loaded periods. */
  private async loadedIntervals(vehicleId: string, fromMs: number, untilMs: number): Promise<Interval[]> {
    const legs = await this.db.query<{ started_at: Date; ended_at: Date | null }[]>(
      `SELECT started_at, ended_at FROM telemetry_leg
        WHERE vehicle_id = $1 AND started_at IS NOT NULL AND started_at <= $3
          AND (ended_at IS NULL OR ended_at >= $2) ORDER BY started_at`,
      [vehicleId, new Date(fromMs - LOADED_LOOKBACK_MS), new Date(untilMs)],
    );
    const out: Interval[] = [];
    for (const l of legs) {
      const i = { fromMs: l.started_at.getTime(), toMs: l.ended_at?.getTime() ?? Number.POSITIVE_INFINITY };
      const last = out[out.length - 1];
      if (last && i.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, i.toMs);
      else out.push(i);
    }
    return out;
  }

  private async samples(vehicleId: string, fromMs: number, untilMs: number): Promise<TrackSample[]> {
    const rows = await this.db.query<{ at: Date; lat_e6: number; lon_e6: number; manifest_ids: string[] }[]>(
      `SELECT at, lat_e6, lon_e6, manifest_ids FROM telemetry_gps_point
        WHERE vehicle_id = $1 AND at >= $2 AND at <= $3 ORDER BY at, device_id`,
      [vehicleId, new Date(fromMs), new Date(untilMs)],
    );
    return rows.map((r) => ({
      atMs: r.at.getTime(),
      latE6: r.lat_e6,
      lonE6: r.lon_e6,
      loaded: r.manifest_ids.length > 0,
      manifestIds: r.manifest_ids,
    }));
  }

  /** Licensed sites near the stop, and the sites of the vehicle's manifests and rounds around then. */
  private async fences(
    vehicleId: string,
    stop: Stop,
  ): Promise<{ fences: Geofence[]; withoutCoordinates: string[] }> {
    const lat = stop.place.latE6 / 1_000_000;
    const lon = stop.place.lonE6 / 1_000_000;
    const licensed = await this.db.query<SiteCoordinates[]>(
      `SELECT s.site_id, s.latitude, s.longitude, s.geofence_radius_m FROM party_site s
        WHERE s.latitude IS NOT NULL AND s.longitude IS NOT NULL
          AND s.latitude::numeric BETWEEN $1::numeric - 0.5 AND $1::numeric + 0.5
          AND s.longitude::numeric BETWEEN $2::numeric - 1.0 AND $2::numeric + 1.0
          AND (EXISTS (SELECT 1 FROM licence l WHERE s.site_id = ANY(l.facility_site_ids) AND l.status <> 'REVOKED')
               OR EXISTS (SELECT 1 FROM emergency_authorisation e
                           WHERE s.site_id = ANY(e.facility_site_ids) AND e.revoked_from IS NULL))`,
      [lat.toFixed(6), lon.toFixed(6)],
    );
    const day = new Date(stop.startMs);
    const own = await this.db.query<SiteCoordinates[]>(
      `WITH ids AS (
         SELECT unnest(ARRAY[m.start_site_id, m.end_site_id]) AS site_id FROM manifest m
          WHERE m.manifest_id = ANY($2)
             OR (m.status IN ('SUBMITTED', 'IN_TRANSIT', 'DELIVERED')
                 AND m.manifest_id IN (SELECT l.manifest_id FROM telemetry_leg l WHERE l.vehicle_id = $1))
         UNION
         SELECT st.site_id FROM collection_round r JOIN collection_round_stop st ON st.round_id = r.round_id
          WHERE r.vehicle_id = $1 AND r.planned_date BETWEEN ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 1
                                                        AND ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date + 1
         UNION
         SELECT r.receiver_site_id FROM collection_round r
          WHERE r.vehicle_id = $1 AND r.planned_date BETWEEN ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 1
                                                        AND ($3::timestamptz AT TIME ZONE 'Asia/Shanghai')::date + 1
       )
       SELECT s.site_id, s.latitude, s.longitude, s.geofence_radius_m FROM party_site s JOIN ids ON ids.site_id = s.site_id`,
      [vehicleId, [...stop.manifestIds], day],
    );
    const fences: Geofence[] = [];
    const withoutCoordinates: string[] = [];
    for (const s of [...licensed, ...own]) {
      const center = this.centre(s);
      if (!center) {
        withoutCoordinates.push(s.site_id);
        continue;
      }
      fences.push({
        siteId: s.site_id,
        center,
        radiusMeters: s.geofence_radius_m ?? this.env.TELEMETRY_GEOFENCE_RADIUS_M,
      });
    }
    return { fences, withoutCoordinates: [...new Set(withoutCoordinates)].sort() };
  }

  private centre(s: SiteCoordinates): LatLon | null {
    const latE6 = parseDegrees(s.latitude, 90);
    const lonE6 = parseDegrees(s.longitude, 180);
    return latE6 === null || lonE6 === null ? null : { latE6, lonE6 };
  }
}
