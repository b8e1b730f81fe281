import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE } from '../src/database/roles';

/**
 * 单据 — documents and roadside inspection. One table, outside the ledger (it records who looked,
 * not what happened to the waste): `inspection_link_opening`, every opening of a signed roadside
 * inspection link (路检链接) with time, address and user agent, and whether the link was still valid.
 * The application may insert and read it, never change it.
 */
export class Documents1764300001000 implements MigrationInterface {
  name = 'Documents1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inspection_link_opening (
        opening_id text PRIMARY KEY,
        manifest_id text NOT NULL,
        opened_at timestamptz NOT NULL,
        address text,
        user_agent text,
        format text NOT NULL CHECK (format IN ('HTML', 'JSON')),
        outcome text NOT NULL CHECK (outcome IN ('SHOWN', 'EXPIRED'))
      );
      CREATE INDEX inspection_link_opening_manifest_idx ON inspection_link_opening (manifest_id, opened_at DESC);
    `);
    await q.query(`GRANT SELECT, INSERT ON inspection_link_opening TO ${APP_GROUP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inspection_link_opening`);
  }
}
