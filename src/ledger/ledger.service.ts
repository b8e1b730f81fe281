import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { isDatabaseUnavailable, RunnerSql, sqlConstraint, sqlState } from '../database/sql';
import { Env } from '../config/env';
import { Clock } from '../shared/clock';
import { actorKey } from '../shared/domain/actor';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { stableRequestText } from './domain/canonical-json';
import { EventRegistry } from './event-registry';
import { GroupCommitter } from './group-commit';
import { LedgerTransaction } from './ledger-transaction';
import type { BatchOutcome, CommandEnvelope } from './ledger.types';
import { ProjectionRegistry } from './projections/projection';

export type CommandHandler<R> = (tx: LedgerTransaction) => Promise<R>;

const IDEMPOTENCY_KEY = /^[\w.:@/-]{1,128}$/;
const RETRYABLE_STATES = new Set(['40001', '40P01']);
const CAS_CONSTRAINTS = new Set(['ledger_stream_pkey', 'ledger_event_stream_version_key']);

/** Maps database failures onto the closed error set: concurrency → CONFLICT, outage → SERVICE_UNAVAILABLE. */
export function mapDatabaseError(e: unknown): unknown {
  if (isDomainError(e)) return e;
  const state = sqlState(e);
  if (state && RETRYABLE_STATES.has(state))
    return new DomainError('CONFLICT', 'a concurrent act changed the same records; retry');
  if (state === '23505' && CAS_CONSTRAINTS.has(sqlConstraint(e) ?? '')) {
    return new DomainError('CONFLICT', 'a concurrent act changed the same records; retry');
  }
  if (isDatabaseUnavailable(e)) {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      'the database is unavailable; retry with the same idempotency key',
    );
  }
  return e;
}

interface Prepared {
  envelope: CommandEnvelope;
  now: Date;
  occurredAt: Date;
  requestHash: Buffer;
}

/**
 * THE write path. A command handler runs in one database transaction: read streams, evolve,
 * decide, append with compare-and-set, projections — then commit. The command log makes
 * retries idempotent: its row is inserted first, so that a duplicate racing the original waits
 * for it and then returns the original result, appending nothing.
 */
@Injectable()
export class LedgerService {
  private readonly log = new Logger('Ledger');
  readonly projections = new ProjectionRegistry();

  private readonly committer: GroupCommitter<
    { envelope: CommandEnvelope; handler: CommandHandler<unknown> },
    BatchOutcome<unknown>
  >;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    readonly registry: EventRegistry,
    private readonly env: Env,
  ) {
    this.committer = new GroupCommitter((items) => this.executeBatch(items), {
      maxBatch: env.LEDGER_GROUP_COMMIT_MAX_BATCH,
      concurrency: env.LEDGER_GROUP_COMMIT_CONCURRENCY,
    });
  }

  /** Group-commit batches in flight and commands waiting. */
  groupCommitStats(): { active: number; waiting: number } {
    return this.committer.stats();
  }

  /**
   * Runs one command; retries it on a concurrency conflict (the handler re-reads and re-decides).
   * With group commit on (LEDGER_GROUP_COMMIT), concurrent commands share one transaction, each
   * under its own savepoint (see group-commit.ts); the guarantees are the same.
   */
  async execute<R>(envelope: CommandEnvelope, handler: CommandHandler<R>): Promise<R> {
    if (!this.env.LEDGER_GROUP_COMMIT) return this.executeAlone(envelope, handler);
    const outcome = (await this.committer.submit({ envelope, handler })) as BatchOutcome<R>;
    if (outcome.ok) return outcome.result;
    throw outcome.error;
  }

  /** One command in a transaction of its own. */
  private async executeAlone<R>(envelope: CommandEnvelope, handler: CommandHandler<R>): Promise<R> {
    const prepared = this.prepare(envelope);
    for (let attempt = 0; ; attempt++) {
      const runner = this.db.createQueryRunner();
      let tx: LedgerTransaction | undefined;
      try {
        await runner.connect();
        await runner.startTransaction('READ COMMITTED');
        const outcome = await this.runOne(runner, prepared, handler);
        if (outcome.replayed) {
          await runner.rollbackTransaction();
          return outcome.result;
        }
        tx = outcome.tx;
        await this.commit(runner);
        await this.runHooks(tx);
        return outcome.result;
      } catch (e) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        const mapped = mapDatabaseError(e);
        if (isDomainError(mapped) && mapped.code === 'CONFLICT' && attempt < this.env.LEDGER_COMMAND_RETRIES)
          continue;
        throw mapped;
      } finally {
        await runner.release().catch(() => undefined);
      }
    }
  }

  /**
   * Runs independent commands in ONE transaction, each under its own savepoint with its own
   * result or error. A failed COMMIT fails every command of the batch with a retryable error.
   */
  async executeBatch<R>(
    items: readonly { envelope: CommandEnvelope; handler: CommandHandler<R> }[],
  ): Promise<BatchOutcome<R>[]> {
    const outcomes: BatchOutcome<R>[] = [];
    const txs: LedgerTransaction[] = [];
    const runner = this.db.createQueryRunner();
    try {
      if (items.length === 1) {
        // a batch of one needs no savepoint
        try {
          return [
            {
              ok: true,
              result: await this.executeAlone(items[0].envelope, items[0].handler),
              replayed: false,
            },
          ];
        } catch (error) {
          return [{ ok: false, error }];
        }
      }
      await runner.connect();
      await runner.startTransaction('READ COMMITTED');
      for (const item of items) {
        let prepared: Prepared;
        try {
          prepared = this.prepare(item.envelope);
        } catch (e) {
          outcomes.push({ ok: false, error: e });
          continue;
        }
        for (let attempt = 0; ; attempt++) {
          await runner.query('SAVEPOINT ledger_command');
          try {
            const outcome = await this.runOne(runner, prepared, item.handler);
            // no RELEASE (a round trip saved): the next command's SAVEPOINT of the same name nests
            // inside this one, and ROLLBACK TO always goes back to the newest, its own; COMMIT ends all
            if (!outcome.replayed) txs.push(outcome.tx);
            outcomes.push({ ok: true, result: outcome.result, replayed: outcome.replayed });
            break;
          } catch (e) {
            await runner.query('ROLLBACK TO SAVEPOINT ledger_command');
            const mapped = mapDatabaseError(e);
            if (
              isDomainError(mapped) &&
              mapped.code === 'CONFLICT' &&
              attempt < this.env.LEDGER_COMMAND_RETRIES
            )
              continue;
            outcomes.push({ ok: false, error: mapped });
            break;
          }
        }
      }
      await this.commit(runner);
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      const failure = isDomainError(e) ? e : mapDatabaseError(e);
      const error = isDomainError(failure)
        ? failure
        : new DomainError(
            'SERVICE_UNAVAILABLE',
            'the batch could not be committed; retry with the same idempotency keys',
          );
      return items.map(() => ({ ok: false, error }));
    } finally {
      await runner.release().catch(() => undefined);
    }
    for (const tx of txs) await this.runHooks(tx);
    return outcomes;
  }

  private prepare(envelope: CommandEnvelope): Prepared {
    const now = this.clock.now();
    const occurredAt = envelope.occurredAt ?? now;
    if (Number.isNaN(occurredAt.getTime()))
      throw DomainError.badInput('occurredAt', 'occurredAt: not a valid instant');
    const skewMs = this.env.LEDGER_MAX_CLOCK_SKEW_SECONDS * 1000;
    if (occurredAt.getTime() > now.getTime() + skewMs) {
      throw DomainError.badInput(
        'occurredAt',
        `occurredAt ${occurredAt.toISOString()} lies in the future (more than ${this.env.LEDGER_MAX_CLOCK_SKEW_SECONDS} s ahead of the server)`,
      );
    }
    if (envelope.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(envelope.idempotencyKey)) {
      throw DomainError.badInput(
        'idempotencyKey',
        'idempotencyKey: 1 to 128 characters of letters, digits and . _ : @ / -',
      );
    }
    const requestHash = createHash('sha256')
      .update(stableRequestText({ act: envelope.act, request: envelope.request ?? null }))
      .digest();
    return { envelope, now, occurredAt, requestHash };
  }

  private async runOne<R>(
    runner: QueryRunner,
    p: Prepared,
    handler: CommandHandler<R>,
  ): Promise<{ replayed: true; result: R } | { replayed: false; result: R; tx: LedgerTransaction }> {
    const sql = new RunnerSql(runner);
    const commandId = randomUUID();
    const key = p.envelope.idempotencyKey;
    // an xid before any position is drawn: checkpoints rely on it (see checkpoint.service.ts);
    // with an idempotency key, the command-log insert below is that first write
    if (key === undefined) await sql.rows('SELECT pg_current_xact_id()');
    const actor = p.envelope.idempotencyScope ?? actorKey(p.envelope.actor);
    if (key !== undefined) {
      const inserted = await sql.exec(
        `INSERT INTO ledger_command (actor_key, idempotency_key, act, request_hash, command_id, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_key, idempotency_key) DO NOTHING`,
        [actor, key, p.envelope.act, p.requestHash, commandId, p.now],
      );
      if (inserted === 0) {
        const first = await sql.one<{ request_hash: Buffer; result: R; act: string }>(
          `SELECT request_hash, result, act FROM ledger_command WHERE actor_key = $1 AND idempotency_key = $2`,
          [actor, key],
        );
        if (!first || !first.request_hash.equals(p.requestHash)) {
          throw new DomainError(
            'IDEMPOTENCY_KEY_REUSED',
            `idempotencyKey ${key} was already used for a different request (${first?.act ?? 'unknown'})`,
            { field: 'idempotencyKey' },
          );
        }
        return { replayed: true, result: first.result };
      }
    }
    const tx = new LedgerTransaction(sql, {
      actor: p.envelope.actor,
      commandId,
      correlationId: p.envelope.correlationId ?? null,
      occurredAt: p.occurredAt,
      now: p.now,
      offline: p.envelope.offline ?? false,
      maxEventBytes: this.env.LEDGER_MAX_EVENT_BYTES,
      registry: this.registry,
      projections: this.projections,
    });
    const raw = await handler(tx);
    let result = (raw === undefined ? null : JSON.parse(JSON.stringify(raw))) as R;
    if (key !== undefined) {
      // returned as stored, so that the first answer and every replay are the same JSON
      const stored = await sql.one<{ result: R }>(
        `UPDATE ledger_command SET result = $3 WHERE actor_key = $1 AND idempotency_key = $2 RETURNING result`,
        [actor, key, JSON.stringify(result)],
      );
      result = stored!.result;
    }
    return { replayed: false, result, tx };
  }

  private async commit(runner: QueryRunner): Promise<void> {
    try {
      await runner.commitTransaction();
    } catch (e) {
      const mapped = mapDatabaseError(e);
      if (isDomainError(mapped)) throw mapped;
      this.log.error({ err: e }, 'COMMIT failed');
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'the ledger could not commit; retry with the same idempotency key',
      );
    }
  }

  private async runHooks(tx: LedgerTransaction): Promise<void> {
    for (const hook of tx.hooks()) {
      try {
        await hook();
      } catch (e) {
        this.log.warn({ err: e }, 'after-commit hook failed');
      }
    }
  }
}
