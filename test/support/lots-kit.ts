import type { TestApp } from './app';
import { login, newUscc } from './auth';

/** A party registered by a lots suite: its id, its ADMIN's token and its facilities by name. */
export interface LotsParty {
  id: string;
  token: string;
  facility: Record<string, string>;
}

/** The fields of a lot the lots suites read. */
export const LOT = `id status mass custodianPartyId facilityId clockStartsAt`;
export const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { ${LOT} labelCode batchCode } }`;

/**
 * 批次 — the calls the lots suites share, over the app `app()` returns once `beforeAll` has built
 * it: GraphQL with and without errors, registering a party with named facilities in 410102,
 * the ledger's size, a refused call checked to append nothing, a container and `generateLots`.
 */
export function lotsKit(app: () => TestApp) {
  let seq = 0;
  const key = (what: string) => `${what}-${++seq}`;

  async function call(query: string, variables: Record<string, unknown>, token?: string) {
    return (await app().gql(query, variables, token)).body;
  }
  async function gql(query: string, variables: Record<string, unknown>, token?: string) {
    const body = await call(query, variables, token);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }
  async function register(
    name: string,
    types: string[],
    facilities: [string, string][],
    bedCount?: number,
  ): Promise<LotsParty> {
    const username = `admin${++seq}`;
    const d = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: key('register'),
          uscc: newUscc(),
          name,
          types,
          bedCount,
          sites: [
            {
              name,
              divisionCode: '410102',
              address: '中原区',
              facilities: facilities.map(([type, n]) => ({ type, name: n })),
            },
          ],
          admin: { username, password: 'Party-pass-1', displayName: name },
        },
      },
    );
    const fs = d.registerParty.sites[0].facilities as { id: string; name: string }[];
    return {
      id: d.registerParty.id,
      token: await login(app(), username, 'Party-pass-1'),
      facility: Object.fromEntries(fs.map((f) => [f.name, f.id])),
    };
  }
  const ledgerSize = async () =>
    Number((await app().db.owner.query(`SELECT count(*) AS n FROM ledger_event`)).rows[0].n);
  /** The first error of a refused call, after checking that nothing was appended to the ledger. */
  async function refused(query: string, variables: Record<string, unknown>, token: string) {
    const before = await ledgerSize();
    const body = await call(query, variables, token);
    expect(body.errors).toBeDefined();
    expect(await ledgerSize()).toBe(before);
    return body.errors[0] as { message: string; extensions: Record<string, unknown> };
  }
  const container = (over: Record<string, unknown> = {}) => ({
    wasteCode: '900-214-08',
    mass: '180.000',
    massBasis: 'WEIGHED',
    form: 'LIQUID',
    packaging: '200 L steel drum',
    mainComponents: ['废机油'],
    ...over,
  });
  const generate = async (p: LotsParty, containers: unknown[], facility = 'workshop') =>
    (
      await gql(
        GENERATE,
        { i: { idempotencyKey: key('gen'), facilityId: p.facility[facility], containers } },
        p.token,
      )
    ).generateLots as { id: string; status: string; labelCode: string; batchCode: string }[];

  return { key, call, gql, register, ledgerSize, refused, container, generate };
}
