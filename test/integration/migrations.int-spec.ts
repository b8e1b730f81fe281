import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { APP_GROUP_ROLE, APP_LOGIN_ROLE } from '../../src/database/roles';
import { testCluster } from '../support/test-cluster';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('migrations', () => {
  it('apply on an empty database, then find nothing more to do', async () => {
    const cluster = testCluster();
    const name = `hazledger_test_empty_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const first = await runMigrations(cluster.ownerUrl(name), cluster.appUrl(name));
      expect(first.length).toBeGreaterThanOrEqual(2);
      expect(await runMigrations(cluster.ownerUrl(name), cluster.appUrl(name))).toEqual([]);
      const c = new Client({ connectionString: cluster.ownerUrl(name) });
      await c.connect();
      const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows[0].n).toBe(first.length);
      const member = await c.query(
        `SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
          WHERE g.rolname = $1 AND u.rolname = $2`,
        [APP_GROUP_ROLE, APP_LOGIN_ROLE],
      );
      expect(member.rowCount).toBe(1);
      await c.end();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('waste catalogue data', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('holds the 467 codes and 46 categories of the 2021 list', async () => {
    const { rows } = await db.owner.query<{ codes: number; categories: number }>(
      `SELECT count(*)::int AS codes, count(DISTINCT category_code)::int AS categories FROM waste_code WHERE edition_id = '2021'`,
    );
    expect(rows[0]).toEqual({ codes: 467, categories: 46 });
    const cats = await db.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM waste_category');
    expect(cats.rows[0].n).toBe(46);
  });

  it('is readable but not writable by the application role', async () => {
    const app = new Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      const { rows } = await app.query<{ n: number }>('SELECT count(*)::int AS n FROM waste_code');
      expect(rows[0].n).toBe(467);
      await expect(app.query(`DELETE FROM waste_code`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
