import type { Sql } from '../../database/sql';
import { auditPath } from '../domain/merkle';

/**
 * An inclusion proof for one event, checkable offline with only SHA-256 and Ed25519 (see
 * `src/cli/verify-proof.ts` and the README): the event's canonical bytes and hash, its index in
 * the checkpoint's Merkle tree with the audit path, and the signed checkpoint statement.
 */
export interface EventProof {
  format: 'hazledger-proof/1';
  position: number;
  streamId: string;
  version: number;
  /** Base64 of the exact bytes that were hashed. */
  canonical: string;
  /** Hex SHA-256 of `canonical`. */
  hash: string;
  /** Null while the event lies after the last checkpoint. */
  checkpoint: {
    checkpointNo: number;
    /** Base64 of the signed statement bytes (canonical JSON). */
    statement: string;
    /** Base64 Ed25519 signature over the statement bytes. */
    signature: string;
    keyId: string;
    /** Base64 of the raw 32-byte Ed25519 public key. */
    publicKey: string;
    root: string;
    treeSize: number;
    leafIndex: number;
    /** Hex sibling hashes from the leaf up (RFC 6962). */
    auditPath: string[];
  } | null;
}

export async function eventProof(sql: Sql, position: number): Promise<EventProof | null> {
  const e = await sql.one<{
    position: string;
    stream_id: string;
    version: number;
    canonical: Buffer;
    hash: Buffer;
  }>(`SELECT position, stream_id, version, canonical, hash FROM ledger_event WHERE position = $1`, [
    position,
  ]);
  if (!e) return null;
  const cp = await sql.one<{
    checkpoint_no: string;
    statement: Buffer;
    signature: Buffer;
    key_id: string;
    public_key: Buffer;
    root: Buffer;
    tree_size: number;
    leaf_positions: string[];
    leaf_hashes: Buffer;
  }>(
    `SELECT c.checkpoint_no, c.statement, c.signature, c.key_id, k.public_key, c.root, c.tree_size, c.leaf_positions, c.leaf_hashes
       FROM ledger_checkpoint c JOIN ledger_signing_key k ON k.key_id = c.key_id
      WHERE c.first_position <= $1 AND c.last_position >= $1`,
    [position],
  );
  const base = {
    format: 'hazledger-proof/1' as const,
    position: Number(e.position),
    streamId: e.stream_id,
    version: e.version,
    canonical: e.canonical.toString('base64'),
    hash: e.hash.toString('hex'),
  };
  const index = cp ? cp.leaf_positions.map(Number).indexOf(position) : -1;
  if (!cp || index < 0) return { ...base, checkpoint: null };
  const leaves = Array.from({ length: cp.tree_size }, (_, k) => cp.leaf_hashes.subarray(k * 32, k * 32 + 32));
  return {
    ...base,
    checkpoint: {
      checkpointNo: Number(cp.checkpoint_no),
      statement: cp.statement.toString('base64'),
      signature: cp.signature.toString('base64'),
      keyId: cp.key_id,
      publicKey: cp.public_key.toString('base64'),
      root: cp.root.toString('hex'),
      treeSize: cp.tree_size,
      leafIndex: index,
      auditPath: auditPath(leaves, index).map((b) => b.toString('hex')),
    },
  };
}
