import { join } from 'node:path';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './ensure-database';

export const EMBEDDED_DATABASE = 'hazledger';

/**
 * Makes DATABASE_URL and MIGRATION_DATABASE_URL point somewhere: the server they name, or (when
 * DATABASE_URL is unset) the embedded PostgreSQL in DATA_DIR, started or reused. Shared by
 * `main.ts` and the command-line tools, so that `npm run ledger:verify` finds what `npm start` uses.
 */
export async function resolveDatabase(log: (message: string) => void): Promise<EmbeddedDatabase | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const dataDir = join(process.env.DATA_DIR ?? '.data', 'postgres');
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: true, log });
  await ensureDatabase(embedded.ownerUrl('postgres'), EMBEDDED_DATABASE);
  process.env.DATABASE_URL = embedded.appUrl(EMBEDDED_DATABASE);
  process.env.MIGRATION_DATABASE_URL = embedded.ownerUrl(EMBEDDED_DATABASE);
  return embedded;
}
