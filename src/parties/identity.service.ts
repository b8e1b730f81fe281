import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { PoolSql } from '../database/sql';
import { hashPassword, DUMMY_HASH, verifyPassword } from '../shared/auth/passwords';
import type { Principal } from '../shared/auth/principal';
import { PrincipalService } from '../shared/auth/principal.service';
import { TokenService } from '../shared/auth/token.service';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';

export interface Session {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  principal: Principal;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const wrongCredentials = () => new DomainError('UNAUTHENTICATED', 'wrong username or password');

/**
 * Sign-in: passwords (scrypt), short-lived access tokens, rotating refresh tokens (a reused one
 * revokes its whole family), device API keys exchanged for tokens, and failed-login throttling
 * per account and per address kept in the database (so that it holds across processes).
 * Secrets never reach the ledger or the logs.
 */
@Injectable()
export class IdentityService implements OnApplicationBootstrap {
  private readonly log = new Logger('Identity');

  constructor(
    private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly principals: PrincipalService,
    private readonly clock: Clock,
    private readonly env: Env,
  ) {}

  /** Creates the SYSTEM_ADMIN account from configuration when it does not exist. */
  async onApplicationBootstrap(): Promise<void> {
    const username = this.env.SYSTEM_ADMIN_USERNAME;
    const password = this.env.SYSTEM_ADMIN_PASSWORD;
    if (!username || !password) return;
    const now = this.clock.now();
    const inserted = await this.db.query<unknown[]>(
      `INSERT INTO user_account (user_id, username, display_name, password_hash, system_admin, created_at, updated_at)
       VALUES ($1, $2, 'System administrator', $3, true, $4, $4) ON CONFLICT (username) DO NOTHING RETURNING user_id`,
      [uuidv7(), username, await hashPassword(password), now],
    );
    if (inserted.length) this.log.log(`created the system administrator account ${username}`);
  }

  async login(username: string, password: string, address: string): Promise<Session> {
    const keys = [`account:${username.toLowerCase()}`, `address:${address}`];
    await this.assertNotThrottled(keys);
    const [user] = await this.db.query<{ user_id: string; password_hash: string }[]>(
      `SELECT user_id, password_hash FROM user_account WHERE username = $1`,
      [username],
    );
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) {
      await this.recordFailure(keys[0], this.env.LOGIN_MAX_FAILURES);
      await this.recordFailure(keys[1], this.env.LOGIN_MAX_FAILURES_PER_ADDRESS);
      throw wrongCredentials();
    }
    const principal = await this.principals.user(user.user_id);
    await this.db.query(`DELETE FROM auth_throttle WHERE key = $1`, [keys[0]]);
    return this.issue(user.user_id, principal, randomUUID());
  }

  /** Rotates a refresh token. Presenting one that was already used revokes every token of its family. */
  async refresh(refreshToken: string): Promise<Session> {
    const now = this.clock.now();
    const hash = sha256(refreshToken);
    const [used] = await new PoolSql(this.db).rows<{
      family_id: string;
      user_id: string;
      expires_at: Date;
      revoked_at: Date | null;
    }>(
      `UPDATE refresh_token SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING family_id, user_id, expires_at, revoked_at`,
      [hash, now],
    );
    if (!used) {
      const [known] = await this.db.query<{ family_id: string }[]>(
        `SELECT family_id FROM refresh_token WHERE token_hash = $1`,
        [hash],
      );
      if (known) {
        await this.db.query(
          `UPDATE refresh_token SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
          [known.family_id, now],
        );
        this.log.warn({ familyId: known.family_id }, 'refresh token reused: its family is revoked');
        throw new DomainError(
          'UNAUTHENTICATED',
          'this refresh token was already used; every session of that sign-in is revoked',
        );
      }
      throw new DomainError('UNAUTHENTICATED', 'unknown refresh token');
    }
    if (used.revoked_at || used.expires_at <= now)
      throw new DomainError('UNAUTHENTICATED', 'refresh token expired or revoked');
    const principal = await this.principals.user(used.user_id);
    return this.issue(used.user_id, principal, used.family_id);
  }

  async logout(refreshToken: string): Promise<boolean> {
    const rows = await this.db.query<{ family_id: string }[]>(
      `SELECT family_id FROM refresh_token WHERE token_hash = $1`,
      [sha256(refreshToken)],
    );
    if (rows.length) {
      await this.db.query(
        `UPDATE refresh_token SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
        [rows[0].family_id, this.clock.now()],
      );
    }
    return true;
  }

  /** A new device API key `hzd_<deviceId>.<secret>`: the secret is shown once, its SHA-256 stored. */
  static newDeviceKey(deviceId: string): { apiKey: string; hash: Buffer } {
    const secret = randomBytes(32).toString('base64url');
    return { apiKey: `hzd_${deviceId}.${secret}`, hash: sha256(secret) };
  }

  async exchangeDeviceKey(
    apiKey: string,
    address: string,
  ): Promise<{ accessToken: string; accessTokenExpiresAt: Date; principal: Principal }> {
    const keys = [`address:${address}`];
    await this.assertNotThrottled(keys);
    const m = /^hzd_([0-9a-f-]{36})\.([\w-]{20,100})$/.exec(apiKey);
    const [cred] = m
      ? await this.db.query<{ key_hash: Buffer }[]>(
          `SELECT key_hash FROM device_credential WHERE device_id = $1`,
          [m[1]],
        )
      : [];
    const given = m ? sha256(m[2]) : Buffer.alloc(32);
    if (!m || !cred || !timingSafeEqual(cred.key_hash, given)) {
      await this.recordFailure(keys[0], this.env.LOGIN_MAX_FAILURES_PER_ADDRESS);
      throw new DomainError('UNAUTHENTICATED', 'unknown or revoked device key');
    }
    const principal = await this.principals.device(m[1]);
    const { token, expiresAt } = this.tokens.sign({ sub: m[1], typ: 'device' });
    return { accessToken: token, accessTokenExpiresAt: expiresAt, principal };
  }

  async changePassword(userId: string, current: string, next: string): Promise<boolean> {
    const [user] = await this.db.query<{ password_hash: string }[]>(
      `SELECT password_hash FROM user_account WHERE user_id = $1`,
      [userId],
    );
    if (!user || !(await verifyPassword(current, user.password_hash))) throw wrongCredentials();
    const now = this.clock.now();
    await this.db.query(`UPDATE user_account SET password_hash = $2, updated_at = $3 WHERE user_id = $1`, [
      userId,
      await hashPassword(next),
      now,
    ]);
    await this.db.query(
      `UPDATE refresh_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now],
    );
    return true;
  }

  private async issue(userId: string, principal: Principal, familyId: string): Promise<Session> {
    const { token, expiresAt } = this.tokens.sign({ sub: userId, typ: 'user' });
    const refreshToken = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const refreshExpires = new Date(now.getTime() + this.env.JWT_REFRESH_TTL_DAYS * 86_400_000);
    await this.db.query(
      `INSERT INTO refresh_token (token_hash, family_id, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [sha256(refreshToken), familyId, userId, refreshExpires, now],
    );
    return {
      accessToken: token,
      accessTokenExpiresAt: expiresAt,
      refreshToken,
      refreshTokenExpiresAt: refreshExpires,
      principal,
    };
  }

  private async assertNotThrottled(keys: string[]): Promise<void> {
    const rows = await this.db.query<{ locked_until: Date }[]>(
      `SELECT locked_until FROM auth_throttle WHERE key = ANY($1) AND locked_until > $2 ORDER BY locked_until DESC LIMIT 1`,
      [keys, this.clock.now()],
    );
    if (rows.length) {
      throw new DomainError('RATE_LIMITED', 'too many failed attempts; try again later', {
        retryAfter: rows[0].locked_until.toISOString(),
      });
    }
  }

  private async recordFailure(key: string, max: number): Promise<void> {
    const window = this.env.LOGIN_WINDOW_SECONDS;
    await this.db.query(
      `INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_start < $2 - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start < $2 - make_interval(secs => $3) THEN $2 ELSE t.window_start END,
         locked_until = CASE WHEN t.window_start >= $2 - make_interval(secs => $3) AND t.failures + 1 >= $4
                             THEN $2 + make_interval(secs => $3) ELSE t.locked_until END`,
      [key, this.clock.now(), window, max],
    );
  }
}
