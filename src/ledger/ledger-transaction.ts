import type { RunnerSql } from '../database/sql';
import type { Actor } from '../shared/domain/actor';
import type { CommandMeta } from '../shared/domain/decider';
import { DomainError } from '../shared/domain/domain-error';
import { ALERT_RAISED_TOPIC, ALERT_STREAM_TYPE, type AlertInput, alertId } from './alerts/alert';
import { COUNTER_STREAM_TYPE } from './counters';
import { CanonicalJsonError } from './domain/canonical-json';
import { type EventContent, sealEvent } from './domain/event-envelope';
import type { EventRegistry } from './event-registry';
import type { NewEvent, StoredEvent, StreamSnapshot } from './ledger.types';
import type { ProjectionRegistry } from './projections/projection';
import { NOTIFY_CHANNEL } from './notifications';

export interface TransactionContext {
  readonly actor: Actor;
  readonly commandId: string;
  readonly correlationId: string | null;
  readonly occurredAt: Date;
  readonly now: Date;
  readonly offline: boolean;
  readonly maxEventBytes: number;
  readonly registry: EventRegistry;
  readonly projections: ProjectionRegistry;
}

interface EventRow {
  position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_type: string;
  schema_version: number;
  payload: Record<string, unknown>;
  actor: Actor;
  occurred_at: Date;
  recorded_at: Date;
  command_id: string;
  correlation_id: string | null;
  offline: boolean;
  prev_hash: Buffer | null;
  hash: Buffer;
}

export const EVENT_COLUMNS = `position, stream_id, stream_type, version, event_type, schema_version, payload, actor,
  occurred_at, recorded_at, command_id, correlation_id, offline, prev_hash, hash`;

export function toStoredEvent(r: EventRow): StoredEvent {
  return {
    position: Number(r.position),
    streamId: r.stream_id,
    streamType: r.stream_type,
    version: r.version,
    type: r.event_type,
    schemaVersion: r.schema_version,
    data: r.payload,
    actor: r.actor,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    commandId: r.command_id,
    correlationId: r.correlation_id,
    offline: r.offline,
    prevHash: r.prev_hash ? r.prev_hash.toString('hex') : null,
    hash: r.hash.toString('hex'),
  };
}

interface HeadRow {
  stream_id: string;
  stream_type: string;
  version: number;
  last_hash: Buffer;
  last_occurred_at: Date;
}

/**
 * Streams kept by the ledger itself, whose order is the order of commits, not of business time:
 * two store-ins whose business times cross must both move a storage spot's counter.
 */
const BOOKKEEPING_STREAMS = new Set([COUNTER_STREAM_TYPE, ALERT_STREAM_TYPE]);

const conflict = (streamId: string, expected: number, actual: number) =>
  new DomainError(
    'CONFLICT',
    `stream ${streamId} is at version ${actual}, not ${expected}: it changed meanwhile`,
    {
      streamId,
      expectedVersion: expected,
      actualVersion: actual,
    },
  );

/**
 * One command's view of the ledger inside its database transaction: read streams (locking them
 * by default, in a fixed order when several), append with compare-and-set, raise alerts. Every
 * append runs the projections in the same transaction. Nothing else writes to `ledger_event`.
 */
export class LedgerTransaction {
  readonly appended: StoredEvent[] = [];
  private readonly afterCommitHooks: (() => void | Promise<void>)[] = [];

  constructor(
    readonly sql: RunnerSql,
    private readonly ctx: TransactionContext,
  ) {}

  get actor(): Actor {
    return this.ctx.actor;
  }
  get now(): Date {
    return this.ctx.now;
  }
  get occurredAt(): Date {
    return this.ctx.occurredAt;
  }
  get commandId(): string {
    return this.ctx.commandId;
  }

  /** The metadata a decider's command carries. */
  meta(): CommandMeta {
    return {
      actor: this.ctx.actor,
      occurredAt: this.ctx.occurredAt,
      now: this.ctx.now,
      offline: this.ctx.offline,
    };
  }

  /**
   * Publishes a notification to every API process (GraphQL subscriptions), delivered only if and
   * when this transaction commits. Send ids, not documents (PostgreSQL limits NOTIFY to 8000 bytes).
   */
  async notify(topic: string, payload: Record<string, unknown>): Promise<void> {
    await this.sql.rows(`SELECT pg_notify($1, $2)`, [NOTIFY_CHANNEL, JSON.stringify({ topic, payload })]);
  }

  /** Runs after a successful commit (notifications); never inside the transaction. */
  afterCommit(hook: () => void | Promise<void>): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal */
  hooks(): readonly (() => void | Promise<void>)[] {
    return this.afterCommitHooks;
  }

  /**
   * Reads streams oldest event first. With `lock` (the default), their heads are locked in
   * stream-id order until commit, so that concurrent commands on them run one after the other.
   */
  async readStreams(
    streamIds: readonly string[],
    opts: { lock?: boolean } = {},
  ): Promise<Map<string, StreamSnapshot>> {
    const ids = [...new Set(streamIds)].sort();
    const heads = await this.sql.rows<HeadRow>(
      `SELECT stream_id, stream_type, version, last_hash, last_occurred_at FROM ledger_stream
        WHERE stream_id = ANY($1) ORDER BY stream_id ${opts.lock === false ? '' : 'FOR UPDATE'}`,
      [ids],
    );
    const events = await this.sql.rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_event WHERE stream_id = ANY($1) ORDER BY stream_id, version`,
      [ids],
    );
    const out = new Map<string, StreamSnapshot>();
    for (const id of ids)
      out.set(id, { streamId: id, streamType: null, version: 0, lastOccurredAt: null, events: [] });
    for (const h of heads) {
      const s = out.get(h.stream_id)!;
      s.streamType = h.stream_type;
      s.version = h.version;
      s.lastOccurredAt = h.last_occurred_at;
    }
    for (const e of events) {
      const s = out.get(e.stream_id)!;
      if (e.version <= s.version) s.events.push(toStoredEvent(e));
    }
    return out;
  }

  async readStream(streamId: string, opts: { lock?: boolean } = {}): Promise<StreamSnapshot> {
    return (await this.readStreams([streamId], opts)).get(streamId)!;
  }

  /** Folds a stream into a decider's state. */
  async load<S, E>(
    streamId: string,
    fold: { initialState: () => S; evolve: (s: S, e: E) => S },
    opts: { lock?: boolean } = {},
  ): Promise<{ state: S; version: number }> {
    const snap = await this.readStream(streamId, opts);
    const state = snap.events.reduce(
      (s, e) => fold.evolve(s, { type: e.type, data: e.data } as E),
      fold.initialState(),
    );
    return { state, version: snap.version };
  }

  /**
   * Appends events to one stream if it is still at `expectedVersion` (0: the stream must not
   * exist yet); otherwise `CONFLICT`. Refuses an act dated before the stream's latest event
   * unless the command says it was made offline.
   */
  async append(
    streamId: string,
    streamType: string,
    expectedVersion: number,
    events: readonly NewEvent[],
  ): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    let head: HeadRow | undefined;
    if (expectedVersion === 0) {
      // a new stream: its first event's (stream_id, version 1) and its head are unique, so a
      // stream that exists — or is being created by a concurrent transaction, which we then
      // wait for — fails the insert, and the ledger answers CONFLICT
    } else {
      head = await this.sql.one<HeadRow>(
        `SELECT stream_id, stream_type, version, last_hash, last_occurred_at FROM ledger_stream WHERE stream_id = $1 FOR UPDATE`,
        [streamId],
      );
      if (!head || head.version !== expectedVersion)
        throw conflict(streamId, expectedVersion, head?.version ?? 0);
      if (head.stream_type !== streamType) {
        throw new Error(`stream ${streamId} is a ${head.stream_type}, not a ${streamType}`);
      }
      if (
        this.ctx.occurredAt < head.last_occurred_at &&
        !this.ctx.offline &&
        !BOOKKEEPING_STREAMS.has(streamType)
      ) {
        throw DomainError.badInput(
          'occurredAt',
          `occurredAt ${this.ctx.occurredAt.toISOString()} is earlier than the latest act on this record ` +
            `(${head.last_occurred_at.toISOString()}); only an act made offline may be dated before it`,
        );
      }
    }
    return this.insertEvents(
      streamId,
      streamType,
      expectedVersion,
      head?.last_hash ?? null,
      events,
      expectedVersion > 0,
    );
  }

  /**
   * Raises an alert with a deterministic identity: if it was raised before (or is being raised
   * by a concurrent transaction that commits), nothing is appended.
   */
  async raiseAlert(alert: AlertInput): Promise<{ alertId: string; raised: boolean }> {
    const id = alertId(alert);
    if (!(await this.createHead(id, ALERT_STREAM_TYPE))) return { alertId: id, raised: false };
    const [raised] = await this.insertEvents(
      id,
      ALERT_STREAM_TYPE,
      0,
      null,
      [
        {
          type: 'AlertRaised',
          data: {
            alertId: id,
            rule: alert.rule,
            subjectType: alert.subjectType,
            subjectId: alert.subjectId,
            period: alert.period,
            severity: alert.severity,
            region: alert.region,
            evidence: alert.evidence,
            partyIds: alert.partyIds ?? [],
          },
        },
      ],
      true,
    );
    await this.notify(ALERT_RAISED_TOPIC, {
      alertId: id,
      position: raised.position,
      region: alert.region,
      partyIds: alert.partyIds ?? [],
    });
    return { alertId: id, raised: true };
  }

  /** Inserts a placeholder head for a new stream; false when the stream exists (waits for a concurrent creator). */
  private async createHead(streamId: string, streamType: string): Promise<boolean> {
    const n = await this.sql.exec(
      `INSERT INTO ledger_stream (stream_id, stream_type, version, last_hash, last_occurred_at, last_position)
       VALUES ($1, $2, 0, '\\x', $3, 0) ON CONFLICT (stream_id) DO NOTHING`,
      [streamId, streamType, this.ctx.occurredAt],
    );
    return n === 1;
  }

  private async insertEvents(
    streamId: string,
    streamType: string,
    fromVersion: number,
    prevHash: Buffer | null,
    events: readonly NewEvent[],
    headExists: boolean,
  ): Promise<StoredEvent[]> {
    const recordedAt = this.ctx.now.toISOString();
    const occurredAt = this.ctx.occurredAt.toISOString();
    const params: unknown[] = [];
    const tuples: string[] = [];
    let prev = prevHash;
    events.forEach((e, i) => {
      const schemaVersion = this.ctx.registry.schemaVersion(streamType, e.type);
      const content: EventContent = {
        streamId,
        streamType,
        version: fromVersion + i + 1,
        type: e.type,
        schemaVersion,
        data: e.data as Record<string, unknown>,
        actor: this.ctx.actor,
        occurredAt,
        recordedAt,
        commandId: this.ctx.commandId,
        correlationId: this.ctx.correlationId,
        offline: this.ctx.offline,
        prevHash: prev ? prev.toString('hex') : null,
      };
      let sealed;
      try {
        sealed = sealEvent(content);
      } catch (err) {
        if (err instanceof CanonicalJsonError) {
          throw new Error(`event ${e.type} is not canonical JSON (${err.message}): a bug in the capability`);
        }
        throw err;
      }
      if (sealed.canonical.length > this.ctx.maxEventBytes) {
        throw new DomainError(
          'PAYLOAD_TOO_LARGE',
          `the ${e.type} record is ${sealed.canonical.length} bytes, over the ledger's limit of ${this.ctx.maxEventBytes}`,
          { limitBytes: this.ctx.maxEventBytes },
        );
      }
      const b = params.length;
      params.push(
        streamId,
        streamType,
        content.version,
        e.type,
        schemaVersion,
        JSON.stringify(e.data),
        sealed.canonical,
        JSON.stringify(this.ctx.actor),
        occurredAt,
        recordedAt,
        this.ctx.commandId,
        this.ctx.correlationId,
        this.ctx.offline,
        prev,
        sealed.hash,
      );
      tuples.push(`(${Array.from({ length: 15 }, (_, k) => `$${b + k + 1}`).join(', ')})`);
      prev = sealed.hash;
    });
    // the events and the stream's head in ONE statement (a round trip per append saved): the head
    // takes the last event's position from the insert's RETURNING; a concurrent creator of the
    // same new stream fails either unique key, and the ledger answers CONFLICT as before
    const h = params.length;
    params.push(streamId, streamType, fromVersion + events.length, prev, occurredAt);
    const head = headExists
      ? `UPDATE ledger_stream SET version = $${h + 3}::int, last_hash = $${h + 4}::bytea,
                last_occurred_at = GREATEST(last_occurred_at, $${h + 5}::timestamptz),
                last_position = (SELECT max(position) FROM appended)
          WHERE stream_id = $${h + 1}::text AND stream_type = $${h + 2}::text`
      : `INSERT INTO ledger_stream (stream_id, stream_type, version, last_hash, last_occurred_at, last_position)
         SELECT $${h + 1}::text, $${h + 2}::text, $${h + 3}::int, $${h + 4}::bytea, $${h + 5}::timestamptz, max(position)
           FROM appended`;
    const rows = await this.sql.rows<EventRow>(
      `WITH appended AS (
         INSERT INTO ledger_event (stream_id, stream_type, version, event_type, schema_version, payload, canonical, actor,
                                   occurred_at, recorded_at, command_id, correlation_id, offline, prev_hash, hash)
         VALUES ${tuples.join(', ')} RETURNING ${EVENT_COLUMNS}
       ), head AS (${head})
       SELECT * FROM appended`,
      params,
    );
    const stored = rows.map(toStoredEvent).sort((a, b) => a.version - b.version);
    for (const e of stored) {
      await this.ctx.projections.apply(this.sql, e);
      this.appended.push(e);
    }
    return stored;
  }
}
