import { withUsccCheckCharacter } from '../../src/parties/domain/uscc';
import type { TestApp } from './app';

/** Env for a test app with a known system administrator and a known HS256 secret (to forge tokens in tests). */
export const AUTH_ENV = {
  SYSTEM_ADMIN_USERNAME: 'sysadmin',
  SYSTEM_ADMIN_PASSWORD: 'Sysadmin-pass-1',
  JWT_SECRET: 'test-secret-for-forging-tokens-0123456789',
};

let seq = 0;
const key = (what: string) => `${what}-${process.pid}-${++seq}`;

/** A valid USCC (GB 32100-2015) that differs per call. */
export function newUscc(): string {
  seq += 1;
  return withUsccCheckCharacter(`91410100MA${String(seq).padStart(7, '0')}`);
}

/** Logs in and returns the access token (throws with the GraphQL errors otherwise). */
export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
    i: { username, password },
  });
  if (!res.body.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(res.body.errors)}`);
  return res.body.data.login.accessToken as string;
}

/** Runs a GraphQL operation and returns `data`, or throws with the errors. */
export async function ok<T = Record<string, unknown>>(
  t: TestApp,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const res = await t.gql(query, variables, token);
  if (res.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data as T;
}

/** The `extensions.code` of the first error (or 'NO_ERROR'). */
export async function errorCode(
  t: TestApp,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<string> {
  const res = await t.gql(query, variables, token);
  return (res.body.errors?.[0]?.extensions?.code as string | undefined) ?? 'NO_ERROR';
}

export interface Agency {
  id: string;
  token: string;
  username: string;
}

/** Creates an agency and one user of it; returns the user's token. */
export async function createAgency(
  t: TestApp,
  sysToken: string,
  a: {
    name: string;
    kind?: string;
    level: string;
    divisionCode: string;
    jurisdiction: string[];
    username: string;
  },
): Promise<Agency> {
  const { createAgency } = await ok<{ createAgency: { id: string } }>(
    t,
    `mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key('agency'),
        name: a.name,
        kind: a.kind ?? 'ENVIRONMENT',
        level: a.level,
        divisionCode: a.divisionCode,
        jurisdiction: a.jurisdiction,
      },
    },
    sysToken,
  );
  await ok(
    t,
    `mutation($i: CreateAgencyUserInput!) { createAgencyUser(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key('agency-user'),
        agencyId: createAgency.id,
        user: { username: a.username, password: 'Regulator-pass-1', displayName: a.name },
      },
    },
    sysToken,
  );
  return { id: createAgency.id, username: a.username, token: await login(t, a.username, 'Regulator-pass-1') };
}

export interface RegisteredParty {
  id: string;
  uscc: string;
  admin: string;
  token: string;
  siteIds: string[];
  facilityIds: string[];
}

/** Self-registers a party with one site (and the given facilities) and logs its ADMIN in. */
export async function registerParty(
  t: TestApp,
  p: {
    name: string;
    types: string[];
    divisionCode?: string;
    bedCount?: number;
    facilities?: { type: string; name: string; maxStock?: string }[];
    admin: string;
  },
): Promise<RegisteredParty> {
  const uscc = newUscc();
  const { registerParty } = await ok<{
    registerParty: { id: string; sites: { id: string; facilities: { id: string }[] }[] };
  }>(
    t,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { id facilities { id } } } }`,
    {
      i: {
        idempotencyKey: key('register'),
        uscc,
        name: p.name,
        types: p.types,
        bedCount: p.bedCount,
        sites: [
          {
            name: `${p.name} site`,
            divisionCode: p.divisionCode ?? '410102',
            address: '1 Test Road',
            expectedAnnualAmount: '5000',
            facilities: p.facilities ?? [{ type: 'PRODUCTION', name: 'workshop' }],
          },
        ],
        admin: { username: p.admin, password: 'Party-pass-1', displayName: `${p.name} admin` },
      },
    },
  );
  return {
    id: registerParty.id,
    uscc,
    admin: p.admin,
    token: await login(t, p.admin, 'Party-pass-1'),
    siteIds: registerParty.sites.map((s) => s.id),
    facilityIds: registerParty.sites.flatMap((s) => s.facilities.map((f) => f.id)),
  };
}

/** Verifies a party as a regulator. */
export async function verify(t: TestApp, regulatorToken: string, partyId: string): Promise<void> {
  await ok(
    t,
    `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
    { i: { idempotencyKey: key('verify'), partyId } },
    regulatorToken,
  );
}

export const idem = key;
