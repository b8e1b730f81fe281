import { createHash } from 'node:crypto';

/**
 * Merkle trees over event hashes, as RFC 6962 (Certificate Transparency) defines them:
 * leaf = SHA-256(0x00 ‖ eventHash), node = SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves
 * splits at the largest power of two smaller than n. An audit path proves that one leaf is in a
 * tree with a given root; anyone can check it with only SHA-256.
 */
const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (eventHash: Buffer): Buffer => sha256(LEAF, eventHash);
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** The root over already-hashed leaves (`leafHash` applied). */
function rootOfLeaves(leaves: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaves[from];
  const k = splitPoint(n);
  return nodeHash(rootOfLeaves(leaves, from, from + k), rootOfLeaves(leaves, from + k, to));
}

/** The Merkle root of a list of event hashes (at least one). */
export function merkleRoot(eventHashes: readonly Buffer[]): Buffer {
  if (eventHashes.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  return rootOfLeaves(eventHashes.map(leafHash), 0, eventHashes.length);
}

/** The audit path of leaf `index`: sibling hashes from the leaf up to the root (RFC 6962 PATH). */
export function auditPath(eventHashes: readonly Buffer[], index: number): Buffer[] {
  if (index < 0 || index >= eventHashes.length)
    throw new Error(`leaf ${index} outside a tree of ${eventHashes.length}`);
  const leaves = eventHashes.map(leafHash);
  const path = (m: number, from: number, to: number): Buffer[] => {
    const n = to - from;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, from, from + k), rootOfLeaves(leaves, from + k, to)]
      : [...path(m - k, from + k, to), rootOfLeaves(leaves, from, from + k)];
  };
  return path(index, 0, leaves.length);
}

/**
 * Checks that `eventHash` is leaf `index` of a tree of `treeSize` leaves with root `root`
 * (RFC 9162 section 2.1.3.2 verification algorithm).
 */
export function verifyAuditPath(
  eventHash: Buffer,
  index: number,
  treeSize: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(eventHash);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}
