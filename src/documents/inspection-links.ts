import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Env } from '../config/env';
import { signInspectionToken, verifyInspectionToken } from './domain/inspection-link';

/** Headers of a request that tell where the API is reached from (for absolute links). */
export interface RequestOrigin {
  headers: Record<string, string | string[] | undefined>;
}

const first = (v: string | string[] | undefined): string | undefined =>
  (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();

/**
 * The key of the roadside inspection links (路检链接) and the links themselves: INSPECTION_LINK_KEY
 * from configuration, else a key generated once into DATA_DIR (like the development checkpoint and
 * token keys; with a warning: every API process must share the key, so set it in production), else
 * in tests an ephemeral one.
 */
@Injectable()
export class InspectionLinks {
  private readonly log = new Logger('InspectionLinks');
  private readonly key: Buffer;

  constructor(private readonly env: Env) {
    this.key = this.load();
  }

  private load(): Buffer {
    if (this.env.INSPECTION_LINK_KEY) return Buffer.from(this.env.INSPECTION_LINK_KEY, 'base64');
    if (this.env.NODE_ENV === 'test') return randomBytes(32);
    const file = join(this.env.DATA_DIR, 'inspection-link-key');
    if (!existsSync(file)) {
      mkdirSync(this.env.DATA_DIR, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    this.log.warn(`signing inspection links with the key in ${file}; set INSPECTION_LINK_KEY in production`);
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  }

  token(manifestId: string): string {
    return signInspectionToken(this.key, manifestId);
  }

  /** The manifest a token was signed for, or null (altered, malformed, another key). */
  verify(token: string): string | null {
    return verifyInspectionToken(this.key, token);
  }

  /** The API's public address: PUBLIC_BASE_URL, else the scheme and host the request came to. */
  baseUrl(req: RequestOrigin): string {
    if (this.env.PUBLIC_BASE_URL) return this.env.PUBLIC_BASE_URL.replace(/\/+$/, '');
    const proto = first(req.headers['x-forwarded-proto']) === 'https' ? 'https' : 'http';
    const host =
      first(req.headers['x-forwarded-host']) ?? first(req.headers.host) ?? `localhost:${this.env.PORT}`;
    return `${proto}://${/^[\w.:[\]-]+$/.test(host) ? host : `localhost:${this.env.PORT}`}`;
  }

  /** `<base>/inspect/<token>`: the page anyone holding it may open. */
  url(base: string, manifestId: string): string {
    return `${base}/inspect/${this.token(manifestId)}`;
  }
}
