import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { jumps, type RawPoint, type RawWeighing, type SkipReason, tally } from './domain/readings';
import { ReadingScreen, type ReadingSender, type Skipped } from './reading-screen';
import { ReadingStore } from './reading-store';
import { TelemetryRulesService } from './telemetry-rules.service';
import { readingLimits } from './telemetry-settings';

/** What a batch came to: counts per reason, the first problems, and the alerts it raised. */
export interface ReadingsOutcome {
  readonly received: number;
  readonly storedPoints: number;
  readonly storedWeighings: number;
  readonly skipped: number;
  readonly skippedByReason: { reason: SkipReason; count: number }[];
  /** The first problems, by position in the batch (at most MAX_PROBLEMS). */
  readonly problems: Skipped[];
  /** Alerts this batch raised (new ones only). */
  readonly alertIds: string[];
  /** This answer was given before to the same idempotency key: nothing was done again. */
  readonly replayed: boolean;
}

export const MAX_PROBLEMS = 50;
const IDEMPOTENCY_KEY = /^[\w.:@/-]{1,128}$/;

/**
 * 读数接入 — one path for every batch of readings, from GraphQL (`submitReadings`) or MQTT: screen
 * each reading (skipped ones counted per reason, never a refusal of the batch), drop duplicates
 * within the batch and GPS spikes, store the rest in the partitioned tables (the unique key drops
 * what was stored before), attach them to trips, then run the rules for what came in. A batch
 * with an idempotency key (GraphQL `idempotencyKey`, MQTT `batchId`) answers a retry with its
 * first answer.
 */
@Injectable()
export class ReadingIngestionService {
  private readonly log = new Logger('Telemetry');

  constructor(
    private readonly db: DataSource,
    private readonly screen: ReadingScreen,
    private readonly store: ReadingStore,
    private readonly rules: TelemetryRulesService,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  /** The sender a signed-in caller stands for (the permission table lets only devices and party actors in). */
  static senderOf(who: Principal): ReadingSender {
    if (who.kind === 'DEVICE') return { kind: 'DEVICE', deviceId: who.deviceId };
    if (who.kind === 'USER' && who.partyId)
      return { kind: 'PARTY', partyId: who.partyId, userId: who.userId };
    throw new DomainError('FORBIDDEN', 'readings come from a device or from a party’s own platform');
  }

  /** GraphQL: a batch with its idempotency key. */
  async submit(
    who: Principal,
    input: {
      idempotencyKey: string;
      points?: readonly RawPoint[] | null;
      weighings?: readonly RawWeighing[] | null;
    },
  ): Promise<ReadingsOutcome> {
    const points = input.points ?? [];
    const weighings = input.weighings ?? [];
    if (points.length + weighings.length > this.env.TELEMETRY_BATCH_LIMIT) {
      throw DomainError.badInput(
        'input',
        `at most ${this.env.TELEMETRY_BATCH_LIMIT} readings per batch (TELEMETRY_BATCH_LIMIT)`,
      );
    }
    const sender = ReadingIngestionService.senderOf(who);
    return this.once(sender, input.idempotencyKey, { points, weighings }, () =>
      this.ingest(sender, points, weighings),
    );
  }

  /**
   * MQTT: the payload of `<prefix>/<deviceId>/readings` (already parsed, or undefined when it was
   * not JSON). A malformed payload is answered with counts like any batch, never thrown.
   */
  async ingestMqtt(
    deviceId: string,
    payload: unknown,
  ): Promise<ReadingsOutcome & { batchId: string | null }> {
    const body = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? payload : null;
    const b = body as { batchId?: unknown; points?: unknown; weighings?: unknown } | null;
    const batchId = typeof b?.batchId === 'string' && IDEMPOTENCY_KEY.test(b.batchId) ? b.batchId : null;
    const points = Array.isArray(b?.points) ? (b.points as RawPoint[]) : [];
    const weighings = Array.isArray(b?.weighings) ? (b.weighings as RawWeighing[]) : [];
    const sender: ReadingSender = { kind: 'DEVICE', deviceId };
    if (
      !b ||
      (b.points !== undefined && !Array.isArray(b.points)) ||
      (b.weighings !== undefined && !Array.isArray(b.weighings))
    ) {
      return {
        ...this.refused(
          1,
          'MALFORMED',
          'the payload is a JSON object {batchId?, points?: [], weighings?: []}',
        ),
        batchId,
      };
    }
    if (points.length + weighings.length > this.env.TELEMETRY_BATCH_LIMIT) {
      const n = points.length + weighings.length;
      return {
        ...this.refused(n, 'BATCH_TOO_LARGE', `at most ${this.env.TELEMETRY_BATCH_LIMIT} readings per batch`),
        batchId,
      };
    }
    const run = () => this.ingest(sender, points, weighings);
    const outcome = batchId ? await this.once(sender, batchId, { points, weighings }, run) : await run();
    return { ...outcome, batchId };
  }

  private refused(n: number, reason: SkipReason, message: string): ReadingsOutcome {
    this.log.warn({ reason, readings: n }, `readings refused: ${message}`);
    return {
      received: n,
      storedPoints: 0,
      storedWeighings: 0,
      skipped: n,
      skippedByReason: [{ reason, count: n }],
      problems: [{ kind: 'POINT', index: 0, reason, message }],
      alertIds: [],
      replayed: false,
    };
  }

  /** Runs `work` once per (sender, key); a retry gets the first answer, a different request with the key is refused. */
  private async once(
    sender: ReadingSender,
    key: string,
    request: unknown,
    work: () => Promise<ReadingsOutcome>,
  ): Promise<ReadingsOutcome> {
    if (!IDEMPOTENCY_KEY.test(key))
      throw DomainError.badInput(
        'idempotencyKey',
        'idempotencyKey: 1 to 128 characters of letters, digits and . _ : @ / -',
      );
    const senderKey = sender.kind === 'DEVICE' ? `device:${sender.deviceId}` : `user:${sender.userId}`;
    const hash = createHash('sha256').update(JSON.stringify(request)).digest();
    const claimed = await this.db.query<unknown[]>(
      `INSERT INTO telemetry_batch (sender_key, idempotency_key, request_hash, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sender_key, idempotency_key) DO NOTHING RETURNING 1`,
      [senderKey, key, hash, this.clock.now()],
    );
    if (claimed.length === 0) {
      const [first] = await this.db.query<{ request_hash: Buffer; result: ReadingsOutcome | null }[]>(
        `SELECT request_hash, result FROM telemetry_batch WHERE sender_key = $1 AND idempotency_key = $2`,
        [senderKey, key],
      );
      if (!first || !first.request_hash.equals(hash))
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          `idempotencyKey ${key} was already used for a different batch`,
          {
            field: 'idempotencyKey',
          },
        );
      if (!first.result)
        throw new DomainError('CONFLICT', 'the first request with this key is still being processed; retry');
      return { ...first.result, replayed: true };
    }
    try {
      const outcome = await work();
      await this.db.query(
        `UPDATE telemetry_batch SET result = $3 WHERE sender_key = $1 AND idempotency_key = $2`,
        [senderKey, key, JSON.stringify(outcome)],
      );
      return outcome;
    } catch (e) {
      await this.db
        .query(
          `DELETE FROM telemetry_batch WHERE sender_key = $1 AND idempotency_key = $2 AND result IS NULL`,
          [senderKey, key],
        )
        .catch(() => undefined);
      throw e;
    }
  }

  /** Screens, deduplicates, stores and evaluates one batch. */
  async ingest(
    sender: ReadingSender,
    rawPoints: readonly RawPoint[],
    rawWeighings: readonly RawWeighing[],
  ): Promise<ReadingsOutcome> {
    const now = this.clock.now();
    const screened = await this.screen.screen(sender, rawPoints, rawWeighings, readingLimits(this.env, now));
    const skipped = [...screened.skipped];
    const key = (r: { deviceId: string; atMs: number }) => `${r.deviceId}|${r.atMs}`;
    const firstOf = <T extends { deviceId: string; atMs: number; index: number }>(
      rs: readonly T[],
      kind: Skipped['kind'],
    ) => {
      const seen = new Set<string>();
      return rs.filter((r) => {
        if (!seen.has(key(r))) {
          seen.add(key(r));
          return true;
        }
        skipped.push({
          kind,
          index: r.index,
          reason: 'DUPLICATE',
          message: 'the same device and instant twice in the batch',
        });
        return false;
      });
    };
    const points = await this.withoutSpikes(firstOf(screened.points, 'POINT'), skipped);
    const weighings = firstOf(screened.weighings, 'WEIGHING');
    const stored = await this.store.store(points, weighings, now);
    const storedBefore = (
      sent: readonly { deviceId: string; atMs: number; index: number }[],
      kept: readonly { deviceId: string; atMs: number }[],
      kind: Skipped['kind'],
    ) => {
      const keys = new Set(kept.map(key));
      for (const r of sent)
        if (!keys.has(key(r)))
          skipped.push({ kind, index: r.index, reason: 'DUPLICATE', message: 'stored before' });
    };
    storedBefore(points, stored.points, 'POINT');
    storedBefore(weighings, stored.weighings, 'WEIGHING');
    let alertIds: string[] = [];
    try {
      alertIds = await this.rules.afterIngestion(stored.points, stored.links);
    } catch (e) {
      // the readings are stored; the scheduler's next run evaluates them again
      this.log.warn({ err: e }, 'telemetry rules failed after ingestion');
    }
    skipped.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'POINT' ? -1 : 1));
    const outcome: ReadingsOutcome = {
      received: rawPoints.length + rawWeighings.length,
      storedPoints: stored.points.length,
      storedWeighings: stored.weighings.length,
      skipped: skipped.length,
      skippedByReason: tally(skipped.map((s) => s.reason)),
      problems: skipped.slice(0, MAX_PROBLEMS),
      alertIds,
      replayed: false,
    };
    const summary = {
      sender: sender.kind === 'DEVICE' ? `device:${sender.deviceId}` : `party:${sender.partyId}`,
      received: outcome.received,
      storedPoints: outcome.storedPoints,
      storedWeighings: outcome.storedWeighings,
      skipped: Object.fromEntries(outcome.skippedByReason.map((s) => [s.reason, s.count])),
      alerts: alertIds.length,
    };
    if (outcome.skipped > 0) this.log.warn(summary, 'readings skipped');
    else this.log.debug(summary, 'readings stored');
    return outcome;
  }

  /** Drops GPS spikes (an impossible jump from the device's last credible point). */
  private async withoutSpikes<
    T extends { deviceId: string; atMs: number; latE6: number; lonE6: number; index: number },
  >(points: readonly T[], skipped: Skipped[]): Promise<T[]> {
    const byDevice = new Map<string, T[]>();
    for (const p of [...points].sort((a, b) => a.atMs - b.atMs)) {
      const list = byDevice.get(p.deviceId);
      if (list) list.push(p);
      else byDevice.set(p.deviceId, [p]);
    }
    const previous = await this.store.previousPoints(
      [...byDevice].map(([deviceId, ps]) => ({ deviceId, atMs: ps[0].atMs })),
    );
    const out: T[] = [];
    for (const [deviceId, ps] of byDevice) {
      const bad = jumps(ps, previous.get(deviceId) ?? null, this.env.TELEMETRY_MAX_SPEED_KMH * 10);
      ps.forEach((p, i) => {
        if (bad.has(i))
          skipped.push({
            kind: 'POINT',
            index: p.index,
            reason: 'IMPOSSIBLE_SPEED',
            message: 'a jump no vehicle can make',
          });
        else out.push(p);
      });
    }
    return out;
  }
}
