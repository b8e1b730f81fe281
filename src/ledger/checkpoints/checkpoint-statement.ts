import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalBytes } from '../domain/canonical-json';
import { sha256 } from '../domain/event-envelope';

export const CHECKPOINT_FORMAT = 'hazledger-checkpoint/1';

/**
 * What a checkpoint signs (its canonical JSON bytes): the range of global positions it seals,
 * the Merkle root over those events' hashes in position order, and the hash of the previous
 * checkpoint's statement, so that checkpoints form a chain of their own.
 */
export interface CheckpointStatement {
  format: typeof CHECKPOINT_FORMAT;
  checkpointNo: number;
  firstPosition: number;
  lastPosition: number;
  treeSize: number;
  /** Hex Merkle root (RFC 6962) over the sealed events' hashes. */
  root: string;
  /** Hex SHA-256 of the previous checkpoint's statement bytes; null for the first. */
  previous: string | null;
  sealedAt: string;
  keyId: string;
}

export const statementBytes = (s: CheckpointStatement): Buffer => canonicalBytes(s);
export const statementHash = (bytes: Buffer): Buffer => sha256(bytes);
export const signStatement = (bytes: Buffer, key: KeyObject): Buffer => sign(null, bytes, key);
export const verifyStatement = (bytes: Buffer, signature: Buffer, publicKey: KeyObject): boolean =>
  verify(null, bytes, publicKey, signature);
