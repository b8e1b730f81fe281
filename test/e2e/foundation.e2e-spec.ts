import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestApp, type TestApp } from '../support/app';
import { testCluster } from '../support/test-cluster';

describe('foundation over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('waste catalogue', () => {
    it('lists the five medical waste codes of HW01 with their classes', async () => {
      const res = await t.gql(
        `{ wasteCodes(filter: {category: "HW01"}) { totalCount nodes { code category medicalClass } } }`,
      );
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.wasteCodes.totalCount).toBe(5);
      expect(res.body.data.wasteCodes.nodes.map((n: { medicalClass: string }) => n.medicalClass)).toEqual([
        'INFECTIOUS',
        'SHARPS',
        'PATHOLOGICAL',
        'CHEMICAL',
        'PHARMACEUTICAL',
      ]);
    });

    it('holds 467 codes in 46 categories, paged with cursors', async () => {
      const cats = await t.gql(`{ wasteCategories { code codeCount } }`);
      expect(cats.body.data.wasteCategories).toHaveLength(46);
      const seen = new Set<string>();
      let after: string | null = null;
      let total = 0;
      do {
        const res = await t.gql(
          `query($after: String) { wasteCodes(first: 200, after: $after) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        const page = res.body.data.wasteCodes;
        total = page.totalCount;
        for (const n of page.nodes) seen.add(n.code);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(total).toBe(467);
      expect(seen.size).toBe(467);
    });

    it('filters by hazard and text, and returns null for an unknown code', async () => {
      const infectious = await t.gql(`{ wasteCodes(filter: {hazard: In}) { totalCount } }`);
      expect(infectious.body.data.wasteCodes.totalCount).toBe(6);
      const oil = await t.gql(
        `{ wasteCodes(filter: {category: "HW08", search: "900-214"}) { nodes { code } } }`,
      );
      expect(oil.body.data.wasteCodes.nodes).toEqual([{ code: '900-214-08' }]);
      const none = await t.gql(`{ wasteCode(code: "999-999-99") { code } }`);
      expect(none.body).toEqual({ data: { wasteCode: null } });
      const before = await t.gql(`{ wasteCode(code: "841-001-01", at: "2019-06-01T00:00:00Z") { code } }`);
      expect(before.body.data.wasteCode).toBeNull();
    });

    it('names the edition in force and its stand-in note', async () => {
      const res = await t.gql(
        `{ wasteCode(code: "900-214-08") { edition validFrom } wasteCatalogueEditions { id note } }`,
      );
      expect(res.body.data.wasteCode).toEqual({ edition: '2021', validFrom: '2021-01-01' });
      expect(res.body.data.wasteCatalogueEditions[0].note).toMatch(/2025/);
    });
  });

  describe('bad input gets a coded error, never a 500', () => {
    it.each([
      [
        'a wrong enum literal',
        `{ wasteCodes(filter: {hazard: FOO}) { totalCount } }`,
        undefined,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        'a wrong type literal',
        `{ wasteCodes(first: "ten") { totalCount } }`,
        undefined,
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        'a wrong enum in a variable',
        `query($f: WasteCodeFilter) { wasteCodes(filter: $f) { totalCount } }`,
        { f: { hazard: 'BAR' } },
        'BAD_USER_INPUT',
      ],
      [
        'a malformed category',
        `{ wasteCodes(filter: {category: "HW1"}) { totalCount } }`,
        undefined,
        'BAD_USER_INPUT',
      ],
      [
        'a page size out of range',
        `{ wasteCodes(first: 100000) { totalCount } }`,
        undefined,
        'BAD_USER_INPUT',
      ],
      [
        'a forged cursor',
        `{ wasteCodes(after: "not-a-cursor") { totalCount } }`,
        undefined,
        'BAD_USER_INPUT',
      ],
      ['a malformed waste code', `{ wasteCode(code: "HW08") { code } }`, undefined, 'BAD_USER_INPUT'],
      ['an unknown field', `{ wasteCodez { totalCount } }`, undefined, 'GRAPHQL_VALIDATION_FAILED'],
      ['a syntax error', `{ wasteCodes { `, undefined, 'GRAPHQL_PARSE_FAILED'],
    ])('%s', async (_what, query, variables, code) => {
      const res = await t.gql(query, variables);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors[0].extensions.code).toBe(code);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
    });

    it('names the field of a class-validator refusal', async () => {
      const res = await t.gql(`{ wasteCodes(filter: {category: "HW1"}) { totalCount } }`);
      expect(res.body.errors[0].extensions.field).toBe('filter.category');
    });

    it('answers bad JSON with 400 and a code', async () => {
      const res = await t.http().post('/graphql').set('content-type', 'application/json').send('{not json');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('database sessions', () => {
    it('run without PostgreSQL JIT by default (DATABASE_JIT)', async () => {
      const [row] = await t.app
        .get(DataSource)
        .query<{ jit: string }[]>(`SELECT current_setting('jit') AS jit`);
      expect(row.jit).toBe('off');
    });

    it('leave the server its own JIT setting with DATABASE_JIT=on (no startup parameter sent)', () => {
      const url = 'postgres://a:b@localhost/x';
      expect(dataSourceOptions(url, 10, 'api', 'off').extra).toMatchObject({ options: '-c jit=off' });
      expect(dataSourceOptions(url, 10, 'api', 'on').extra).not.toHaveProperty('options');
    });
  });

  describe('health', () => {
    it('reports liveness and the database state, with a request id', async () => {
      const live = await t.http().get('/health/live').set('x-request-id', 'req-123');
      expect(live.status).toBe(200);
      expect(live.headers['x-request-id']).toBe('req-123');
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.database.status).toBe('up');
    });

    it('turns not-ready while the database refuses connections, and ready again after', async () => {
      const admin = new Client({ connectionString: testCluster().adminUrl });
      await admin.connect();
      await admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
        t.db.name,
      ]);
      try {
        const down = await t.http().get('/health/ready');
        expect(down.status).toBe(503);
        expect(down.body.details.database.status).toBe('down');
      } finally {
        await admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      const up = await t.http().get('/health/ready');
      expect(up.status).toBe(200);
    });
  });
});
