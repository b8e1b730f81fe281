import { Injectable } from '@nestjs/common';
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { Clock } from '../shared/clock';
import { uuidv7 } from '../shared/ids';
import type { HandoverCodeFact } from './domain';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

/** Digits of a handover code: 8 (10^8 codes; five wrong tries lock it). */
export const HANDOVER_CODE_DIGITS = 8;
/** Wrong tries that lock a code (HANDOVER_CODE_LOCKED). */
export const HANDOVER_CODE_MAX_TRIES = 5;
const CODE_PATTERN = new RegExp(`^\\d{${HANDOVER_CODE_DIGITS}}$`);
/** scrypt cost: about 10 ms a hash, so that a stolen table is slow to search. */
const SCRYPT = { N: 2 ** 13, r: 8, p: 1 };

/** A newly issued code: shown once to the consignor, never stored or logged in clear. */
export interface IssuedHandoverCode {
  readonly handoverCodeId: string;
  readonly code: string;
  readonly expiresAt: Date;
}

interface CodeRow {
  code_id: string;
  salt: Buffer;
  code_hash: Buffer;
  expires_at: Date;
  failed_tries: number;
  locked_at: Date | null;
  used_at: Date | null;
}

const hash = (code: string, salt: Buffer): Promise<Buffer> => scryptAsync(code, salt, 32, SCRYPT);

/**
 * 交接码 — the one-time handover code of a submitted manifest (SPEC section 6.2): random, single
 * use, expiring after `HANDOVER_CODE_TTL_HOURS`, stored hashed (scrypt with a salt per code) in
 * `manifest_handover_code`, never in an event. Five wrong tries lock it; the consignor reissues.
 * The consignor tells the driver the code: it proves both were present without sharing a device.
 */
@Injectable()
export class HandoverCodeService {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
    private readonly clock: Clock,
  ) {}

  /** A new code for a manifest, stored hashed in the command's transaction; the previous one stops working. */
  async issue(tx: LedgerTransaction, manifestId: string): Promise<IssuedHandoverCode> {
    const code = String(randomInt(0, 10 ** HANDOVER_CODE_DIGITS)).padStart(HANDOVER_CODE_DIGITS, '0');
    const salt = randomBytes(16);
    const handoverCodeId = uuidv7(tx.now.getTime());
    const expiresAt = new Date(tx.now.getTime() + this.env.HANDOVER_CODE_TTL_HOURS * 3_600_000);
    await tx.sql.exec(
      `UPDATE manifest_handover_code SET superseded_at = $2 WHERE manifest_id = $1 AND superseded_at IS NULL`,
      [manifestId, tx.now],
    );
    await tx.sql.exec(
      `INSERT INTO manifest_handover_code (code_id, manifest_id, salt, code_hash, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [handoverCodeId, manifestId, salt, await hash(code, salt), tx.now, expiresAt],
    );
    return { handoverCodeId, code, expiresAt };
  }

  /** The code is used: it cannot be used again (in the transaction that takes custody). */
  async markUsed(tx: LedgerTransaction, handoverCodeId: string): Promise<void> {
    await tx.sql.exec(
      `UPDATE manifest_handover_code SET used_at = $2 WHERE code_id = $1 AND used_at IS NULL`,
      [handoverCodeId, tx.now],
    );
  }

  /**
   * Checks a code entered for a manifest at `at` (the business time of the act), in its own
   * transaction, before the custody command runs, so that a wrong try counts even though the
   * command is refused. `countTry`: online acts count wrong tries (five lock the code); an
   * offline act already happened and is only judged, recorded as disputed when wrong.
   */
  async verify(
    manifestId: string,
    entered: string | null | undefined,
    at: Date,
    countTry: boolean,
  ): Promise<HandoverCodeFact> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      const [row] = (await runner.query(
        `SELECT code_id, salt, code_hash, expires_at, failed_tries, locked_at, used_at FROM manifest_handover_code
          WHERE manifest_id = $1 AND superseded_at IS NULL ORDER BY issued_at DESC LIMIT 1 FOR UPDATE`,
        [manifestId],
      )) as CodeRow[];
      const fact = await this.judge(runner.query.bind(runner), row, entered, at, countTry);
      await runner.commitTransaction();
      return fact;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  private async judge(
    query: (sql: string, params: unknown[]) => Promise<unknown>,
    row: CodeRow | undefined,
    entered: string | null | undefined,
    at: Date,
    countTry: boolean,
  ): Promise<HandoverCodeFact> {
    const triesLeft = (n: number) => Math.max(0, HANDOVER_CODE_MAX_TRIES - n);
    if (!row || row.used_at) return { result: 'INVALID', triesLeft: triesLeft(row?.failed_tries ?? 0) };
    if (row.locked_at) return { result: 'LOCKED' };
    const candidate = typeof entered === 'string' ? entered.trim() : '';
    const right =
      CODE_PATTERN.test(candidate) && timingSafeEqual(await hash(candidate, row.salt), row.code_hash);
    if (right) {
      return at > row.expires_at
        ? { result: 'EXPIRED', handoverCodeId: row.code_id }
        : { result: 'VALID', handoverCodeId: row.code_id };
    }
    if (!countTry) return { result: 'INVALID', triesLeft: triesLeft(row.failed_tries) };
    const failed = row.failed_tries + 1;
    const lock = failed >= HANDOVER_CODE_MAX_TRIES;
    await query(
      `UPDATE manifest_handover_code SET failed_tries = $2, locked_at = CASE WHEN $3 THEN $4::timestamptz ELSE locked_at END
        WHERE code_id = $1`,
      [row.code_id, failed, lock, this.clock.now()],
    );
    return lock ? { result: 'LOCKED' } : { result: 'INVALID', triesLeft: triesLeft(failed) };
  }

  /** Expiry of the live code, for the driver's assignments (never the code itself). */
  async liveCode(manifestId: string): Promise<{ expiresAt: Date; locked: boolean } | null> {
    const [r] = await this.db.query<{ expires_at: Date; locked_at: Date | null }[]>(
      `SELECT expires_at, locked_at FROM manifest_handover_code
        WHERE manifest_id = $1 AND superseded_at IS NULL AND used_at IS NULL ORDER BY issued_at DESC LIMIT 1`,
      [manifestId],
    );
    return r ? { expiresAt: r.expires_at, locked: r.locked_at !== null } : null;
  }
}
