import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../../config/env';
import { RunnerSql } from '../../database/sql';
import { Clock } from '../../shared/clock';
import { merkleRoot } from '../domain/merkle';
import {
  CHECKPOINT_FORMAT,
  type CheckpointStatement,
  signStatement,
  statementBytes,
  statementHash,
} from './checkpoint-statement';
import { loadSigningKey, type SigningKey } from './signing-key';

/** At most this many events per checkpoint; a larger backlog is sealed as several. */
const MAX_LEAVES = 50_000;
const LOCK_KEY = 'hazledger-ledger-checkpoint';

export interface Candidate {
  /** The last position drawn from the sequence when the candidate was taken. */
  lastPosition: number;
  /** A transaction id taken after the sequence was read: every position up to `lastPosition` has a smaller one. */
  xmax: string;
}

export interface SealedCheckpoint {
  checkpointNo: number;
  firstPosition: number;
  lastPosition: number;
  treeSize: number;
}

/**
 * Checkpoints (检查点): periodically seals a range of global positions under a signed Merkle root.
 *
 * Positions are drawn when an event is inserted, not when its transaction commits, so a later
 * position can become visible before an earlier one. A range is sealed only once every
 * transaction that could hold a position in it has finished: the candidate records the
 * sequence's last value, and then takes a fresh transaction id X (larger than every id assigned
 * before it); every append transaction takes its id before drawing a position
 * (ledger.service.ts), so any position up to that value belongs to a transaction with an id
 * below X, and once the oldest running transaction (the snapshot's xmin) is at or past X, no
 * position up to that value can still appear.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Checkpoints');
  private key?: SigningKey;
  private candidate?: Candidate;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.signingKey();
    const enabled = this.env.LEDGER_CHECKPOINTS ?? this.env.NODE_ENV !== 'test';
    if (!enabled) return;
    const every = Math.max(100, Math.min(1000, Math.floor(this.env.LEDGER_CHECKPOINT_INTERVAL_MS / 2)));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((e: unknown) => this.log.warn({ err: e }, 'checkpoint tick failed'))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** The signing key, registered in `ledger_signing_key` on first use. */
  async signingKey(): Promise<SigningKey> {
    if (this.key) return this.key;
    const key = loadSigningKey({
      configured: this.env.LEDGER_SIGNING_KEY,
      keyId: this.env.LEDGER_SIGNING_KEY_ID,
      nodeEnv: this.env.NODE_ENV,
      dataDir: this.env.DATA_DIR,
      warn: (m) => this.log.warn(m),
    });
    await this.db.query(
      `INSERT INTO ledger_signing_key (key_id, algorithm, public_key, registered_at) VALUES ($1, 'Ed25519', $2, $3)
       ON CONFLICT (key_id) DO NOTHING`,
      [key.keyId, key.publicKeyRaw, this.clock.now()],
    );
    const [stored] = await this.db.query<{ public_key: Buffer }[]>(
      `SELECT public_key FROM ledger_signing_key WHERE key_id = $1`,
      [key.keyId],
    );
    if (!stored.public_key.equals(key.publicKeyRaw)) {
      throw new Error(`ledger signing key id ${key.keyId} is already registered with another public key`);
    }
    this.key = key;
    return key;
  }

  /** One scheduler step: promote the previous candidate if it is safe and due, then take a new one. */
  async tick(): Promise<void> {
    if (this.candidate && (await this.isSafe(this.candidate)) && (await this.isDue(this.candidate))) {
      await this.sealUpTo(this.candidate.lastPosition);
    }
    this.candidate = await this.takeCandidate();
  }

  /**
   * Seals everything appended so far, waiting for transactions in flight to finish (CLI and tests).
   * Transaction ids are cluster-wide: a long transaction in ANOTHER database of the same cluster
   * (a test run's parallel suites creating their databases, say) holds the wait too, hence the
   * generous default.
   */
  async sealNow(timeoutMs = 30_000): Promise<SealedCheckpoint[]> {
    const candidate = await this.takeCandidate();
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isSafe(candidate))) {
      if (Date.now() > deadline) throw new Error('timed out waiting for transactions in flight to finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.sealUpTo(candidate.lastPosition);
  }

  /** The sequence's last value first, THEN the snapshot's xmax, in two statements: the order matters. */
  async takeCandidate(): Promise<Candidate> {
    const [seq] = await this.db.query<{ last: string | null }[]>(
      `SELECT pg_sequence_last_value('ledger_event_position_seq'::regclass)::text AS last`,
    );
    // a fresh transaction id, larger than every id assigned so far (a snapshot's xmax is not: it is
    // the latest COMPLETED id + 1, below the ids of transactions still running)
    const [snap] = await this.db.query<{ xmax: string }[]>(`SELECT pg_current_xact_id()::text AS xmax`);
    return { lastPosition: Number(seq.last ?? 0), xmax: snap.xmax };
  }

  async isSafe(c: Candidate): Promise<boolean> {
    const [r] = await this.db.query<{ safe: boolean }[]>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS safe`,
      [c.xmax],
    );
    return r.safe;
  }

  private async isDue(c: Candidate): Promise<boolean> {
    const [last] = await this.db.query<{ last: string | null }[]>(
      `SELECT max(last_position)::text AS last FROM ledger_checkpoint`,
    );
    const sealed = Number(last.last ?? 0);
    if (c.lastPosition <= sealed) return false;
    if (c.lastPosition - sealed >= this.env.LEDGER_CHECKPOINT_EVERY_EVENTS) return true;
    const [oldest] = await this.db.query<{ recorded_at: Date }[]>(
      `SELECT recorded_at FROM ledger_event WHERE position > $1 ORDER BY position LIMIT 1`,
      [sealed],
    );
    return (
      !!oldest &&
      this.clock.now().getTime() - oldest.recorded_at.getTime() >= this.env.LEDGER_CHECKPOINT_INTERVAL_MS
    );
  }

  /** Seals (last sealed, limit] as one or more checkpoints. Only one process at a time (advisory lock). */
  async sealUpTo(limit: number): Promise<SealedCheckpoint[]> {
    const key = await this.signingKey();
    const sealed: SealedCheckpoint[] = [];
    for (;;) {
      const runner = this.db.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction('READ COMMITTED');
        const sql = new RunnerSql(runner);
        const lock = await sql.one<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok`, [
          LOCK_KEY,
        ]);
        if (!lock?.ok) {
          await runner.rollbackTransaction();
          return sealed;
        }
        const prev = await sql.one<{ checkpoint_no: string; last_position: string; statement: Buffer }>(
          `SELECT checkpoint_no, last_position, statement FROM ledger_checkpoint ORDER BY checkpoint_no DESC LIMIT 1`,
        );
        const from = Number(prev?.last_position ?? 0);
        const leaves = await sql.rows<{ position: string; hash: Buffer }>(
          `SELECT position, hash FROM ledger_event WHERE position > $1 AND position <= $2 ORDER BY position LIMIT ${MAX_LEAVES}`,
          [from, limit],
        );
        if (leaves.length === 0) {
          await runner.rollbackTransaction();
          return sealed;
        }
        const statement: CheckpointStatement = {
          format: CHECKPOINT_FORMAT,
          checkpointNo: Number(prev?.checkpoint_no ?? 0) + 1,
          firstPosition: from + 1,
          lastPosition: leaves.length === MAX_LEAVES ? Number(leaves[leaves.length - 1].position) : limit,
          treeSize: leaves.length,
          root: merkleRoot(leaves.map((l) => l.hash)).toString('hex'),
          previous: prev ? statementHash(prev.statement).toString('hex') : null,
          sealedAt: this.clock.now().toISOString(),
          keyId: key.keyId,
        };
        const bytes = statementBytes(statement);
        await sql.exec(
          `INSERT INTO ledger_checkpoint (checkpoint_no, first_position, last_position, tree_size, leaf_positions, leaf_hashes,
                                          root, previous_hash, statement, key_id, signature, sealed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            statement.checkpointNo,
            statement.firstPosition,
            statement.lastPosition,
            statement.treeSize,
            leaves.map((l) => l.position),
            Buffer.concat(leaves.map((l) => l.hash)),
            Buffer.from(statement.root, 'hex'),
            statement.previous ? Buffer.from(statement.previous, 'hex') : null,
            bytes,
            key.keyId,
            signStatement(bytes, key.privateKey),
            statement.sealedAt,
          ],
        );
        await runner.commitTransaction();
        sealed.push(statement);
        if (statement.lastPosition >= limit) return sealed;
      } catch (e) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw e;
      } finally {
        await runner.release();
      }
    }
  }
}
