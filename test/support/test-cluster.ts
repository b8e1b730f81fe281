/**
 * What the global setup hands to every test worker, through environment variables
 * (workers are started after the global setup and inherit them).
 */
export interface TestCluster {
  /** Owner URL of any database on the cluster (for CREATE DATABASE). */
  adminUrl: string;
  /** Owner URL of a given database. */
  ownerUrl: (db: string) => string;
  /** Application-role URL of a given database. */
  appUrl: (db: string) => string;
  /** The migrated template every test database is cloned from. */
  template: string;
}

const withDatabase = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

export function testCluster(): TestCluster {
  const admin = process.env.HAZLEDGER_TEST_ADMIN_URL;
  const app = process.env.HAZLEDGER_TEST_APP_URL;
  const template = process.env.HAZLEDGER_TEST_TEMPLATE;
  if (!admin || !app || !template)
    throw new Error('test cluster not set up: run the tests through jest (global setup)');
  return {
    adminUrl: admin,
    ownerUrl: (db) => withDatabase(admin, db),
    appUrl: (db) => withDatabase(app, db),
    template,
  };
}

export function publishCluster(adminUrl: string, appUrl: string, template: string): void {
  process.env.HAZLEDGER_TEST_ADMIN_URL = adminUrl;
  process.env.HAZLEDGER_TEST_APP_URL = appUrl;
  process.env.HAZLEDGER_TEST_TEMPLATE = template;
}

export { withDatabase };
