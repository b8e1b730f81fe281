import { mayCall, PERMISSIONS } from '../../src/shared/auth/permissions';
import type { Principal, Role } from '../../src/shared/auth/principal';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, idem, login, ok, registerParty } from '../support/auth';

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface FieldDef {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: FieldDef[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF = `kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;
const INTROSPECT = `{ __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } }
          inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`;

const SCALAR_SAMPLES: Record<string, unknown> = {
  String: 'x',
  ID: 'x',
  Int: 1,
  Float: 1,
  Boolean: true,
  DateTime: '2026-01-01T00:00:00.000Z',
  LocalDate: '2026-01-01',
  Mass: '1',
  Long: 1,
  JSON: {},
};

/** Builds a minimal, type-correct call of every root operation, generated from the schema. */
class CallBuilder {
  constructor(private readonly types: Map<string, FullType>) {}

  private typeString(t: TypeRef): string {
    if (t.kind === 'NON_NULL') return `${this.typeString(t.ofType!)}!`;
    if (t.kind === 'LIST') return `[${this.typeString(t.ofType!)}]`;
    return t.name!;
  }

  private sample(t: TypeRef, depth = 0): unknown {
    if (t.kind === 'NON_NULL') return this.sample(t.ofType!, depth);
    if (t.kind === 'LIST') return [this.sample(t.ofType!, depth)];
    if (t.kind === 'SCALAR') return SCALAR_SAMPLES[t.name!] ?? 'x';
    const full = this.types.get(t.name!)!;
    if (t.kind === 'ENUM') return full.enumValues![0].name;
    const out: Record<string, unknown> = {};
    for (const f of full.inputFields ?? [])
      if (f.type.kind === 'NON_NULL' && depth < 6) out[f.name] = this.sample(f.type, depth + 1);
    return out;
  }

  private selection(t: TypeRef): string {
    let base = t;
    while (base.kind === 'NON_NULL' || base.kind === 'LIST') base = base.ofType!;
    return base.kind === 'OBJECT' || base.kind === 'INTERFACE' || base.kind === 'UNION'
      ? ' { __typename }'
      : '';
  }

  call(keyword: 'query' | 'mutation', f: FieldDef): { query: string; variables: Record<string, unknown> } {
    const required = f.args.filter((a) => a.type.kind === 'NON_NULL');
    const decl = required.map((a) => `$${a.name}: ${this.typeString(a.type)}`).join(', ');
    const pass = required.map((a) => `${a.name}: $${a.name}`).join(', ');
    const variables = Object.fromEntries(required.map((a) => [a.name, this.sample(a.type)]));
    return {
      query: `${keyword}${decl ? ` (${decl})` : ''} { ${f.name}${pass ? `(${pass})` : ''}${this.selection(f.type)} }`,
      variables,
    };
  }
}

const principalFor = (role: Role): Principal =>
  role === 'DEVICE'
    ? {
        kind: 'DEVICE',
        actor: { kind: 'DEVICE', deviceId: 'd', partyId: 'p' },
        deviceId: 'd',
        partyId: 'p',
        role: 'DEVICE',
        operations: ['me'],
      }
    : {
        kind: 'USER',
        actor: { kind: 'USER', userId: 'u' },
        userId: 'u',
        role,
        partyId: ['ADMIN', 'OPERATOR', 'DRIVER', 'VIEWER'].includes(role) ? 'p' : null,
        partyVerified: true,
        agency:
          role === 'REGULATOR' || role === 'INSPECTOR'
            ? { agencyId: 'a', kind: 'ENVIRONMENT', level: 'CITY', jurisdiction: ['4101'] }
            : null,
      };

describe('the permission table covers and guards every operation of the schema', () => {
  let t: TestApp;
  let ops: { keyword: 'query' | 'mutation'; field: FieldDef }[];
  let builder: CallBuilder;
  let subscriptions: string[] = [];
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const res = await t.gql(INTROSPECT);
    const schema = res.body.data.__schema;
    const types = new Map<string, FullType>((schema.types as FullType[]).map((x) => [x.name, x]));
    builder = new CallBuilder(types);
    subscriptions = schema.subscriptionType
      ? types.get(schema.subscriptionType.name)!.fields!.map((f) => f.name)
      : [];
    ops = [
      ...types.get(schema.queryType.name)!.fields!.map((field) => ({ keyword: 'query' as const, field })),
      ...(schema.mutationType
        ? types
            .get(schema.mutationType.name)!
            .fields!.map((field) => ({ keyword: 'mutation' as const, field }))
        : []),
    ];

    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    tokens.set('SYSTEM_ADMIN', sys);
    tokens.set(
      'REGULATOR',
      (
        await createAgency(t, sys, {
          name: 'city',
          level: 'CITY',
          divisionCode: '410100',
          jurisdiction: ['4101'],
          username: 'perm-reg',
        })
      ).token,
    );
    tokens.set(
      'INSPECTOR',
      (
        await createAgency(t, sys, {
          name: 'police',
          kind: 'POLICE',
          level: 'CITY',
          divisionCode: '410100',
          jurisdiction: ['4101'],
          username: 'perm-police',
        })
      ).token,
    );
    const party = await registerParty(t, {
      name: 'Perm Co',
      types: ['PRODUCER', 'TRANSPORTER'],
      admin: 'perm-admin',
    });
    tokens.set('ADMIN', party.token);
    for (const role of ['OPERATOR', 'DRIVER', 'VIEWER'] as const) {
      await ok(
        t,
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('u'),
            role,
            user: { username: `perm-${role.toLowerCase()}`, password: 'Worker-pass-1', displayName: role },
          },
        },
        party.token,
      );
      tokens.set(role, await login(t, `perm-${role.toLowerCase()}`, 'Worker-pass-1'));
    }
    const dev = await ok<{ registerDevice: { apiKey: string } }>(
      t,
      `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { apiKey } }`,
      {
        i: { idempotencyKey: idem('dev'), kind: 'SCANNER', label: 's', operations: ['me'] },
      },
      party.token,
    );
    const ex = await ok<{ exchangeDeviceKey: { accessToken: string } }>(
      t,
      `mutation($i: ExchangeDeviceKeyInput!) { exchangeDeviceKey(input: $i) { accessToken } }`,
      {
        i: { apiKey: dev.registerDevice.apiKey },
      },
    );
    tokens.set('DEVICE', ex.exchangeDeviceKey.accessToken);
  });
  afterAll(() => t.close());

  it('has a rule for every query, mutation and subscription, and no rule for an operation that does not exist', () => {
    const names = [...ops.map((o) => o.field.name), ...subscriptions];
    expect(names.filter((n) => !PERMISSIONS[n])).toEqual([]);
    expect(Object.keys(PERMISSIONS).filter((n) => !names.includes(n))).toEqual([]);
  });

  it('refuses every non-public operation to an anonymous caller with UNAUTHENTICATED', async () => {
    const wrong: string[] = [];
    for (const o of ops.filter((x) => !PERMISSIONS[x.field.name].audiences.includes('PUBLIC'))) {
      const { query, variables } = builder.call(o.keyword, o.field);
      const res = await t.gql(query, variables);
      const code = res.body.errors?.[0]?.extensions?.code;
      if (code !== 'UNAUTHENTICATED')
        wrong.push(
          `${o.field.name}: ${code ?? 'answered'} ${JSON.stringify(res.body.errors?.[0]?.message ?? '')}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every operation to each role the table does not list, with FORBIDDEN', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [role, token] of tokens) {
      for (const o of ops) {
        if (mayCall(principalFor(role), o.field.name) === 'ALLOWED') continue;
        checked += 1;
        const { query, variables } = builder.call(o.keyword, o.field);
        const res = await t.gql(query, variables, token);
        const code = res.body.errors?.[0]?.extensions?.code;
        if (code !== 'FORBIDDEN') wrong.push(`${role} ${o.field.name}: ${code ?? 'answered'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
