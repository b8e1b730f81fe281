import { Injectable } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PoolSql } from '../database/sql';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import { EVENT_COLUMNS, toStoredEvent } from './ledger-transaction';
import type { StoredEvent } from './ledger.types';
import { eventProof, type EventProof } from './verification/event-proof';
import { verifyLedger, type VerificationReport } from './verification/ledger-verifier';

export interface CheckpointView {
  checkpointNo: number;
  firstPosition: number;
  lastPosition: number;
  treeSize: number;
  root: string;
  previous: string | null;
  statement: string;
  signature: string;
  keyId: string;
  sealedAt: Date;
}

/** Read side of the ledger: stream histories, checkpoints, public keys, proofs, verification. */
@Injectable()
export class LedgerQueryService {
  private readonly sql: PoolSql;

  constructor(db: DataSource) {
    this.sql = new PoolSql(db);
  }

  async streamEvents(
    streamId: string,
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<StoredEvent>> {
    const from = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = await this.sql.rows<Parameters<typeof toStoredEvent>[0]>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_event WHERE stream_id = $1 AND version > $2 ORDER BY version LIMIT ${first + 1}`,
      [streamId, from],
    );
    const total = await this.sql.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_event WHERE stream_id = $1`,
      [streamId],
    );
    return toPage(rows.map(toStoredEvent), first, total?.n ?? 0, (e) => [e.version]);
  }

  async streamType(streamId: string): Promise<string | null> {
    const r = await this.sql.one<{ stream_type: string }>(
      `SELECT stream_type FROM ledger_stream WHERE stream_id = $1 AND version > 0`,
      [streamId],
    );
    return r?.stream_type ?? null;
  }

  async eventStream(position: number): Promise<{ streamId: string; streamType: string } | null> {
    const r = await this.sql.one<{ stream_id: string; stream_type: string }>(
      `SELECT stream_id, stream_type FROM ledger_event WHERE position = $1`,
      [position],
    );
    return r ? { streamId: r.stream_id, streamType: r.stream_type } : null;
  }

  async checkpoints(first = DEFAULT_PAGE_SIZE, after?: string): Promise<Page<CheckpointView>> {
    const from = after ? Number(decodeCursor(after, 1)[0]) : 0;
    const rows = await this.sql.rows<{
      checkpoint_no: string;
      first_position: string;
      last_position: string;
      tree_size: number;
      root: Buffer;
      previous_hash: Buffer | null;
      statement: Buffer;
      signature: Buffer;
      key_id: string;
      sealed_at: Date;
    }>(
      `SELECT checkpoint_no, first_position, last_position, tree_size, root, previous_hash, statement, signature, key_id, sealed_at
         FROM ledger_checkpoint WHERE checkpoint_no > $1 ORDER BY checkpoint_no LIMIT ${first + 1}`,
      [from],
    );
    const total = await this.sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_checkpoint`);
    return toPage(
      rows.map((r) => ({
        checkpointNo: Number(r.checkpoint_no),
        firstPosition: Number(r.first_position),
        lastPosition: Number(r.last_position),
        treeSize: r.tree_size,
        root: r.root.toString('hex'),
        previous: r.previous_hash ? r.previous_hash.toString('hex') : null,
        statement: r.statement.toString('base64'),
        signature: r.signature.toString('base64'),
        keyId: r.key_id,
        sealedAt: r.sealed_at,
      })),
      first,
      total?.n ?? 0,
      (c) => [c.checkpointNo],
    );
  }

  async publicKeys() {
    const rows = await this.sql.rows<{
      key_id: string;
      algorithm: string;
      public_key: Buffer;
      registered_at: Date;
    }>(
      `SELECT key_id, algorithm, public_key, registered_at FROM ledger_signing_key ORDER BY registered_at, key_id`,
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      algorithm: r.algorithm,
      publicKey: r.public_key.toString('base64'),
      publicKeyPem: createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: r.public_key.toString('base64url') },
        format: 'jwk',
      })
        .export({ format: 'pem', type: 'spki' })
        .toString(),
      registeredAt: r.registered_at,
    }));
  }

  proof(position: number): Promise<EventProof | null> {
    return eventProof(this.sql, position);
  }

  verify(): Promise<VerificationReport> {
    return verifyLedger(this.sql);
  }
}
