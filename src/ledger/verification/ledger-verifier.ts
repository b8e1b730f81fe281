import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Sql } from '../../database/sql';
import {
  type CheckpointStatement,
  statementHash,
  verifyStatement,
} from '../checkpoints/checkpoint-statement';
import { canonicalBytes, canonicalize } from '../domain/canonical-json';
import { EVENT_FORMAT, parseCanonical, sha256 } from '../domain/event-envelope';
import { merkleRoot } from '../domain/merkle';

export type ProblemKind =
  | 'EVENT_HASH_MISMATCH'
  | 'EVENT_CONTENT_MISMATCH'
  | 'STREAM_VERSION_GAP'
  | 'STREAM_CHAIN_BROKEN'
  | 'EVENT_DELETED'
  | 'EVENT_CHANGED_AFTER_SEAL'
  | 'EVENT_NOT_SEALED'
  | 'STREAM_HEAD_MISMATCH'
  | 'CHECKPOINT_MISSING'
  | 'CHECKPOINT_CHAIN_BROKEN'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_STATEMENT_MISMATCH';

export interface VerificationProblem {
  /** Global position of the event (or of the first position of the checkpoint) where it differs. */
  position: number;
  kind: ProblemKind;
  streamId: string | null;
  message: string;
}

export interface VerificationReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  checkpointsChecked: number;
  /** Every position up to this one is sealed by a signed checkpoint. */
  sealedThroughPosition: number;
  /** Events after the last checkpoint: their chains are checked, but their presence is not yet verifiable. */
  unsealedEvents: number;
  firstProblem: VerificationProblem | null;
  problemCount: number;
  /** The first problems by position (at most 100). */
  problems: VerificationProblem[];
}

interface EventRow {
  position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_type: string;
  schema_version: number;
  payload: unknown;
  canonical: Buffer;
  actor: unknown;
  occurred_at: Date;
  recorded_at: Date;
  command_id: string;
  correlation_id: string | null;
  offline: boolean;
  prev_hash: Buffer | null;
  hash: Buffer;
}

interface CheckpointRow {
  checkpoint_no: string;
  first_position: string;
  last_position: string;
  tree_size: number;
  leaf_positions: string[];
  leaf_hashes: Buffer;
  root: Buffer;
  previous_hash: Buffer | null;
  statement: Buffer;
  key_id: string;
  signature: Buffer;
}

const BATCH = 5000;

export const publicKeyFromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

/** The sealed leaves of one checkpoint, walked alongside the events in position order. */
class SealedRange {
  index = 0;
  constructor(readonly cp: CheckpointRow) {}
  get last(): number {
    return Number(this.cp.last_position);
  }
  positionAt(i: number): number {
    return Number(this.cp.leaf_positions[i]);
  }
  hashAt(i: number): Buffer {
    return this.cp.leaf_hashes.subarray(i * 32, i * 32 + 32);
  }
}

/**
 * Recomputes every event's hash from its stored canonical bytes, every stream's chain and every
 * checkpoint (signature, Merkle root, chain of statements, and the exact set of sealed events),
 * and reports where anything differs, by global position.
 */
export async function verifyLedger(sql: Sql): Promise<VerificationReport> {
  const problems: VerificationProblem[] = [];
  const add = (p: VerificationProblem) => problems.push(p);

  const keys = new Map<string, KeyObject>();
  for (const k of await sql.rows<{ key_id: string; public_key: Buffer }>(
    `SELECT key_id, public_key FROM ledger_signing_key`,
  )) {
    keys.set(k.key_id, publicKeyFromRaw(k.public_key));
  }
  const checkpoints = await sql.rows<CheckpointRow>(`SELECT * FROM ledger_checkpoint ORDER BY checkpoint_no`);
  checkCheckpoints(checkpoints, keys, add);

  const ranges = checkpoints.map((c) => new SealedRange(c));
  let r = 0;
  const sealedThrough = checkpoints.length ? Number(checkpoints[checkpoints.length - 1].last_position) : 0;
  const heads = new Map<string, { version: number; hash: Buffer; position: number }>();
  let eventsChecked = 0;
  let unsealed = 0;

  /** Reports the sealed leaves of range `rg` below `position` that no event matched: deleted events. */
  const drainMissing = (rg: SealedRange, below: number) => {
    while (rg.index < rg.cp.tree_size && rg.positionAt(rg.index) < below) {
      add({
        position: rg.positionAt(rg.index),
        kind: 'EVENT_DELETED',
        streamId: null,
        message: 'a sealed event is missing',
      });
      rg.index++;
    }
  };

  for (let after = 0; ;) {
    const batch = await sql.rows<EventRow>(
      `SELECT position, stream_id, stream_type, version, event_type, schema_version, payload, canonical, actor, occurred_at,
              recorded_at, command_id, correlation_id, offline, prev_hash, hash
         FROM ledger_event WHERE position > $1 ORDER BY position LIMIT ${BATCH}`,
      [after],
    );
    if (batch.length === 0) break;
    for (const e of batch) {
      const position = Number(e.position);
      eventsChecked++;
      checkEvent(e, position, add);
      const head = heads.get(e.stream_id);
      const expectedVersion = (head?.version ?? 0) + 1;
      if (e.version !== expectedVersion) {
        add({
          position,
          kind: 'STREAM_VERSION_GAP',
          streamId: e.stream_id,
          message: `version ${e.version} follows version ${head?.version ?? 0}: events are missing`,
        });
      } else if (!sameHash(e.prev_hash, head?.hash ?? null)) {
        add({
          position,
          kind: 'STREAM_CHAIN_BROKEN',
          streamId: e.stream_id,
          message: 'prev_hash is not the hash of the previous event',
        });
      }
      heads.set(e.stream_id, { version: e.version, hash: e.hash, position });

      while (r < ranges.length && position > ranges[r].last) {
        drainMissing(ranges[r], Number.POSITIVE_INFINITY);
        r++;
      }
      if (r < ranges.length && position >= Number(ranges[r].cp.first_position)) {
        const rg = ranges[r];
        drainMissing(rg, position);
        if (rg.index < rg.cp.tree_size && rg.positionAt(rg.index) === position) {
          if (!rg.hashAt(rg.index).equals(e.hash)) {
            add({
              position,
              kind: 'EVENT_CHANGED_AFTER_SEAL',
              streamId: e.stream_id,
              message: 'the hash differs from the sealed one',
            });
          }
          rg.index++;
        } else {
          add({
            position,
            kind: 'EVENT_NOT_SEALED',
            streamId: e.stream_id,
            message: 'an event inside a sealed range that the checkpoint does not hold',
          });
        }
      } else if (position > sealedThrough) {
        unsealed++;
      }
    }
    after = Number(batch[batch.length - 1].position);
  }
  for (; r < ranges.length; r++) drainMissing(ranges[r], Number.POSITIVE_INFINITY);

  for (const h of await sql.rows<{
    stream_id: string;
    version: number;
    last_hash: Buffer;
    last_position: string;
  }>(`SELECT stream_id, version, last_hash, last_position FROM ledger_stream WHERE version > 0`)) {
    const seen = heads.get(h.stream_id);
    if (!seen || seen.version !== h.version || !seen.hash.equals(h.last_hash)) {
      add({
        position: Number(h.last_position),
        kind: 'STREAM_HEAD_MISMATCH',
        streamId: h.stream_id,
        message: `the stream head says version ${h.version}, the events end at version ${seen?.version ?? 0}`,
      });
    }
  }

  problems.sort((a, b) => a.position - b.position);
  return {
    ok: problems.length === 0,
    eventsChecked,
    streamsChecked: heads.size,
    checkpointsChecked: checkpoints.length,
    sealedThroughPosition: sealedThrough,
    unsealedEvents: unsealed,
    firstProblem: problems[0] ?? null,
    problemCount: problems.length,
    problems: problems.slice(0, 100),
  };
}

const sameHash = (a: Buffer | null, b: Buffer | null) =>
  a === null || a.length === 0 ? b === null : b !== null && a.equals(b);

/** The event's columns serialised as the append path does (undefined when they cannot be). */
function reserialised(e: EventRow): Buffer | undefined {
  try {
    return canonicalBytes({
      format: EVENT_FORMAT,
      streamId: e.stream_id,
      streamType: e.stream_type,
      version: e.version,
      type: e.event_type,
      schemaVersion: e.schema_version,
      data: e.payload,
      actor: e.actor,
      occurredAt: e.occurred_at.toISOString(),
      recordedAt: e.recorded_at.toISOString(),
      commandId: e.command_id,
      correlationId: e.correlation_id,
      offline: e.offline,
      prevHash: e.prev_hash && e.prev_hash.length ? e.prev_hash.toString('hex') : null,
    });
  } catch {
    return undefined;
  }
}

/**
 * The stored hash is the SHA-256 of the stored bytes, and the columns say what the bytes say:
 * the columns are serialised again exactly as the append path did and must give the stored bytes
 * (one canonicalisation and one comparison per event; the column-naming diff runs only when they
 * differ).
 */
function checkEvent(e: EventRow, position: number, add: (p: VerificationProblem) => void): void {
  if (!sha256(e.canonical).equals(e.hash)) {
    add({
      position,
      kind: 'EVENT_HASH_MISMATCH',
      streamId: e.stream_id,
      message: 'the hash is not the SHA-256 of the stored canonical bytes',
    });
    return;
  }
  if (reserialised(e)?.equals(e.canonical)) return;
  let differs: string | undefined;
  try {
    const c = parseCanonical(e.canonical);
    const pairs: [string, unknown, unknown][] = [
      ['streamId', c.streamId, e.stream_id],
      ['streamType', c.streamType, e.stream_type],
      ['version', c.version, e.version],
      ['type', c.type, e.event_type],
      ['schemaVersion', c.schemaVersion, e.schema_version],
      ['occurredAt', c.occurredAt, e.occurred_at.toISOString()],
      ['recordedAt', c.recordedAt, e.recorded_at.toISOString()],
      ['commandId', c.commandId, e.command_id],
      ['correlationId', c.correlationId, e.correlation_id],
      ['offline', c.offline, e.offline],
      ['prevHash', c.prevHash, e.prev_hash && e.prev_hash.length ? e.prev_hash.toString('hex') : null],
      ['data', canonicalize(c.data), canonicalize(e.payload)],
      ['actor', canonicalize(c.actor), canonicalize(e.actor)],
    ];
    differs = pairs.find(([, a, b]) => a !== b)?.[0];
  } catch (err) {
    differs = `canonical bytes (${err instanceof Error ? err.message : String(err)})`;
  }
  if (differs) {
    add({
      position,
      kind: 'EVENT_CONTENT_MISMATCH',
      streamId: e.stream_id,
      message: `column ${differs} differs from the hashed content`,
    });
  }
}

function checkCheckpoints(
  cps: CheckpointRow[],
  keys: Map<string, KeyObject>,
  add: (p: VerificationProblem) => void,
): void {
  let previous: Buffer | null = null;
  let expectedFirst = 1;
  cps.forEach((cp, i) => {
    const position = Number(cp.first_position);
    const problem = (kind: ProblemKind, message: string) =>
      add({ position, kind, streamId: null, message: `checkpoint ${cp.checkpoint_no}: ${message}` });
    if (Number(cp.checkpoint_no) !== i + 1 || position !== expectedFirst) {
      problem('CHECKPOINT_MISSING', `expected checkpoint ${i + 1} from position ${expectedFirst}`);
    }
    const s = JSON.parse(cp.statement.toString('utf8')) as CheckpointStatement;
    if (
      s.checkpointNo !== Number(cp.checkpoint_no) ||
      s.firstPosition !== position ||
      s.lastPosition !== Number(cp.last_position) ||
      s.treeSize !== cp.tree_size ||
      s.root !== cp.root.toString('hex') ||
      s.keyId !== cp.key_id
    ) {
      problem('CHECKPOINT_STATEMENT_MISMATCH', 'its columns differ from its signed statement');
    }
    if ((s.previous ?? null) !== (previous ? statementHash(previous).toString('hex') : null)) {
      problem('CHECKPOINT_CHAIN_BROKEN', 'it does not name the previous checkpoint');
    }
    const key = keys.get(cp.key_id);
    if (!key || !verifyStatement(cp.statement, cp.signature, key))
      problem('CHECKPOINT_SIGNATURE_INVALID', `bad signature (key ${cp.key_id})`);
    const leaves = Array.from({ length: cp.tree_size }, (_, k) =>
      cp.leaf_hashes.subarray(k * 32, k * 32 + 32),
    );
    if (leaves.length === 0 || !merkleRoot(leaves).equals(Buffer.from(s.root, 'hex'))) {
      problem('CHECKPOINT_ROOT_MISMATCH', 'its sealed hashes do not give its signed root');
    }
    previous = cp.statement;
    expectedFirst = s.lastPosition + 1;
  });
}
