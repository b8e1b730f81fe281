import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The Ed25519 key that signs checkpoints, with the id published beside its public key. */
export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
  source: 'configuration' | 'development-file' | 'ephemeral';
}

/** The raw 32 bytes of an Ed25519 public key (from its JWK `x`). */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** Default key id: `ed25519-` and the first 16 hex digits of the public key's SHA-256. */
export const fingerprint = (raw: Buffer): string =>
  `ed25519-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;

/** A PKCS#8 Ed25519 private key given as PEM, as base64 of the PEM, or as base64 of the DER. */
function parsePrivateKey(value: string): KeyObject {
  const decoded = value.includes('BEGIN') ? value : Buffer.from(value, 'base64').toString('utf8');
  const key = decoded.includes('BEGIN')
    ? createPrivateKey(decoded)
    : createPrivateKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('LEDGER_SIGNING_KEY must be an Ed25519 private key');
  return key;
}

/**
 * The checkpoint key: from configuration (LEDGER_SIGNING_KEY, PKCS#8 PEM or base64), else in
 * development a key generated once into the data folder (with a warning), else in tests an
 * ephemeral one.
 */
export function loadSigningKey(opts: {
  configured?: string;
  keyId?: string;
  nodeEnv: string;
  dataDir: string;
  warn: (message: string) => void;
}): SigningKey {
  const make = (privateKey: KeyObject, source: SigningKey['source']): SigningKey => {
    const publicKeyRaw = rawPublicKey(privateKey);
    return { keyId: opts.keyId ?? fingerprint(publicKeyRaw), privateKey, publicKeyRaw, source };
  };
  if (opts.configured) return make(parsePrivateKey(opts.configured), 'configuration');
  if (opts.nodeEnv === 'test') return make(generateKeyPairSync('ed25519').privateKey, 'ephemeral');
  const file = join(opts.dataDir, 'ledger-signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    opts.warn(
      `generated a development checkpoint signing key in ${file}; set LEDGER_SIGNING_KEY in production`,
    );
  } else {
    opts.warn(
      `signing checkpoints with the development key in ${file}; set LEDGER_SIGNING_KEY in production`,
    );
  }
  return make(parsePrivateKey(readFileSync(file, 'utf8')), 'development-file');
}
