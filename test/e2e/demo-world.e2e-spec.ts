import { seedDemoIfEmpty } from '../../src/database/demo-seed';
import { Env } from '../../src/config/env';
import { DEMO_PARTIES, DEMO_PASSWORD } from '../../seeds/demo-world';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, login, ok } from '../support/auth';

describe('the demo world that `npm start` loads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, SEED_DEMO: 'true' });
  }, 120_000);
  afterAll(() => t.close());

  it('loads once through the API, every record a ledger event, with working demo logins', async () => {
    const env = t.app.get(Env);
    expect(await seedDemoIfEmpty(t.app, env, () => undefined)).toBe(true);
    expect(await seedDemoIfEmpty(t.app, env, () => undefined)).toBe(false);
    const parties = await t.db.owner.query(`SELECT count(*)::int AS n FROM party WHERE status = 'VERIFIED'`);
    expect(parties.rows[0].n).toBe(DEMO_PARTIES.length);
    const events = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM ledger_event WHERE stream_type = 'party'`,
    );
    expect(events.rows[0].n).toBeGreaterThan(DEMO_PARTIES.length * 4);
    const regulator = await login(t, 'zhengzhou-regulator', DEMO_PASSWORD);
    const seen = await ok<{ parties: { totalCount: number } }>(
      t,
      `{ parties { totalCount } }`,
      undefined,
      regulator,
    );
    expect(seen.parties.totalCount).toBe(DEMO_PARTIES.length);
    const hospital = await login(t, 'hospital-admin', DEMO_PASSWORD);
    const me = await ok<{ me: { party: { name: string; status: string } } }>(
      t,
      `{ me { party { name status } } }`,
      undefined,
      hospital,
    );
    expect(me.me.party).toEqual({ name: '郑州市第一人民医院', status: 'VERIFIED' });
    // a living ledger: a consolidated lot at the township health centre, a closed and an open manifest
    const lots = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM ledger_event WHERE event_type = 'LotCreatedByConsolidation'`,
    );
    expect(lots.rows[0].n).toBe(1);
    const manifests = await t.db.owner.query(`SELECT status FROM manifest ORDER BY status`);
    expect(manifests.rows.map((r) => r.status)).toEqual(['CLOSED', 'IN_TRANSIT']);
  }, 120_000);
});
