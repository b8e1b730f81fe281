import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManifestAccess } from '../manifests/manifest-access';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { simplify } from './domain/douglas-peucker';
import { distanceMeters, formatDegrees } from './domain/geo';

/** Finest and coarsest display precision, in metres (0: every point as stored). */
export const MAX_PRECISION_METERS = 10_000;
/** Most points read for one leg (a week at one point every 10 s). */
export const MAX_LEG_POINTS = 60_480;

export interface TrackPoint {
  readonly at: Date;
  /** Decimal degrees, six places (WGS-84). */
  readonly latitude: string;
  readonly longitude: string;
  /** km/h with one decimal, when the unit reported it. */
  readonly speedKmh: string | null;
}

/** 运输段轨迹 — one leg of a manifest's transport and its vehicle's track over it. */
export interface TrackLeg {
  readonly leg: number;
  readonly vehicleId: string;
  readonly carrierPartyId: string;
  readonly startedAt: Date;
  /** Null while the leg is under way. */
  readonly endedAt: Date | null;
  /** Points stored for the leg (before simplification). */
  readonly pointCount: number;
  /** Length of the stored track, in metres. */
  readonly distanceMeters: number;
  /** The leg has more than MAX_LEG_POINTS points: only the first were read. */
  readonly truncated: boolean;
  /** Simplified to the requested precision (Douglas–Peucker); first and last points kept. */
  readonly points: TrackPoint[];
}

export interface ManifestTrack {
  readonly manifestId: string;
  readonly precisionMeters: number;
  readonly legs: TrackLeg[];
}

const speed = (tenths: number | null) =>
  tenths === null ? null : `${Math.trunc(tenths / 10)}.${tenths % 10}`;

/**
 * 运输轨迹 — the track of each leg of a manifest: the points of the leg's vehicle attached to the
 * manifest between the leg's custody acts, simplified for display at a precision in metres.
 * `manifestTrack` checks that the caller may see the manifest; `trackOf` does not, for services
 * that already did (the regulator's custody chain in src/oversight/ calls it).
 */
@Injectable()
export class TrackService {
  constructor(
    private readonly db: DataSource,
    private readonly access: ManifestAccess,
    private readonly clock: Clock,
  ) {}

  async manifestTrack(who: Principal, manifestId: string, precisionMeters: number): Promise<ManifestTrack> {
    await this.access.assertVisible(who, manifestId);
    return this.trackOf(manifestId, precisionMeters);
  }

  /** Unscoped: the caller has checked that the manifest may be seen. Legs not yet started are left out. */
  async trackOf(manifestId: string, precisionMeters = 10): Promise<ManifestTrack> {
    if (!Number.isInteger(precisionMeters) || precisionMeters < 0 || precisionMeters > MAX_PRECISION_METERS)
      throw DomainError.badInput(
        'precisionMeters',
        `precisionMeters: a whole number of metres, 0 to ${MAX_PRECISION_METERS}`,
      );
    const legs = await this.db.query<
      { leg: number; vehicle_id: string; carrier_party_id: string; started_at: Date; ended_at: Date | null }[]
    >(
      `SELECT leg, vehicle_id, carrier_party_id, started_at, ended_at FROM telemetry_leg
        WHERE manifest_id = $1 AND started_at IS NOT NULL ORDER BY leg`,
      [manifestId],
    );
    const now = this.clock.now();
    const out: TrackLeg[] = [];
    for (const l of legs) {
      const rows = await this.db.query<
        { at: Date; lat_e6: number; lon_e6: number; speed_dkmh: number | null }[]
      >(
        `SELECT at, lat_e6, lon_e6, speed_dkmh FROM telemetry_gps_point
          WHERE vehicle_id = $1 AND at >= $2 AND at <= $3 AND manifest_ids @> ARRAY[$4]::text[]
          ORDER BY at, device_id LIMIT ${MAX_LEG_POINTS + 1}`,
        [l.vehicle_id, l.started_at, l.ended_at ?? now, manifestId],
      );
      const truncated = rows.length > MAX_LEG_POINTS;
      const points = rows.slice(0, MAX_LEG_POINTS).map((r) => ({
        at: r.at,
        latE6: r.lat_e6,
        lonE6: r.lon_e6,
        speedTenths: r.speed_dkmh,
      }));
      let length = 0;
      for (let i = 1; i < points.length; i++) length += distanceMeters(points[i - 1], points[i]);
      out.push({
        leg: l.leg,
        vehicleId: l.vehicle_id,
        carrierPartyId: l.carrier_party_id,
        startedAt: l.started_at,
        endedAt: l.ended_at,
        pointCount: points.length,
        distanceMeters: Math.round(length),
        truncated,
        points: simplify(points, precisionMeters).map((p) => ({
          at: p.at,
          latitude: formatDegrees(p.latE6),
          longitude: formatDegrees(p.lonE6),
          speedKmh: speed(p.speedTenths),
        })),
      });
    }
    return { manifestId, precisionMeters, legs: out };
  }
}
