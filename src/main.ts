import pino from 'pino';
import { validateEnv } from './config/env';
import { runMigrations } from './database/migrate';
import { resolveDatabase } from './database/resolve-database';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { context: 'Bootstrap' } });

/**
 * Starts HazLedger: an embedded PostgreSQL when DATABASE_URL is unset, migrations as the owner
 * role, then the API as the restricted role. Stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const embedded = await resolveDatabase((m) => log.info(m));
  if (process.env.NODE_ENV !== 'production' && !process.env.SYSTEM_ADMIN_USERNAME) {
    // development only: a known system administrator, so that the demo world and the README's logins work
    process.env.SYSTEM_ADMIN_USERNAME = 'sysadmin';
    process.env.SYSTEM_ADMIN_PASSWORD ??= 'Sysadmin-pass-2026';
  }
  const env = validateEnv(process.env);
  const db = new URL(env.DATABASE_URL);
  log.info(
    {
      host: db.hostname,
      port: db.port || '5432',
      database: db.pathname.slice(1),
      user: db.username,
      embedded: !!embedded,
    },
    embedded ? 'using the embedded PostgreSQL' : 'using the PostgreSQL server of DATABASE_URL',
  );
  if (!env.MIGRATION_DATABASE_URL) {
    log.warn(
      'MIGRATION_DATABASE_URL is unset: migrations run as the application role, which then owns the tables',
    );
  }
  const applied = await runMigrations(env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL, env.DATABASE_URL);
  log.info(
    { applied },
    applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date',
  );

  const { createApp } = await import('./app.factory.js');
  const app = await createApp();
  await app.init();
  const { seedDemoIfEmpty } = await import('./database/demo-seed.js');
  await seedDemoIfEmpty(app, env, (m) => log.info(m)).catch((e: unknown) => {
    log.error({ err: e }, 'the demo world could not be loaded; the API runs without it');
  });
  await app.listen({ port: env.PORT, host: env.HOST });
  const shown = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  log.info(
    `HazLedger listening on http://${shown}:${env.PORT}/graphql` +
      ((env.GRAPHIQL ?? env.NODE_ENV !== 'production')
        ? ` (GraphiQL: http://${shown}:${env.PORT}/graphiql)`
        : ''),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: closing`);
    await app.close().catch((e: unknown) => log.error({ err: e }, 'error while closing the API'));
    if (embedded?.startedHere)
      await embedded.stop().catch((e: unknown) => log.error({ err: e }, 'error while stopping PostgreSQL'));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  log.fatal(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
