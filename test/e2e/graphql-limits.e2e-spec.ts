import { createHash } from 'node:crypto';
import { createTestApp, type TestApp } from '../support/app';

describe('hostile GraphQL is refused cheaply, with a code', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      GRAPHQL_INTROSPECTION: 'false',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_COST: '500',
      GRAPHQL_MAX_BATCH: '3',
    });
  });
  afterAll(() => t.close());

  it('limits aliases', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: medicalWasteClasses { code }`).join(' ');
    const res = await t.gql(`{ ${aliases} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/aliases/);
  });

  it('limits the cost of a query, fragments and page sizes included', async () => {
    const res = await t.gql(
      `query { wasteCodes(first: 500) { nodes { ...F } } } fragment F on WasteCode { code category descriptionZh hazards }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/too costly/);
    const cheap = await t.gql(`{ wasteCodes(first: 5) { nodes { code } } }`);
    expect(cheap.body.errors).toBeUndefined();
  });

  it('limits batched operations', async () => {
    const one = { query: '{ medicalWasteClasses { code } }' };
    const ok = await t.http().post('/graphql').send([one, one, one]);
    expect(ok.status).toBe(200);
    const tooMany = await t.http().post('/graphql').send([one, one, one, one]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('turns introspection off when configured (the default in production)', async () => {
    const res = await t.gql(`{ __schema { types { name } } }`);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('accepts automatic persisted queries for device clients', async () => {
    const query = '{ medicalWasteClasses { code } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const ext = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await t.http().post('/graphql').send({ extensions: ext });
    expect(unknown.body.errors[0].extensions.code).toBeDefined();
    await t.http().post('/graphql').send({ query, extensions: ext });
    const byHash = await t.http().post('/graphql').send({ extensions: ext });
    expect(byHash.body.data.medicalWasteClasses).toHaveLength(5);
  });

  it('sets security headers', async () => {
    const res = await t.http().get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});
