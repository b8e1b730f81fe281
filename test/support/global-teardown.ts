import { Client } from 'pg';

/** Stops the embedded cluster (its folder is deleted), or drops what this run created on TEST_DATABASE_URL's server. */
export default async function globalTeardown(): Promise<void> {
  const external = globalThis.__HAZLEDGER_TEST_EXTERNAL__;
  if (external) {
    const admin = new Client({ connectionString: external.adminUrl });
    await admin.connect();
    try {
      const suffix = external.template.replace('hazledger_test_template_', '');
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
        [`hazledger_test_${suffix}_%`, external.template],
      );
      await admin.query(`ALTER DATABASE ${external.template} WITH IS_TEMPLATE false`);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__HAZLEDGER_TEST_PG__?.stop();
}
