import { Client } from 'pg';
import { ReadingIngestionService } from '../../src/telemetry/reading-ingestion.service';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, openWorld } from '../support/world';
import { device, type Device, sitedParty } from '../e2e/telemetry-world';

jest.setTimeout(120_000);

const monthName = (d: Date) => `y${d.toISOString().slice(0, 4)}m${d.toISOString().slice(5, 7)}`;
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

/**
 * Readings live outside the ledger, in tables declaratively partitioned by month (PostgreSQL 15+),
 * with partitions created ahead by the application through a function owned by the migration role
 * (the application role may not create them itself); unique per device and instant, so that
 * concurrent deliveries of one batch store it once.
 */
describe('telemetry readings: month partitions, uniqueness, concurrency', () => {
  let t: TestApp;
  let app: Client;
  let gps: Device;
  let vehicleId: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    app = new Client({ connectionString: t.db.appUrl });
    await app.connect();
    const w = await openWorld(t);
    const henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    const carrier = await sitedParty(t, henan, {
      name: '豫危运输',
      types: ['TRANSPORTER'],
      divisionCode: '410105',
      place: { latitude: '34.8', longitude: '113.68' },
    });
    vehicleId = (await w.equipCarrier(henan, carrier)).vehicleId;
    gps = await device(t, carrier, 'GPS');
  });
  afterAll(async () => {
    await app?.end();
    await t?.close();
  });

  const partitions = async (parent: string) =>
    (
      await t.db.owner.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass ORDER BY 1`,
        [parent],
      )
    ).rows.map((r) => r.name);

  it('points and weighings are range-partitioned on their instant', async () => {
    const { rows } = await t.db.owner.query<{ table: string; key: string }>(
      `SELECT c.relname AS table, pg_get_partkeydef(c.oid) AS key FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
        WHERE c.relname LIKE 'telemetry_%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { table: 'telemetry_gps_point', key: 'RANGE (at)' },
      { table: 'telemetry_weighing', key: 'RANGE (at)' },
    ]);
  });

  it('the application created this month’s partition and three ahead at start', async () => {
    const now = new Date();
    for (const parent of ['telemetry_gps_point', 'telemetry_weighing']) {
      const names = await partitions(parent);
      for (let i = 0; i <= 3; i++) expect(names).toContain(`${parent}_${monthName(addMonths(now, i))}`);
    }
  });

  it('the application role may not create a partition itself, only through the function (idempotent)', async () => {
    const far = addMonths(new Date(), 20);
    const name = `telemetry_gps_point_${monthName(far)}`;
    await expect(
      app.query(
        `CREATE TABLE ${name} PARTITION OF telemetry_gps_point FOR VALUES FROM ('${far.toISOString()}') TO ('${addMonths(far, 1).toISOString()}')`,
      ),
    ).rejects.toThrow(/must be owner|permission denied/);
    const created = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = new Client({ connectionString: t.db.appUrl });
        await c.connect();
        try {
          return (await c.query<{ n: number }>(`SELECT telemetry_ensure_partitions($1::date, 1) AS n`, [far]))
            .rows[0].n;
        } finally {
          await c.end();
        }
      }),
    );
    expect(created.sort()).toEqual([0, 0, 0, 2]); // both tables, by one of the four racing callers
    expect(await partitions('telemetry_gps_point')).toContain(name);
    await expect(app.query(`SELECT telemetry_ensure_partitions(now()::date, 99)`)).rejects.toThrow(/1 to 36/);
  });

  it('a late batch from two months ago gets its month’s partition on demand', async () => {
    const ingestion = t.app.get(ReadingIngestionService);
    const old = new Date(Date.now() - 70 * 86_400_000);
    const r = await ingestion.ingest(
      { kind: 'DEVICE', deviceId: gps.id },
      [{ vehicleId, at: old.toISOString(), latitude: '34.8', longitude: '113.7' }],
      [],
    );
    expect(r).toMatchObject({ storedPoints: 1, skipped: 0 });
    const { rows } = await t.db.owner.query<{ part: string }>(
      `SELECT tableoid::regclass::text AS part FROM telemetry_gps_point WHERE device_id = $1 AND at = $2`,
      [gps.id, old],
    );
    expect(rows).toEqual([{ part: `telemetry_gps_point_${monthName(old)}` }]);
  });

  it('a query on a time range reads only that month’s partition', async () => {
    const now = new Date();
    const from = addMonths(now, 0);
    const { rows } = await t.db.owner.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) SELECT * FROM telemetry_gps_point WHERE vehicle_id = 'x' AND at >= $1 AND at < $2`,
      [from, addMonths(now, 1)],
    );
    const plan = JSON.stringify(rows[0]['QUERY PLAN']);
    expect(plan).toContain(`telemetry_gps_point_${monthName(from)}`);
    expect(plan).not.toContain(`telemetry_gps_point_${monthName(addMonths(now, 1))}`);
  });

  it('the same batch delivered twice at once (a broker redelivery) is stored once', async () => {
    const ingestion = t.app.get(ReadingIngestionService);
    const base = Date.now() - 30 * 60_000;
    const points = Array.from({ length: 50 }, (_, k) => ({
      vehicleId,
      at: new Date(base + k * 10_000).toISOString(),
      latitude: (34.8 + k * 0.0001).toFixed(6),
      longitude: '113.700000',
    }));
    const results = await Promise.all(
      [0, 1, 2].map(() => ingestion.ingest({ kind: 'DEVICE', deviceId: gps.id }, points, [])),
    );
    expect(results.reduce((n, r) => n + r.storedPoints, 0)).toBe(50);
    expect(
      results.reduce((n, r) => n + (r.skippedByReason.find((s) => s.reason === 'DUPLICATE')?.count ?? 0), 0),
    ).toBe(100);
    const { rows } = await t.db.owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM telemetry_gps_point WHERE device_id = $1 AND at >= $2`,
      [gps.id, new Date(base)],
    );
    expect(rows[0].n).toBe(50);
    await expect(
      t.db.owner.query(
        `INSERT INTO telemetry_gps_point (device_id, at, party_id, vehicle_id, lat_e6, lon_e6, received_at)
         SELECT device_id, at, party_id, vehicle_id, lat_e6, lon_e6, received_at FROM telemetry_gps_point WHERE device_id = $1 LIMIT 1`,
        [gps.id],
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});
