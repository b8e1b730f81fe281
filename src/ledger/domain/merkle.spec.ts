import { createHash } from 'node:crypto';
import { auditPath, leafHash, merkleRoot, nodeHash, verifyAuditPath } from './merkle';

const h = (s: string) => createHash('sha256').update(s).digest();
const leaves = (n: number) => Array.from({ length: n }, (_, i) => h(`event-${i}`));

describe('Merkle tree (RFC 6962)', () => {
  it('has the RFC shape for small trees', () => {
    const [a, b, c] = leaves(3);
    expect(merkleRoot([a])).toEqual(leafHash(a));
    expect(merkleRoot([a, b])).toEqual(nodeHash(leafHash(a), leafHash(b)));
    expect(merkleRoot([a, b, c])).toEqual(nodeHash(nodeHash(leafHash(a), leafHash(b)), leafHash(c)));
  });

  it('verifies every leaf of every tree of sizes 1..33', () => {
    for (let n = 1; n <= 33; n++) {
      const ls = leaves(n);
      const root = merkleRoot(ls);
      for (let i = 0; i < n; i++) {
        expect(verifyAuditPath(ls[i], i, n, auditPath(ls, i), root)).toBe(true);
      }
    }
  });

  // (the tree size is not checked here: the signed checkpoint fixes it)
  it('fails for a changed leaf, a changed path element or a wrong index', () => {
    for (let n = 2; n <= 33; n++) {
      const ls = leaves(n);
      const root = merkleRoot(ls);
      for (let i = 0; i < n; i++) {
        const path = auditPath(ls, i);
        expect(verifyAuditPath(h('forged'), i, n, path, root)).toBe(false);
        for (let j = 0; j < path.length; j++) {
          const bad = path.map((p, k) => (k === j ? h(`x${k}`) : p));
          expect(verifyAuditPath(ls[i], i, n, bad, root)).toBe(false);
        }
        expect(verifyAuditPath(ls[i], (i + 1) % n, n, path, root)).toBe(false);
      }
    }
  });

  it('changes its root when a leaf is removed or reordered', () => {
    const ls = leaves(8);
    const root = merkleRoot(ls);
    expect(merkleRoot(ls.slice(0, 7))).not.toEqual(root);
    expect(merkleRoot([ls[1], ls[0], ...ls.slice(2)])).not.toEqual(root);
  });
});
