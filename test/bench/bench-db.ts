import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchDatabase {
  ownerUrl: string;
  appUrl: string;
  settings: Record<string, string>;
  stop: () => Promise<void>;
}

const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

/**
 * A fresh database for one benchmark run: on BENCH_DATABASE_URL's server (whose database name
 * must contain "bench"), or on a throwaway embedded PostgreSQL. Durability is never traded for a
 * figure: fsync and synchronous_commit stay on, and are printed with the results.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let admin: string;
  let app: string;
  if (process.env.BENCH_DATABASE_URL) {
    admin = process.env.BENCH_DATABASE_URL;
    if (!/bench/.test(new URL(admin).pathname))
      throw new Error('BENCH_DATABASE_URL must name a database containing "bench"');
    const u = new URL(admin);
    u.username = 'hazledger_api';
    u.password = 'hazledger_bench';
    app = u.toString();
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'hazledger-bench-')),
      persistent: false,
      log: () => undefined,
    });
    admin = embedded.ownerUrl('postgres');
    app = embedded.appUrl('postgres');
  }
  const name = `hazledger_bench_${randomBytes(4).toString('hex')}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const settings: Record<string, string> = {};
  for (const s of [
    'fsync',
    'synchronous_commit',
    'wal_sync_method',
    'server_version',
    'shared_buffers',
    'max_connections',
  ]) {
    settings[s] = (await c.query<{ v: string }>(`SELECT current_setting($1) AS v`, [s])).rows[0].v;
  }
  await c.end();
  if (settings.fsync !== 'on' || settings.synchronous_commit !== 'on') {
    throw new Error(
      `benchmarks need fsync and synchronous_commit on (found ${settings.fsync}, ${settings.synchronous_commit})`,
    );
  }
  return {
    ownerUrl: withDb(admin, name),
    appUrl: withDb(app, name),
    settings,
    stop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await d.end();
      await embedded?.stop();
    },
  };
}
