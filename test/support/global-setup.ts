import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { APP_LOGIN_ROLE } from '../../src/database/roles';
import { publishCluster, withDatabase } from './test-cluster';

declare global {
  var __HAZLEDGER_TEST_PG__: EmbeddedDatabase | undefined;
  var __HAZLEDGER_TEST_EXTERNAL__: { adminUrl: string; template: string } | undefined;
}

/**
 * One PostgreSQL for the whole run: an embedded throwaway cluster, or the server of
 * TEST_DATABASE_URL (whose database name must contain `test`). Migrates a template database
 * once; each test file clones it (`test/support/database.ts`).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.HAZLEDGER_TEST_ADMIN_URL) return; // already set up (several projects in one run)
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = `hazledger_test_template_${runId}`;
  let adminUrl: string;
  let appUrl: string;

  if (process.env.TEST_DATABASE_URL) {
    const base = new URL(process.env.TEST_DATABASE_URL);
    const dbName = decodeURIComponent(base.pathname.slice(1));
    if (!/test/i.test(dbName)) {
      throw new Error(
        `TEST_DATABASE_URL names database '${dbName}', which lacks 'test': refusing to run tests against it`,
      );
    }
    adminUrl = base.toString();
    const app = new URL(adminUrl);
    app.username = APP_LOGIN_ROLE;
    app.password = process.env.TEST_APP_PASSWORD ?? 'hazledger_api_test';
    appUrl = app.toString();
    globalThis.__HAZLEDGER_TEST_EXTERNAL__ = { adminUrl, template };
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'hazledger-test-')),
      persistent: false,
      log: () => undefined,
    });
    globalThis.__HAZLEDGER_TEST_PG__ = pg;
    adminUrl = pg.ownerUrl('postgres');
    appUrl = pg.appUrl('postgres');
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
    await runMigrations(withDatabase(adminUrl, template), withDatabase(appUrl, template));
    // nothing may stay connected to a template, or CREATE DATABASE … TEMPLATE waits and fails
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [template],
    );
    await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } finally {
    await admin.end();
  }
  publishCluster(adminUrl, appUrl, template);
}
