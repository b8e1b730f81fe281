import { createHash } from 'node:crypto';
import type { Actor } from '../../shared/domain/actor';
import { canonicalBytes } from './canonical-json';

/** The format tag inside every event's canonical bytes; a new layout gets a new tag. */
export const EVENT_FORMAT = 'hazledger-event/1';

/**
 * Everything an event's hash covers. Positions are not in it (the database assigns them); the
 * checkpoints' Merkle trees bind hashes to positions. Personal data is referenced by id only.
 */
export interface EventContent {
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  actor: Actor;
  /** Business time, ISO 8601 UTC with milliseconds. */
  occurredAt: string;
  /** Record time, ISO 8601 UTC with milliseconds, assigned by the application. */
  recordedAt: string;
  commandId: string;
  correlationId: string | null;
  offline: boolean;
  /** Hex SHA-256 of the previous event of the stream, null for the first. */
  prevHash: string | null;
}

export interface SealedContent {
  /** The exact bytes that were hashed and are stored. */
  canonical: Buffer;
  hash: Buffer;
}

export const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** Canonical bytes (with the format tag) and their SHA-256. */
export function sealEvent(content: EventContent): SealedContent {
  const canonical = canonicalBytes({ format: EVENT_FORMAT, ...content });
  return { canonical, hash: sha256(canonical) };
}

/** Parses stored canonical bytes back into content (for verification). */
export function parseCanonical(canonical: Buffer): EventContent & { format: string } {
  return JSON.parse(canonical.toString('utf8')) as EventContent & { format: string };
}
