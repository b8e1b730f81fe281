import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_GROUP_ROLE, ensureGroupRole } from '../src/database/roles';

/**
 * The application's group role (cluster-wide, created idempotently) and its use of the schema.
 * Each later migration grants this role exactly what its tables need.
 */
export class Roles1764300000000 implements MigrationInterface {
  name = 'Roles1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await ensureGroupRole(q);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_GROUP_ROLE}`);
    const [{ db }] = (await q.query(`SELECT current_database() AS db`)) as { db: string }[];
    await q.query(`GRANT CONNECT ON DATABASE "${db.replace(/"/g, '""')}" TO ${APP_GROUP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_GROUP_ROLE}`);
  }
}
