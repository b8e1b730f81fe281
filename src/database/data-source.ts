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
    extra: { connectionTimeoutMillis: 10_000 },
  };
}

/** For the TypeORM CLI: `typeorm migration:show -d dist/src/database/data-source.js`. */
export default new DataSource(
  dataSourceOptions(
    process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/hazledger',
  ),
);
