import { validateEnv } from '../config/env';
import { runMigrations } from '../database/migrate';

/**
 * `npm run migration:run`: applies pending migrations as MIGRATION_DATABASE_URL (the owner role)
 * and makes sure the application role of DATABASE_URL exists. Needs a server: set DATABASE_URL.
 */
async function main(): Promise<void> {
  if (!process.env.DATABASE_URL)
    throw new Error('set DATABASE_URL (and MIGRATION_DATABASE_URL for the owner role)');
  const env = validateEnv(process.env);
  const applied = await runMigrations(env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL, env.DATABASE_URL);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
