import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { AlertInput } from '../ledger/alerts/alert';
import { LedgerService } from '../ledger/ledger.service';
import { Clock } from '../shared/clock';
import { DumpingDetector } from './dumping-detector';
import { ReadingStore, type StoredPoint, type WeighingLink } from './reading-store';
import { TELEMETRY_ACTOR, MINUTE_MS, REATTACH_LOOKBACK_MS } from './telemetry-settings';
import { TripWatch } from './trip-watch';
import { WeighingsService } from './weighings.service';

/** What one scheduled evaluation did. */
export interface TelemetryRun {
  readonly partitionsCreated: number;
  /** Vehicles whose points were attached again to trips recorded late. */
  readonly reattachedVehicles: number;
  /** Weighings matched to manifests after the fact. */
  readonly relinkedWeighings: number;
  readonly evaluatedVehicles: number;
  /** Trips whose start or end site has no coordinates (no expected time). */
  readonly tripsWithoutCoordinates: number;
  /** Alerts the rules found (raised before or now). */
  readonly alertIds: readonly string[];
  /** Alerts raised by this run. */
  readonly raised: number;
}

/**
 * 物联网预警 — runs the telemetry rules and raises their alerts through the ledger (each with a
 * deterministic identity: a rerun, or a second process, raises nothing twice):
 * - on ingestion, for what came in: SUSPECTED_DUMPING for the vehicles of new loaded points,
 *   WEIGHBRIDGE_SHORTFALL for manifests with new weighings;
 * - `runOnce(now)`, which the oversight scheduler (src/oversight/oversight-scheduler.ts) finds and
 *   runs like every provider with a `runOnce(now)`: partitions ahead, readings attached again to
 *   trips recorded late, then every rule for loaded vehicles and trips under way, TRIP_OVERDUE
 *   and TRACK_MISSING included.
 */
@Injectable()
export class TelemetryRulesService implements OnApplicationBootstrap {
  private readonly log = new Logger('TelemetryRules');
  private lastRunAt: Date | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly store: ReadingStore,
    private readonly dumping: DumpingDetector,
    private readonly trips: TripWatch,
    private readonly weighings: WeighingsService,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  /** Partitions for this month and the months ahead, at start (the scheduler keeps them ahead). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.store.ensurePartitions(this.clock.now(), this.env.TELEMETRY_PARTITIONS_AHEAD_MONTHS + 1);
    } catch (e) {
      // readings create their month's partition on demand; the scheduler tries again
      this.log.error({ err: e }, 'could not create the reading partitions ahead');
    }
  }

  /** Rules for what a batch brought; returns the alerts newly raised. */
  async afterIngestion(points: readonly StoredPoint[], links: readonly WeighingLink[]): Promise<string[]> {
    const ranges = new Map<string, { fromMs: number; untilMs: number }>();
    for (const p of points) {
      if (p.manifestIds.length === 0) continue;
      const r = ranges.get(p.vehicleId);
      ranges.set(p.vehicleId, {
        fromMs: Math.min(r?.fromMs ?? p.atMs, p.atMs),
        untilMs: Math.max(r?.untilMs ?? p.atMs, p.atMs),
      });
    }
    const alerts: AlertInput[] = [];
    for (const [vehicleId, r] of ranges)
      alerts.push(...(await this.dumping.evaluate(vehicleId, r.fromMs, r.untilMs)));
    alerts.push(...(await this.weighings.shortfalls([...new Set(links.map((l) => l.manifestId))])));
    const { raisedIds } = await this.raise(alerts);
    return raisedIds;
  }

  /** Evaluates every telemetry rule at `now` (the scheduler's step; tests call it with their own `now`). */
  async runOnce(now: Date): Promise<TelemetryRun> {
    const partitionsCreated = await this.store.ensurePartitions(
      now,
      this.env.TELEMETRY_PARTITIONS_AHEAD_MONTHS + 1,
    );
    const floor = new Date(now.getTime() - REATTACH_LOOKBACK_MS);
    // legs changed since the last run (a margin for commits in flight), or in the lookback after a restart
    const since =
      this.lastRunAt && this.lastRunAt > floor && this.lastRunAt <= now
        ? new Date(this.lastRunAt.getTime() - 5 * MINUTE_MS)
        : floor;
    const reattached = await this.store.reattach(since, floor, now);
    const relinked = await this.store.relink(floor, now);
    const vehicles = await this.db.query<{ vehicle_id: string }[]>(
      `SELECT DISTINCT vehicle_id FROM telemetry_leg
        WHERE started_at IS NOT NULL AND started_at <= $1 AND (ended_at IS NULL OR ended_at >= $2)`,
      [now, since],
    );
    const toEvaluate = [...new Set([...vehicles.map((v) => v.vehicle_id), ...reattached])].sort();
    const alerts: AlertInput[] = [];
    for (const vehicleId of toEvaluate) {
      alerts.push(...(await this.dumping.evaluate(vehicleId, since.getTime(), now.getTime())));
    }
    const overdue = await this.trips.overdue(now);
    alerts.push(...overdue.alerts, ...(await this.trips.missing(now)));
    const recentReceipts = await this.db.query<{ manifest_id: string }[]>(
      `SELECT DISTINCT manifest_id FROM telemetry_weighing_link WHERE stage = 'RECEIPT' AND linked_at >= $1`,
      [since],
    );
    alerts.push(
      ...(await this.weighings.shortfalls([
        ...new Set([...recentReceipts.map((r) => r.manifest_id), ...relinked.map((l) => l.manifestId)]),
      ])),
    );
    const { alertIds, raisedIds } = await this.raise(alerts);
    this.lastRunAt = now;
    if (raisedIds.length > 0) this.log.log(`raised ${raisedIds.length} telemetry alert(s)`);
    return {
      partitionsCreated,
      reattachedVehicles: reattached.length,
      relinkedWeighings: relinked.length,
      evaluatedVehicles: toEvaluate.length,
      tripsWithoutCoordinates: overdue.unjudged,
      alertIds,
      raised: raisedIds.length,
    };
  }

  private async raise(alerts: readonly AlertInput[]): Promise<{ alertIds: string[]; raisedIds: string[] }> {
    if (alerts.length === 0) return { alertIds: [], raisedIds: [] };
    return this.ledger.execute({ act: 'evaluateTelemetry', actor: TELEMETRY_ACTOR }, async (tx) => {
      const alertIds: string[] = [];
      const raisedIds: string[] = [];
      for (const a of alerts) {
        const r = await tx.raiseAlert(a);
        if (alertIds.includes(r.alertId)) continue;
        alertIds.push(r.alertId);
        if (r.raised) raisedIds.push(r.alertId);
      }
      return { alertIds, raisedIds };
    });
  }
}
