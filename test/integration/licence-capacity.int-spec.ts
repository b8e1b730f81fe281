import type { PoolClient } from 'pg';
import { PgSql } from '../../src/database/sql';
import type { LedgerTransaction } from '../../src/ledger/ledger-transaction';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { type CapacityReservation, LicenceCheckService } from '../../src/licences/licence-check.service';
import { DomainError } from '../../src/shared/domain/domain-error';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, item, type IssuedLicence, openWorld, type RegisteredParty, today } from '../support/world';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`);

jest.setTimeout(60_000);

describe('licence capacity under concurrency, release and settlement', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let checks: LicenceCheckService;
  let receiver: RegisteredParty;
  let licence: IssuedLicence;
  const Y = Number(today().slice(0, 4));
  const date = `${Y}-03-01`;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    ledger = t.app.get(LedgerService);
    checks = t.app.get(LicenceCheckService);
    const w = await openWorld(t);
    const province = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    receiver = await w.verifiedParty(province, { types: ['DISPOSER'], divisionCode: '410102' });
    // HW08 utilisation: 10 t a year, so 120 % is 12 t; the HW49 item has its own counter
    licence = await w.issueLicence(province, {
      holder: receiver,
      kind: 'COMPREHENSIVE',
      validFrom: `${Y}-01-01`,
      validTo: `${Y + 2}-12-31`,
      items: [item('HW08', ['UTILISE'], '10'), item('HW49', ['DISPOSE'], '10')],
    });
  });
  afterAll(() => t.close());

  const query = (kg: number, code = '900-249-08', businessDate = date) => ({
    receiverPartyId: receiver.id,
    wasteCode: code,
    mode: code.endsWith('49') ? ('DISPOSE' as const) : ('UTILISE' as const),
    businessDate,
    massGrams: kg * 1000,
  });
  const run = <R>(ref: string, handler: (tx: LedgerTransaction) => Promise<R>) =>
    ledger.execute({ act: 'test', actor: { kind: 'SYSTEM', name: 'int' }, request: { ref } }, handler);
  const counter = async (id: string) =>
    (
      await t.db.owner.query<{ value: string; reason: string; ref: string }>(
        `SELECT payload->>'value' AS value, payload->>'reason' AS reason, payload->>'ref' AS ref
           FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
        [`counter:${id}`],
      )
    ).rows;

  /**
   * Two reservations whose transactions are both open before either reserves (each waits for the
   * other at a barrier). `overlapped` says the barrier opened for both, rather than timing out.
   */
  async function race(kgA: number, kgB: number, code: string) {
    let arrived = 0;
    let overlapped = true;
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    const reserveAfterBoth = (kg: number, ref: string) =>
      run(ref, async (tx) => {
        arrived += 1;
        if (arrived === 2) release();
        const timedOut = await Promise.race([
          both.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), 2000)),
        ]);
        if (timedOut) overlapped = false;
        return checks.reserveReceiverCapacity(tx, { ...query(kg, code), ref });
      });
    const results = await Promise.allSettled([
      reserveAfterBoth(kgA, `${code}-a`),
      reserveAfterBoth(kgB, `${code}-b`),
    ]);
    return { results, overlapped };
  }

  it('refuses one of two concurrent reservations that together pass 120 % (fresh counter)', async () => {
    const { results, overlapped } = await race(7000, 6000, '900-249-08'); // 70 % + 60 % = 130 %
    // the loser lost the compare-and-set creating the counter, or waited on it; re-run, it saw the winner
    expect(overlapped).toBe(true);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(codeOf(refused.reason)).toBe('LICENCE_CAPACITY_EXCEEDED');
    const rows = await counter(`licence-capacity:${licence.itemIds.HW08}:${Y}`);
    expect(rows).toHaveLength(1);
    expect([7_000_000, 6_000_000]).toContain(Number(rows[0].value));
  });

  it('refuses one of two concurrent reservations on a counter that already exists', async () => {
    await run('seed-49', (tx) =>
      checks.reserveReceiverCapacity(tx, { ...query(2000, '900-041-49'), ref: 'seed' }),
    );
    const { results, overlapped } = await race(5000, 5001, '900-041-49'); // 20 % + 50 % + 50.01 % = 120.01 %
    expect(overlapped).toBe(true);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(codeOf(refused.reason)).toBe('LICENCE_CAPACITY_EXCEEDED');
    const rows = await counter(`licence-capacity:${licence.itemIds.HW49}:${Y}`);
    expect(rows.map((r) => Number(r.value))).toHaveLength(2);
    expect([7_000_000, 7_001_000]).toContain(Number(rows[1].value));
  });

  it('lets both pass when together they stay at or below 120 %', async () => {
    const next = `${Y + 1}-06-01`;
    let arrived = 0;
    let release!: () => void;
    const both = new Promise<void>((r) => (release = r));
    const results = await Promise.all(
      [6000, 6000].map((kg, i) =>
        run(`ok-${i}`, async (tx) => {
          arrived += 1;
          if (arrived === 2) release();
          await Promise.race([both, new Promise((r) => setTimeout(r, 500))]);
          return checks.reserveReceiverCapacity(tx, { ...query(kg, '900-249-08', next), ref: `ok-${i}` });
        }),
      ),
    );
    expect(results.map((r) => r.capacityLevel).sort()).toEqual(['NORMAL', 'OVER_100']);
    const rows = await counter(`licence-capacity:${licence.itemIds.HW08}:${Y + 1}`);
    expect(rows.map((r) => Number(r.value))).toEqual([6_000_000, 12_000_000]);
  });

  it('releases a reservation, and settles the accepted mass in the year of receipt', async () => {
    const y2 = Y + 2;
    const r: CapacityReservation = await run('plan', (tx) =>
      checks.reserveReceiverCapacity(tx, { ...query(3000, '900-249-08', `${y2}-12-30`), ref: 'manifest-9' }),
    );
    expect(r).toMatchObject({ year: y2, grams: 3_000_000, licenceId: licence.id, capacityLevel: 'NORMAL' });
    await run('settle', (tx) => checks.settleReservation(tx, r, 2_950_000, y2 + 1));
    expect((await counter(r.counterId)).map((x) => [Number(x.value), x.reason])).toEqual([
      [3_000_000, 'RESERVED'],
      [0, 'RELEASED'],
    ]);
    expect(
      (await counter(`licence-capacity:${licence.itemIds.HW08}:${y2 + 1}`)).map((x) => [
        Number(x.value),
        x.reason,
        x.ref,
      ]),
    ).toEqual([[2_950_000, 'SETTLED', 'manifest-9']]);

    const cancelled = await run('plan-2', (tx) =>
      checks.reserveReceiverCapacity(tx, { ...query(1000, '900-249-08', `${y2}-05-01`), ref: 'manifest-10' }),
    );
    await run('cancel', (tx) => checks.releaseReservation(tx, cancelled));
    expect((await counter(cancelled.counterId)).map((x) => Number(x.value))).toEqual([
      3_000_000, 0, 1_000_000, 0,
    ]);
  });

  it('settles in the same year on one counter, alerting when the receipt itself crosses 100 %', async () => {
    const y2 = Y + 2;
    const r = await run('plan-3', (tx) =>
      checks.reserveReceiverCapacity(tx, { ...query(9000, '900-249-08', `${y2}-02-01`), ref: 'manifest-11' }),
    );
    expect(r.capacityLevel).toBe('WARNING_90');
    await run('settle-3', (tx) => checks.settleReservation(tx, r, 10_500_000, y2)); // weighed more at receipt
    const rows = await counter(r.counterId);
    expect(rows.slice(-2).map((x) => [Number(x.value), x.reason])).toEqual([
      [0, 'RELEASED'],
      [10_500_000, 'SETTLED'],
    ]);
    const alerts = await t.db.owner.query(
      `SELECT rule FROM ledger_alert WHERE subject_id = $1 AND period = $2 ORDER BY rule`,
      [licence.itemIds.HW08, String(y2)],
    );
    expect(alerts.rows.map((a) => a.rule)).toEqual(['LICENCE_CAPACITY_90', 'LICENCE_CAPACITY_OVER_100']);
  });

  it('rebuilds the licence read models from the ledger alone, equal to the live tables', async () => {
    const c: PoolClient = await t.db.owner.connect();
    try {
      await c.query('BEGIN');
      const report = await rebuildAndCompare(new PgSql(c), ledger.projections);
      expect(report.tables).toEqual(
        expect.arrayContaining(['licence', 'licence_item', 'licence_status_change']),
      );
      expect(report.differences).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});
