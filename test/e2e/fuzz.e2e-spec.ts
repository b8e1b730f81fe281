import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, registerParty } from '../support/auth';

/**
 * Fuzzing every mutation (and query) of the schema with random inputs — strings, unicode, huge
 * numbers, negative masses, malformed codes and dates, wrong ids — generated from the schema
 * itself, as a party ADMIN and as a regulator. Whatever the input: never a 5xx, every error has
 * a code, and a refusal appends nothing to the ledger.
 */
interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface FullType {
  kind: string;
  name: string;
  fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
}
const TYPE_REF = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;
const INTROSPECT = `{ __schema { queryType { name } mutationType { name }
  types { kind name fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } }
          inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`;

const nasty = fc.constantFrom('', ' ', '0', '-1', 'null', "'; DROP TABLE party; --", '<script>', '９１４１０１', '\u0000', 'x'.repeat(3000), '𝕳𝖆𝖟');
const SCALARS: Record<string, fc.Arbitrary<unknown>> = {
  String: fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), nasty, fc.uuid()),
  ID: fc.oneof(fc.uuid(), fc.string(), nasty),
  Int: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2147483647, -2147483648)),
  Float: fc.double({ noNaN: true, noDefaultInfinity: true }),
  Boolean: fc.boolean(),
  DateTime: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-13-45T99:00:00Z', 'yesterday', '9999-12-31T23:59:59Z'), fc.string()),
  LocalDate: fc.oneof(fc.constantFrom('2026-02-30', '2026-01-01', '0000-00-00', '20260101'), fc.string()),
  Mass: fc.oneof(fc.constantFrom('-1', '0', '1e9', '12.3456', 'NaN', '99999999999999', '1.5'), fc.string()),
  Long: fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  JSON: fc.jsonValue(),
};

class Fuzzer {
  constructor(private readonly types: Map<string, FullType>) {}

  typeString(t: TypeRef): string {
    if (t.kind === 'NON_NULL') return `${this.typeString(t.ofType!)}!`;
    if (t.kind === 'LIST') return `[${this.typeString(t.ofType!)}]`;
    return t.name!;
  }

  arb(t: TypeRef, depth = 0): fc.Arbitrary<unknown> {
    if (t.kind === 'NON_NULL') return this.arb(t.ofType!, depth);
    if (t.kind === 'LIST') return fc.array(this.arb(t.ofType!, depth + 1), { maxLength: depth > 2 ? 1 : 3 });
    if (t.kind === 'SCALAR') return SCALARS[t.name!] ?? fc.string();
    const full = this.types.get(t.name!)!;
    if (t.kind === 'ENUM') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...full.enumValues!.map((v) => v.name)) }, { weight: 1, arbitrary: fc.string() });
    const fields = full.inputFields ?? [];
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) shape[f.name] = depth > 4 ? fc.constant(null) : this.arb(f.type, depth + 1);
    const required = fields.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name);
    return fc.record(shape, { requiredKeys: required });
  }

  selection(t: TypeRef): string {
    let base = t;
    while (base.kind === 'NON_NULL' || base.kind === 'LIST') base = base.ofType!;
    return base.kind === 'OBJECT' ? ' { __typename }' : '';
  }
}

describe('fuzzing every operation with random inputs', () => {
  let t: TestApp;
  const tokens: string[] = [];
  let fuzzer: Fuzzer;
  let ops: { keyword: string; field: NonNullable<FullType['fields']>[number] }[];

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    tokens.push((await registerParty(t, { name: 'Fuzz Co', types: ['PRODUCER', 'COLLECTOR'], admin: 'fuzz-admin' })).token);
    tokens.push((await createAgency(t, sys, { name: 'fuzz', level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'], username: 'fuzz-reg' })).token);
    const schema = (await t.gql(INTROSPECT)).body.data.__schema;
    const types = new Map<string, FullType>((schema.types as FullType[]).map((x) => [x.name, x]));
    fuzzer = new Fuzzer(types);
    ops = [
      ...types.get(schema.mutationType.name)!.fields!.map((field) => ({ keyword: 'mutation', field })),
      ...types.get(schema.queryType.name)!.fields!.filter((f) => f.args.length > 0).map((field) => ({ keyword: 'query', field })),
    ];
  });
  afterAll(() => t.close());

  it('never answers 5xx, always codes its errors, and appends nothing when it refuses', async () => {
    const problems: string[] = [];
    let calls = 0;
    const codes = new Map<string, number>();
    for (const { keyword, field } of ops) {
      const args = field.args;
      const decl = args.map((a) => `$${a.name}: ${fuzzer.typeString(a.type)}`).join(', ');
      const pass = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `${keyword}${decl ? ` (${decl})` : ''} { ${field.name}${pass ? `(${pass})` : ''}${fuzzer.selection(field.type)} }`;
      const arb = fc.record(Object.fromEntries(args.map((a) => [a.name, fuzzer.arb(a.type)])));
      for (const variables of fc.sample(arb, { numRuns: 6, seed: 20261128 + calls })) {
        for (const token of tokens) {
          calls += 1;
          const before = (await t.db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_event`)).rows[0].n;
          const res = await t.gql(query, variables, token);
          const after = (await t.db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_event`)).rows[0].n;
          const errors = (res.body.errors ?? []) as { extensions?: { code?: string } }[];
          if (res.status >= 500) problems.push(`${field.name}: HTTP ${res.status}`);
          for (const e of errors) {
            const code = e.extensions?.code;
            if (!code) problems.push(`${field.name}: an error without a code`);
            else codes.set(code, (codes.get(code) ?? 0) + 1);
            if (code === 'INTERNAL_SERVER_ERROR') problems.push(`${field.name}: INTERNAL_SERVER_ERROR for ${JSON.stringify(variables).slice(0, 200)}`);
          }
          if (errors.length > 0 && after !== before) problems.push(`${field.name}: refused but appended ${after - before} event(s)`);
        }
      }
    }
    console.log(`fuzzing: ${calls} calls over ${ops.length} operations; codes ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(problems).toEqual([]);
  }, 600_000);
});
