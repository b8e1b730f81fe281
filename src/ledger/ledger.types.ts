import type { Actor } from '../shared/domain/actor';

/** An event as a capability hands it to the ledger. Data is plain JSON (see canonical-json.ts). */
export interface NewEvent {
  readonly type: string;
  readonly data: object;
  readonly schemaVersion?: number;
}

/** An event as stored: the envelope the ledger added, and the hash chain. */
export interface StoredEvent<D = Record<string, unknown>> {
  position: number;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: D;
  actor: Actor;
  occurredAt: Date;
  recordedAt: Date;
  commandId: string;
  correlationId: string | null;
  offline: boolean;
  prevHash: string | null;
  hash: string;
}

/** What a command brings besides its handler: who, when, and how to recognise a retry. */
export interface CommandEnvelope {
  /** Business name of the act (e.g. `generateLots`), for the command log and attempt log. */
  readonly act: string;
  readonly actor: Actor;
  /** Scoped to the actor: the same key with the same request returns the first result. */
  readonly idempotencyKey?: string;
  /** Overrides the actor as the scope of the idempotency key (e.g. a self-registration, whose user is new). */
  readonly idempotencyScope?: string;
  /** The request as the client sent it; its canonical hash tells a retry from a reuse. */
  readonly request?: unknown;
  /** Business time; defaults to the record time. */
  readonly occurredAt?: Date;
  /** The act was made offline and synced later. */
  readonly offline?: boolean;
  readonly correlationId?: string;
}

export interface StreamSnapshot {
  streamId: string;
  streamType: string | null;
  /** 0 when the stream does not exist yet. */
  version: number;
  lastOccurredAt: Date | null;
  events: StoredEvent[];
}

/** The outcome of one command of a batch. */
export type BatchOutcome<R> = { ok: true; result: R; replayed: boolean } | { ok: false; error: unknown };
