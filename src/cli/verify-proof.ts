#!/usr/bin/env node
/**
 * Standalone verifier of a HazLedger event proof, using only Node's crypto. Copy it anywhere:
 *
 *   node verify-proof.js proof.json [public-key.b64]
 *
 * `proof.json` is the `eventProof(position)` JSON (the `proof` field of the GraphQL answer).
 * The optional second argument is the signer's public key (base64 of its raw 32 bytes) from a
 * source you trust (e.g. the regulator's published `ledgerPublicKeys`); without it, the key in
 * the proof itself is used and the output says so. Exit code 0 when every check holds.
 *
 * Checks: SHA-256(canonical) = hash; the audit path leads from the hash to the root (RFC 6962:
 * leaf = SHA-256(0x00‖hash), node = SHA-256(0x01‖left‖right)); the root, tree size and key id are
 * those of the signed statement; the Ed25519 signature over the statement bytes holds.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface Proof {
  format: string;
  position: number;
  canonical: string;
  hash: string;
  checkpoint: {
    statement: string;
    signature: string;
    keyId: string;
    publicKey: string;
    root: string;
    treeSize: number;
    leafIndex: number;
    auditPath: string[];
  } | null;
}

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 9162 section 2.1.3.2. */
function rootFromPath(hash: Buffer, index: number, size: number, path: Buffer[]): Buffer | null {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = sha256(Buffer.from([0]), hash);
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = sha256(Buffer.from([1]), r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r : null;
}

export function verifyProof(
  proof: Proof,
  trustedPublicKey?: string,
): { ok: boolean; checks: [string, boolean][] } {
  const checks: [string, boolean][] = [];
  const canonical = Buffer.from(proof.canonical, 'base64');
  const hash = Buffer.from(proof.hash, 'hex');
  checks.push(['hash is SHA-256 of the canonical bytes', sha256(canonical).equals(hash)]);
  const content = JSON.parse(canonical.toString('utf8')) as { format?: string };
  checks.push(['canonical bytes are a HazLedger event', content.format === 'hazledger-event/1']);
  const cp = proof.checkpoint;
  if (!cp) {
    checks.push(['event is sealed by a checkpoint', false]);
    return { ok: false, checks };
  }
  const statementBytes = Buffer.from(cp.statement, 'base64');
  const statement = JSON.parse(statementBytes.toString('utf8')) as {
    root: string;
    treeSize: number;
    keyId: string;
    format: string;
  };
  const root = rootFromPath(
    hash,
    cp.leafIndex,
    cp.treeSize,
    cp.auditPath.map((p) => Buffer.from(p, 'hex')),
  );
  checks.push(['audit path leads to the root', root !== null && root.toString('hex') === cp.root]);
  checks.push([
    'root, size and key are those of the signed statement',
    statement.format === 'hazledger-checkpoint/1' &&
      statement.root === cp.root &&
      statement.treeSize === cp.treeSize &&
      statement.keyId === cp.keyId,
  ]);
  const raw = Buffer.from(trustedPublicKey ?? cp.publicKey, 'base64');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  checks.push([
    'Ed25519 signature over the statement holds',
    verify(null, statementBytes, key, Buffer.from(cp.signature, 'base64')),
  ]);
  return { ok: checks.every(([, v]) => v), checks };
}

if (require.main === module) {
  const [file, key] = process.argv.slice(2);
  if (!file) {
    console.error('usage: verify-proof <proof.json> [trusted-public-key-base64]');
    process.exit(2);
  }
  const parsed = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as Proof | { proof: Proof };
  const proof = 'proof' in parsed ? parsed.proof : parsed;
  const { ok, checks } = verifyProof(proof, key);
  for (const [what, good] of checks) console.log(`${good ? 'ok  ' : 'FAIL'} ${what}`);
  if (!key)
    console.log(
      'note: the public key was taken from the proof itself; pass a trusted key to rule out a forged checkpoint',
    );
  console.log(ok ? `position ${proof.position}: VERIFIED` : `position ${proof.position}: NOT VERIFIED`);
  process.exit(ok ? 0 : 1);
}
