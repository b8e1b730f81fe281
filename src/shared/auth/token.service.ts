import { Injectable, Logger } from '@nestjs/common';
import jwt, { type Algorithm } from 'jsonwebtoken';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Env } from '../../config/env';
import { DomainError } from '../domain/domain-error';

/** What an access token says. Membership and status are re-read on every request. */
export interface AccessClaims {
  /** User or device id. */
  sub: string;
  typ: 'user' | 'device';
}

const ISSUER = 'hazledger';
const AUDIENCE = 'hazledger-api';

interface SigningSetup {
  algorithm: Algorithm;
  kid: string;
  signKey: KeyObject | Buffer;
  /** Keys that verify, by kid (the current one and earlier ones still accepted). */
  verifyKeys: Map<string, { key: KeyObject | Buffer; algorithm: Algorithm }>;
}

const unauthenticated = (why: string) => new DomainError('UNAUTHENTICATED', `invalid access token: ${why}`);

/**
 * Access tokens (JWT via `jsonwebtoken`): ES256 or RS256 with a `kid` when JWT_PRIVATE_KEY is
 * configured (earlier public keys in JWT_PUBLIC_KEYS keep verifying during a rotation); an HS256
 * secret only outside production. Verification pins the algorithm of the key named by `kid`, so
 * `alg: none`, an unknown `kid` or an algorithm swap are refused.
 */
@Injectable()
export class TokenService {
  private readonly log = new Logger('Tokens');
  private readonly setup: SigningSetup;

  constructor(private readonly env: Env) {
    this.setup = this.load();
  }

  private load(): SigningSetup {
    const e = this.env;
    const verifyKeys = new Map<string, { key: KeyObject | Buffer; algorithm: Algorithm }>();
    if (e.JWT_PRIVATE_KEY) {
      const signKey = createPrivateKey(
        e.JWT_PRIVATE_KEY.includes('BEGIN')
          ? e.JWT_PRIVATE_KEY
          : Buffer.from(e.JWT_PRIVATE_KEY, 'base64').toString('utf8'),
      );
      const algorithm = algorithmOf(signKey);
      const pub = createPublicKey(signKey);
      const kid =
        e.JWT_KEY_ID ??
        `${algorithm.toLowerCase()}-${createHash('sha256')
          .update(pub.export({ format: 'der', type: 'spki' }))
          .digest('hex')
          .slice(0, 16)}`;
      verifyKeys.set(kid, { key: pub, algorithm });
      for (const [k, pem] of Object.entries(
        JSON.parse(e.JWT_PUBLIC_KEYS ?? '{}') as Record<string, string>,
      )) {
        const key = createPublicKey(pem);
        verifyKeys.set(k, { key, algorithm: algorithmOf(key) });
      }
      return { algorithm, kid, signKey, verifyKeys };
    }
    const secret = this.devSecret();
    const kid = `hs256-${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`;
    // a KeyObject, not the Buffer: given a Buffer, jsonwebtoken tries it as a public key first on every request
    verifyKeys.set(kid, { key: createSecretKey(secret), algorithm: 'HS256' });
    return { algorithm: 'HS256', kid, signKey: secret, verifyKeys };
  }

  private devSecret(): Buffer {
    if (this.env.JWT_SECRET) return Buffer.from(this.env.JWT_SECRET, 'utf8');
    if (this.env.NODE_ENV === 'test') return randomBytes(32);
    const file = join(this.env.DATA_DIR, 'jwt-dev-secret');
    if (!existsSync(file)) {
      mkdirSync(this.env.DATA_DIR, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    this.log.warn(
      `signing access tokens with a development HS256 secret (${file}); set JWT_PRIVATE_KEY in production`,
    );
    return Buffer.from(readFileSync(file, 'utf8'), 'base64');
  }

  get accessTtlSeconds(): number {
    return this.env.JWT_ACCESS_TTL_SECONDS;
  }

  sign(claims: AccessClaims): { token: string; expiresAt: Date } {
    const token = jwt.sign({ typ: claims.typ }, this.setup.signKey, {
      algorithm: this.setup.algorithm,
      keyid: this.setup.kid,
      subject: claims.sub,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: this.env.JWT_ACCESS_TTL_SECONDS,
      jwtid: randomUUID(),
    });
    const exp = (jwt.decode(token) as { exp: number }).exp;
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token, or UNAUTHENTICATED. */
  verify(token: string): AccessClaims {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw unauthenticated('malformed');
    const kid = decoded.header.kid;
    const entry = kid ? this.setup.verifyKeys.get(kid) : undefined;
    if (!entry) throw unauthenticated('unknown key id');
    try {
      const payload = jwt.verify(token, entry.key, {
        algorithms: [entry.algorithm],
        issuer: ISSUER,
        audience: AUDIENCE,
      }) as jwt.JwtPayload;
      const typ: unknown = payload.typ;
      if (typeof payload.sub !== 'string' || (typ !== 'user' && typ !== 'device'))
        throw unauthenticated('bad claims');
      return { sub: payload.sub, typ };
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw unauthenticated(
        e instanceof jwt.TokenExpiredError ? 'expired' : 'signature or claims do not verify',
      );
    }
  }
}

function algorithmOf(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'ec') {
    if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      throw new Error('JWT keys: EC keys must use the P-256 curve (ES256)');
    return 'ES256';
  }
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  throw new Error(
    `JWT keys: unsupported key type ${key.asymmetricKeyType}; use P-256 (ES256) or RSA (RS256)`,
  );
}
