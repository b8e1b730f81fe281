import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { testCluster } from './test-cluster';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  /** A pool on the owner role, for assertions and for tampering in tests. */
  owner: Pool;
  drop: () => Promise<void>;
}

/** A fresh database cloned from the migrated template: one per test file (or per test that needs it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const cluster = testCluster();
  const suffix = cluster.template.replace('hazledger_test_template_', '');
  const name = `hazledger_test_${suffix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${cluster.template}`);
  } finally {
    await admin.end();
  }
  const owner = new Pool({ connectionString: cluster.ownerUrl(name), max: 4 });
  owner.on('error', () => undefined); // a test may terminate its backends on purpose
  return {
    name,
    ownerUrl: cluster.ownerUrl(name),
    appUrl: cluster.appUrl(name),
    owner,
    drop: async () => {
      await owner.end();
      const c = new Client({ connectionString: cluster.adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
