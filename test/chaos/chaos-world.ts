import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { findFreePort } from '../../src/database/free-port';
import { withUsccCheckCharacter } from '../../src/parties/domain/uscc';
import { gql } from '../bench/api-process';

/** A persistent embedded cluster that can be stopped and started again on the same port and folder. */
export class RestartableCluster {
  private pg?: EmbeddedDatabase;
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<RestartableCluster> {
    const c = new RestartableCluster(mkdtempSync(join(tmpdir(), 'hazledger-chaos-')), await findFreePort());
    await c.start();
    return c;
  }

  async start(): Promise<void> {
    this.pg = await startEmbeddedPostgres({
      dataDir: this.dir,
      persistent: true,
      port: this.port,
      log: () => undefined,
    });
  }

  async stop(): Promise<void> {
    await this.pg?.stop();
    this.pg = undefined;
  }

  async database(name: string): Promise<{ ownerUrl: string; appUrl: string }> {
    const admin = new Client({ connectionString: this.pg!.ownerUrl('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return { ownerUrl: this.pg!.ownerUrl(name), appUrl: this.pg!.appUrl(name) };
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(`${this.dir}-credentials.json`, { force: true });
  }
}

export const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { __typename } }`;
export const CONTAINERS = 3;

/** A producer with a production facility, through the API. */
export async function chaosProducer(url: string, n: number): Promise<{ token: string; facilityId: string }> {
  const reg = await gql<{ registerParty: { sites: { facilities: { id: string }[] }[] } }>(
    url,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { sites { facilities { id } } } }`,
    {
      i: {
        idempotencyKey: `chaos-producer-${n}`,
        uscc: withUsccCheckCharacter(`91410100MACHA${String(n).padStart(4, '0')}`),
        name: `混沌测试厂${n}`,
        types: ['PRODUCER'],
        sites: [
          {
            name: 'plant',
            divisionCode: '410102',
            address: 'chaos',
            facilities: [{ type: 'PRODUCTION', name: 'line' }],
          },
        ],
        admin: { username: `chaos-${n}`, password: 'Chaos-pass-2026', displayName: 'chaos' },
      },
    },
  );
  const token = (
    await gql<{ login: { accessToken: string } }>(
      url,
      `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
      {
        i: { username: `chaos-${n}`, password: 'Chaos-pass-2026' },
      },
    )
  ).login.accessToken;
  return { token, facilityId: reg.registerParty.sites[0].facilities[0].id };
}

export type Outcome = 'ACKNOWLEDGED' | 'REFUSED_RETRYABLE' | 'NO_ANSWER' | 'OTHER';

/** One custody act (generate three containers) with a given idempotency key. */
export async function generate(
  url: string,
  world: { token: string; facilityId: string },
  key: string,
): Promise<{ outcome: Outcome; code?: string }> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.token}` },
      body: JSON.stringify({
        query: GENERATE,
        variables: {
          i: {
            idempotencyKey: key,
            facilityId: world.facilityId,
            containers: Array.from({ length: CONTAINERS }, () => ({
              wasteCode: '900-214-08',
              mass: '50.5',
              massBasis: 'WEIGHED',
              form: 'LIQUID',
              packaging: 'drum',
              mainComponents: [],
            })),
          },
        },
      }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as {
      data?: { generateLots?: unknown };
      errors?: { extensions?: { code?: string; retryable?: boolean } }[];
    };
    if (body.data?.generateLots) return { outcome: 'ACKNOWLEDGED' };
    const e = body.errors?.[0]?.extensions;
    return { outcome: e?.retryable ? 'REFUSED_RETRYABLE' : 'OTHER', code: e?.code };
  } catch {
    return { outcome: 'NO_ANSWER' };
  }
}
