import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { ensureAppLogin } from './roles';

/**
 * Runs pending migrations as the owner role, then makes sure the application's login role
 * exists and belongs to the restricted group role. Returns the names of the migrations applied.
 */
export async function runMigrations(ownerUrl: string, appUrl: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(ownerUrl, 2, 'hazledger-migrate'));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    await ensureAppLogin(ds, appUrl, ownerUrl);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
