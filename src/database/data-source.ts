import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/**
 * The ONE DataSource shape used by the application (restricted role) and by the migration CLI
 * (owner role). `synchronize` is never on: the schema is what `migrations/` says.
 */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  applicationName = 'hazledger',
  jit: 'on' | 'off' = 'on',
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    poolSize,
    applicationName,
    // jit 'off' is sent as a startup parameter; 'on' sends nothing (the server's own setting holds)
    extra: { connectionTimeoutMillis: 10_000, ...(jit === 'off' ? { options: '-c jit=off' } : {}) },
  };
}

/** For the TypeORM CLI: `typeorm migration:show -d dist/src/database/data-source.js`. */
export default new DataSource(
  dataSourceOptions(
    process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/hazledger',
  ),
);
