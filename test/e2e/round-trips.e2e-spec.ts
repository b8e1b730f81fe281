import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV } from '../support/auth';
import { lotsKit } from '../support/lots-kit';

/**
 * The write path's round trips to PostgreSQL, which bound a custody act's throughput (see the
 * README's Performance section): reference data (catalogue codes, the exemption list) is read once
 * per process, a new lot's book entry reads no book row, and the statement count of one
 * `generateLots` stays where it was measured.
 */
jest.setTimeout(60_000);

describe('round trips of a custody act', () => {
  let t: TestApp;
  const { register, generate, container } = lotsKit(() => t);
  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
  });
  afterAll(() => t.close());

  /** The SQL statements the app sends while `run` runs (through TypeORM's logger, which sees every one). */
  async function statements(run: () => Promise<unknown>): Promise<string[]> {
    const ds: { logger: DataSource['logger'] } = t.app.get(DataSource);
    const seen: string[] = [];
    const original = ds.logger;
    ds.logger = new Proxy(original, {
      get: (target, prop, receiver) =>
        prop === 'logQuery'
          ? (q: string) => void seen.push(q.replace(/\s+/g, ' ').trim())
          : Reflect.get(target, prop, receiver),
    });
    try {
      await run();
    } finally {
      ds.logger = original;
    }
    return seen;
  }

  it('generateLots: the catalogue and exemptions come from the process cache, no book row is read, ≤ 18 statements', async () => {
    const shop = await register('汽修厂', ['PRODUCER'], [['PRODUCTION', 'workshop']]);
    const first = await statements(() => generate(shop, [container()]));
    expect(first.some((q) => /FROM waste_code/.test(q))).toBe(true);
    expect(first.some((q) => /FROM exemption_entry/.test(q))).toBe(true);

    const again = await statements(() => generate(shop, [container()]));
    expect(again.filter((q) => /FROM waste_code|FROM exemption_entry/.test(q))).toEqual([]);
    expect(again.filter((q) => /FROM flow_lot/.test(q))).toEqual([]);
    expect(again.filter((q) => /INSERT INTO lot_(party|site)/.test(q))).toHaveLength(1);
    expect(again.length).toBeLessThanOrEqual(18);
    // the act did happen: the lot is in the book
    const [{ n }] = (
      await t.db.owner.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_book_entry e JOIN flow_lot f ON f.lot_id = e.lot_id WHERE f.party_id = $1`,
        [shop.id],
      )
    ).rows;
    expect(n).toBe(2);
  });
});
