import autocannon from 'autocannon';
import { Pool } from 'pg';
import { withUsccCheckCharacter } from '../../../src/parties/domain/uscc';
import { type ApiProcess, BENCH_ADMIN, gql } from '../api-process';
import type { BenchDatabase } from '../bench-db';
import { rowCounts, runBaseline, workOf } from '../baseline';
import type { Row } from '../report';

const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { __typename } }`;

/** A producer with a production facility, made through the API; returns its token and facility. */
async function producer(api: ApiProcess): Promise<{ token: string; facilityId: string }> {
  const sys = (
    await gql<{ login: { accessToken: string } }>(
      api.url,
      `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
      { i: BENCH_ADMIN },
    )
  ).login.accessToken;
  const reg = await gql<{ registerParty: { sites: { facilities: { id: string }[] }[] } }>(
    api.url,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { sites { facilities { id } } } }`,
    {
      i: {
        idempotencyKey: 'bench-producer',
        uscc: withUsccCheckCharacter('91410100MABENCH01'),
        name: '基准测试维修厂',
        types: ['PRODUCER'],
        sites: [
          {
            name: 'bench',
            divisionCode: '410102',
            address: 'bench',
            facilities: [{ type: 'PRODUCTION', name: 'shop' }],
          },
        ],
        admin: { username: 'bench-producer', password: 'Bench-pass-2026', displayName: 'bench' },
      },
    },
  );
  void sys;
  const token = (
    await gql<{ login: { accessToken: string } }>(
      api.url,
      `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
      {
        i: { username: 'bench-producer', password: 'Bench-pass-2026' },
      },
    )
  ).login.accessToken;
  return { token, facilityId: reg.registerParty.sites[0].facilities[0].id };
}

/**
 * Append throughput and latency: N concurrent clients generate lots (产生, a real custody act)
 * through GraphQL over HTTP with autocannon, against the same transaction done by a bare `pg`
 * client at the same concurrency on the same database.
 */
export async function appendScenario(
  api: ApiProcess,
  db: BenchDatabase,
  opts: { connections: number[]; seconds: number },
): Promise<Row[]> {
  const rows: Row[] = [];
  const { token, facilityId } = await producer(api);
  const owner = new Pool({ connectionString: db.ownerUrl, max: 2 });
  let n = 0;
  let peakMb = 0;
  const load = (connections: number, duration: number) =>
    autocannon({
      url: `${api.url}/graphql`,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              query: GENERATE,
              variables: {
                i: {
                  idempotencyKey: `bench-${connections}-${++n}`,
                  facilityId,
                  containers: [
                    {
                      wasteCode: '900-214-08',
                      mass: '180.5',
                      massBasis: 'WEIGHED',
                      form: 'LIQUID',
                      packaging: '200 L steel drum',
                      mainComponents: ['mineral oil'],
                    },
                  ],
                },
              },
            }),
          }),
        },
      ],
    });
  for (const connections of opts.connections) {
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, api.memory().rssMb)), 200);
    // warm-up at the same concurrency (V8's optimiser, the pool's connections), not measured
    await load(connections, Math.max(1, Math.round(opts.seconds / 4)));
    const before = await rowCounts(owner);
    const result = await load(connections, opts.seconds);
    clearInterval(sampler);
    const after = await rowCounts(owner);
    const acts = (after.get('ledger_command') ?? 0) - (before.get('ledger_command') ?? 0);
    if (acts !== result.requests.total - result.errors - result.timeouts) {
      console.warn(
        `note: ${result.requests.total} requests answered, ${acts} commands recorded (the difference failed)`,
      );
    }
    const work = await workOf(owner, before, after, Math.max(1, acts));
    const base = await runBaseline(db.ownerUrl, work, connections, opts.seconds * 1000);
    const apiPerSecond = acts / opts.seconds;
    rows.push(
      {
        scenario: `append @${connections}`,
        subject: 'API generateLots (GraphQL over HTTP)',
        perSecond: apiPerSecond,
        p50: result.latency.p50,
        p99: result.latency.p99,
      },
      {
        scenario: `append @${connections}`,
        subject: `bare pg, same rows (${work.map((w) => w.table).join(', ')})`,
        perSecond: base.perSecond,
        p50: base.p50,
        p99: base.p99,
      },
      {
        scenario: `append @${connections}`,
        subject: 'ratio API / baseline',
        ratio: apiPerSecond / base.perSecond,
        note: `throughput ${(apiPerSecond / base.perSecond).toFixed(2)}× (target ≥ 1.0×), p99 ${(result.latency.p99 / base.p99).toFixed(2)}× (target ≤ 2×); API peak RSS ${peakMb} MB${base.errors ? `; INVALID: ${base.errors} baseline transactions failed` : ''}`,
      },
    );
  }
  await owner.end();
  return rows;
}
