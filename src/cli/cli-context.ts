import { Client } from 'pg';
import { validateEnv } from '../config/env';
import { runMigrations } from '../database/migrate';
import { resolveDatabase } from '../database/resolve-database';
import { PgSql } from '../database/sql';

/**
 * What a command-line tool needs: the database `npm start` uses (embedded or DATABASE_URL),
 * migrated, and an owner connection. `run` reports errors as one line and sets the exit code.
 */
export async function withOwnerDatabase<T>(work: (sql: PgSql, client: Client) => Promise<T>): Promise<T> {
  const embedded = await resolveDatabase((m) => console.error(m));
  try {
    const env = validateEnv(process.env);
    const ownerUrl = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
    await runMigrations(ownerUrl, env.DATABASE_URL);
    const client = new Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      return await work(new PgSql(client), client);
    } finally {
      await client.end();
    }
  } finally {
    if (embedded?.startedHere) await embedded.stop();
  }
}

export function run(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
