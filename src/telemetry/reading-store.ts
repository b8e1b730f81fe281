import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { Env } from '../config/env';
import type { GpsPoint, WeighingReading } from './domain/readings';

/** A point ready to store: checked, with its device's party and its vehicle resolved. */
export interface PointToStore extends GpsPoint {
  readonly deviceId: string;
  readonly vehicleId: string;
  readonly partyId: string;
}

export interface WeighingToStore extends WeighingReading {
  readonly deviceId: string;
  readonly vehicleId: string;
  readonly partyId: string;
}

/** A stored point: its key, vehicle and the manifests its vehicle carried then. */
export interface StoredPoint {
  readonly deviceId: string;
  readonly atMs: number;
  readonly vehicleId: string;
  readonly manifestIds: readonly string[];
}

export interface WeighingLink {
  readonly manifestId: string;
  readonly stage: 'PICKUP' | 'RECEIPT';
}

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The manifests a vehicle carried at instant `r.at` (its legs under way then). */
const CARRIED = `coalesce((SELECT array_agg(DISTINCT l.manifest_id ORDER BY l.manifest_id) FROM telemetry_leg l
   WHERE l.vehicle_id = r.vehicle_id AND l.started_at <= r.at AND (l.ended_at IS NULL OR l.ended_at >= r.at)), '{}')`;

/**
 * Writes readings into their month-partitioned tables (outside the ledger: volume) and matches
 * them to trips. A point is attached to every manifest its vehicle carried at that instant; a
 * weighing is linked to the manifest it weighed at pickup (its start site, the first leg's
 * vehicle, between submission and shortly after custody) or at receipt (its end site, the last
 * leg's vehicle, from that leg's start to shortly after delivery). Duplicates (same device, same
 * instant) are left out by the unique key, so that a replayed batch stores nothing twice.
 */
@Injectable()
export class ReadingStore {
  private readonly log = new Logger('TelemetryStore');
  private readonly months = new Set<string>();

  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
  ) {}

  /** Creates the partitions of `count` months from `from` (idempotent; the function is the migration owner's). */
  async ensurePartitions(from: Date, count: number): Promise<number> {
    const first = `${monthOf(from.getTime())}-01`;
    const [r] = await this.db.query<{ n: number }[]>(
      `SELECT telemetry_ensure_partitions($1::date, $2) AS n`,
      [first, count],
    );
    for (let i = 0; i < count; i++) {
      const d = new Date(Date.parse(`${first}T00:00:00Z`));
      d.setUTCMonth(d.getUTCMonth() + i);
      this.months.add(monthOf(d.getTime()));
    }
    if (r.n > 0) this.log.log(`created ${r.n} reading partition(s) from ${first}`);
    return r.n;
  }

  /** Makes sure the months of these instants have partitions (a late batch from an offline unit). */
  async ensureMonths(instantsMs: readonly number[]): Promise<void> {
    for (const m of new Set(instantsMs.map(monthOf))) {
      if (!this.months.has(m)) await this.ensurePartitions(new Date(Date.parse(`${m}-01T00:00:00Z`)), 1);
    }
  }

  /** The last stored point of each device before its first new point (within the hour before), for jump checks. */
  async previousPoints(
    firsts: readonly { deviceId: string; atMs: number }[],
  ): Promise<Map<string, { atMs: number; latE6: number; lonE6: number }>> {
    if (firsts.length === 0) return new Map();
    const rows = await this.db.query<{ device_id: string; at: Date; lat_e6: number; lon_e6: number }[]>(
      `SELECT d.device_id, p.at, p.lat_e6, p.lon_e6
         FROM unnest($1::text[], $2::timestamptz[]) AS d(device_id, first_at)
         CROSS JOIN LATERAL (SELECT at, lat_e6, lon_e6 FROM telemetry_gps_point
                              WHERE device_id = d.device_id AND at < d.first_at AND at >= d.first_at - interval '1 hour'
                              ORDER BY at DESC LIMIT 1) p`,
      [firsts.map((f) => f.deviceId), firsts.map((f) => new Date(f.atMs))],
    );
    return new Map(
      rows.map((r) => [r.device_id, { atMs: r.at.getTime(), latE6: r.lat_e6, lonE6: r.lon_e6 }]),
    );
  }

  /** Stores points and weighings in one transaction; returns what was new. */
  async store(
    points: readonly PointToStore[],
    weighings: readonly WeighingToStore[],
    now: Date,
  ): Promise<{
    points: StoredPoint[];
    weighings: { deviceId: string; atMs: number }[];
    links: WeighingLink[];
  }> {
    await this.ensureMonths([...points.map((p) => p.atMs), ...weighings.map((w) => w.atMs)]);
    const runner = this.db.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction('READ COMMITTED');
      const storedPoints = await this.insertPoints(runner, points, now);
      const storedWeighings = await this.insertWeighings(runner, weighings, now);
      const links = await this.link(runner, storedWeighings, now);
      await runner.commitTransaction();
      return { points: storedPoints, weighings: storedWeighings, links };
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  private async insertPoints(
    runner: QueryRunner,
    points: readonly PointToStore[],
    now: Date,
  ): Promise<StoredPoint[]> {
    if (points.length === 0) return [];
    const rows = (await runner.query(
      `INSERT INTO telemetry_gps_point (device_id, at, party_id, vehicle_id, lat_e6, lon_e6, speed_dkmh, manifest_ids, received_at)
       SELECT r.device_id, r.at, r.party_id, r.vehicle_id, r.lat_e6, r.lon_e6, r.speed_dkmh, ${CARRIED}, $8
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[])
              AS r(device_id, at, party_id, vehicle_id, lat_e6, lon_e6, speed_dkmh)
       ON CONFLICT (device_id, at) DO NOTHING
       RETURNING device_id, at, vehicle_id, manifest_ids`,
      [
        points.map((p) => p.deviceId),
        points.map((p) => new Date(p.atMs)),
        points.map((p) => p.partyId),
        points.map((p) => p.vehicleId),
        points.map((p) => p.latE6),
        points.map((p) => p.lonE6),
        points.map((p) => p.speedTenths),
        now,
      ],
    )) as { device_id: string; at: Date; vehicle_id: string; manifest_ids: string[] }[];
    return rows.map((r) => ({
      deviceId: r.device_id,
      atMs: r.at.getTime(),
      vehicleId: r.vehicle_id,
      manifestIds: r.manifest_ids,
    }));
  }

  private async insertWeighings(
    runner: QueryRunner,
    weighings: readonly WeighingToStore[],
    now: Date,
  ): Promise<{ deviceId: string; atMs: number }[]> {
    if (weighings.length === 0) return [];
    const rows = (await runner.query(
      `INSERT INTO telemetry_weighing (device_id, at, party_id, site_id, vehicle_id, gross_grams, tare_grams, net_grams, received_at)
       SELECT r.*, $9::timestamptz
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[])
              AS r(device_id, at, party_id, site_id, vehicle_id, gross_grams, tare_grams, net_grams)
       ON CONFLICT (device_id, at) DO NOTHING
       RETURNING device_id, at`,
      [
        weighings.map((w) => w.deviceId),
        weighings.map((w) => new Date(w.atMs)),
        weighings.map((w) => w.partyId),
        weighings.map((w) => w.siteId),
        weighings.map((w) => w.vehicleId),
        weighings.map((w) => w.grossGrams),
        weighings.map((w) => w.tareGrams),
        weighings.map((w) => w.netGrams),
        now,
      ],
    )) as { device_id: string; at: Date }[];
    return rows.map((r) => ({ deviceId: r.device_id, atMs: r.at.getTime() }));
  }

  /** Links weighings (by key) to the manifests they weighed; returns the new links. */
  private async link(
    runner: QueryRunner,
    keys: readonly { deviceId: string; atMs: number }[],
    now: Date,
  ): Promise<WeighingLink[]> {
    if (keys.length === 0) return [];
    return (await runner.query(`${LINK_SQL} RETURNING manifest_id AS "manifestId", stage`, [
      keys.map((k) => k.deviceId),
      keys.map((k) => new Date(k.atMs)),
      this.env.TELEMETRY_WEIGHING_WINDOW_MINUTES,
      now,
    ])) as WeighingLink[];
  }

  /** Links the weighings received since `since` that no manifest claimed yet (custody recorded later). */
  async relink(since: Date, now: Date): Promise<WeighingLink[]> {
    const keys = await this.db.query<{ device_id: string; at: Date }[]>(
      `SELECT w.device_id, w.at FROM telemetry_weighing w
        WHERE w.at >= $1 AND NOT EXISTS (SELECT 1 FROM telemetry_weighing_link k WHERE k.device_id = w.device_id AND k.at = w.at)`,
      [since],
    );
    if (keys.length === 0) return [];
    return this.db.query<WeighingLink[]>(`${LINK_SQL} RETURNING manifest_id AS "manifestId", stage`, [
      keys.map((k) => k.device_id),
      keys.map((k) => k.at),
      this.env.TELEMETRY_WEIGHING_WINDOW_MINUTES,
      now,
    ]);
  }

  /**
   * Re-attaches the points of vehicles whose legs the ledger changed since `since` (a custody act
   * or a delivery synced late from an offline device), from the start of those legs to `now`
   * (not before `floor`); returns the vehicles whose points changed.
   */
  async reattach(since: Date, floor: Date, now: Date): Promise<string[]> {
    const result = await this.db.query<unknown>(
      `WITH changed AS (
         SELECT vehicle_id, min(coalesce(started_at, changed_at)) AS from_at
           FROM telemetry_leg WHERE changed_at >= $1 GROUP BY vehicle_id
       ), fresh AS (
         SELECT r.device_id, r.at, ${CARRIED} AS ids
           FROM telemetry_gps_point r JOIN changed c ON c.vehicle_id = r.vehicle_id
          WHERE r.at >= c.from_at AND r.at >= $2 AND r.at <= $3
       )
       UPDATE telemetry_gps_point p SET manifest_ids = f.ids
         FROM fresh f
        WHERE p.device_id = f.device_id AND p.at = f.at AND p.at >= $2 AND p.manifest_ids IS DISTINCT FROM f.ids
       RETURNING p.vehicle_id`,
      [since, floor, now],
    );
    // TypeORM answers an UPDATE with [rows, count]
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as {
      vehicle_id: string;
    }[];
    return [...new Set(rows.map((r) => r.vehicle_id))];
  }
}

/**
 * $1 device ids, $2 instants (the weighings' keys), $3 the window in minutes, $4 now. A PICKUP
 * weighing: at the manifest's start site, the first leg's vehicle, after submission and — once
 * custody is taken — within the window of it. A RECEIPT weighing: at the end site, the last leg's
 * vehicle, after that leg started and — once delivered — within the window of delivery.
 */
const LINK_SQL = `
  INSERT INTO telemetry_weighing_link (manifest_id, stage, device_id, at, linked_at)
  SELECT m.manifest_id, s.stage, w.device_id, w.at, $4::timestamptz
    FROM unnest($1::text[], $2::timestamptz[]) AS k(device_id, at)
    JOIN telemetry_weighing w ON w.device_id = k.device_id AND w.at = k.at
    CROSS JOIN (VALUES ('PICKUP'), ('RECEIPT')) AS s(stage)
    JOIN manifest m ON m.status NOT IN ('DRAFT', 'CANCELLED')
     AND m.manifest_id IN (SELECT l.manifest_id FROM telemetry_leg l WHERE l.vehicle_id = w.vehicle_id)
    JOIN telemetry_leg l ON l.manifest_id = m.manifest_id AND l.vehicle_id = w.vehicle_id
   WHERE (s.stage = 'PICKUP' AND l.leg = 1 AND m.start_site_id = w.site_id
          AND m.submitted_at IS NOT NULL AND w.at >= m.submitted_at - make_interval(mins => $3)
          AND (m.custody_taken_at IS NULL OR w.at <= m.custody_taken_at + make_interval(mins => $3)))
      OR (s.stage = 'RECEIPT' AND l.leg = m.leg_count AND m.end_site_id = w.site_id
          AND l.started_at IS NOT NULL AND w.at >= l.started_at
          AND (m.delivered_at IS NULL OR w.at <= m.delivered_at + make_interval(mins => $3)))
  ON CONFLICT DO NOTHING`;
