import { Client } from 'pg';
import { withUsccCheckCharacter } from '../../../src/parties/domain/uscc';
import { type ApiProcess, BENCH_ADMIN, gql } from '../api-process';
import type { BenchDatabase } from '../bench-db';
import type { Row } from '../report';

const OIL = '900-214-08';
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;

/** The chain as a regulator asks for it: every lot with its custody events, and the edges. */
const CHAIN_WITH_EVENTS = `query($id: ID!) { custodyChain(lotId: $id, direction: BACKWARD) {
  nodeCount edgeCount sourceMass
  nodes { lotId level redacted wasteCode mass region status fate events { type at partyId siteId manifestId mass discrepancy } }
  edges { fromLotId toLotId kind mass } } }`;
const CHAIN_WITHOUT_EVENTS = `query($id: ID!) { custodyChain(lotId: $id, direction: BACKWARD) {
  nodeCount edgeCount sourceMass nodes { lotId level mass region status } edges { fromLotId toLotId mass } } }`;

/** The baseline: the same walk as one bare recursive query (lots with their masses, and the edges). */
const RAW_WALK = `
  WITH RECURSIVE up(lot_id) AS (
    SELECT $1::text UNION SELECT e.parent_lot_id FROM lot_lineage e JOIN up u ON e.child_lot_id = u.lot_id
  )
  SELECT (SELECT json_agg(json_build_object('lotId', l.lot_id, 'mass', l.mass_grams, 'status', l.status))
            FROM up JOIN lot l ON l.lot_id = up.lot_id) AS nodes,
         (SELECT json_agg(json_build_object('from', e.parent_lot_id, 'to', e.child_lot_id, 'grams', e.grams))
            FROM up p JOIN lot_lineage e ON e.parent_lot_id = p.lot_id JOIN up c ON c.lot_id = e.child_lot_id) AS edges`;

/** Runs `work` over `items` with `inFlight` requests at a time. */
async function pool<T>(
  items: readonly T[],
  inFlight: number,
  work: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

/** A province regulator, and a verified party licensed to store and dispose of waste oil, through the API. */
async function world(url: string) {
  const sys = (await gql<{ login: { accessToken: string } }>(url, LOGIN, { i: BENCH_ADMIN })).login
    .accessToken;
  const agency = await gql<{ createAgency: { id: string } }>(
    url,
    `mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: 'bench-chain-agency',
        name: '河南省生态环境厅',
        kind: 'ENVIRONMENT',
        level: 'PROVINCE',
        divisionCode: '410000',
        jurisdiction: ['41'],
      },
    },
    sys,
  );
  await gql(
    url,
    `mutation($i: CreateAgencyUserInput!) { createAgencyUser(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: 'bench-chain-regulator',
        agencyId: agency.createAgency.id,
        user: { username: 'bench-chain-regulator', password: 'Bench-pass-2026', displayName: 'bench' },
      },
    },
    sys,
  );
  const regulator = (
    await gql<{ login: { accessToken: string } }>(url, LOGIN, {
      i: { username: 'bench-chain-regulator', password: 'Bench-pass-2026' },
    })
  ).login.accessToken;
  const reg = await gql<{
    registerParty: { id: string; sites: { id: string; facilities: { id: string; name: string }[] }[] };
  }>(
    url,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { id facilities { id name } } } }`,
    {
      i: {
        idempotencyKey: 'bench-chain-party',
        uscc: withUsccCheckCharacter('91410100MABENCH03'),
        name: '基准测试收集处置中心',
        types: ['PRODUCER', 'COLLECTOR', 'DISPOSER'],
        sites: [
          {
            name: 'bench',
            divisionCode: '410122',
            address: 'bench',
            facilities: [
              { type: 'PRODUCTION', name: 'workshop' },
              { type: 'STORAGE_WAREHOUSE', name: 'warehouse' },
              { type: 'OWN_TREATMENT', name: 'kiln' },
            ],
          },
        ],
        admin: { username: 'bench-chain-party', password: 'Bench-pass-2026', displayName: 'bench' },
      },
    },
  );
  const party = reg.registerParty;
  await gql(
    url,
    `mutation($i: PartyRefInput!) { verifyParty(input: $i) { status } }`,
    {
      i: { idempotencyKey: 'bench-chain-verify', partyId: party.id },
    },
    regulator,
  );
  const year = new Date().getFullYear();
  await gql(
    url,
    `mutation($i: IssueLicenceInput!) { issueLicence(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: 'bench-chain-licence',
        number: '豫环许可-基准-0001',
        holderPartyId: party.id,
        kind: 'COMPREHENSIVE',
        validFrom: `${year}-01-01`,
        validTo: `${year + 4}-12-31`,
        facilitySiteIds: [party.sites[0].id],
        items: [{ scope: OIL, modes: ['STORE', 'DISPOSE'], annualCapacityTonnes: '10000' }],
      },
    },
    regulator,
  );
  const token = (
    await gql<{ login: { accessToken: string } }>(url, LOGIN, {
      i: { username: 'bench-chain-party', password: 'Bench-pass-2026' },
    })
  ).login.accessToken;
  const facility = Object.fromEntries(party.sites[0].facilities.map((f) => [f.name, f.id]));
  return { regulator, token, facility };
}

/**
 * Builds, through the API, a disposal lot from `sources` drums over three consolidation levels
 * (100 drums per lot, 10 of those per lot, then all of those into one) and incinerates it (D10).
 * Returns the disposal lot's id and the expected number of lots in its chain.
 */
async function buildChain(url: string, w: Awaited<ReturnType<typeof world>>, sources: number) {
  if (sources < 2000 || sources > 500_000)
    throw new Error('--chain sources: 2,000 to 500,000 (three levels of 100, 10, the rest)');
  const ids: string[] = [];
  const grams = (i: number) => 100 + (i % 256);
  const batches = Array.from({ length: Math.ceil(sources / 100) }, (_, b) => b);
  await pool(batches, 8, async (b) => {
    const n = Math.min(100, sources - b * 100);
    const d = await gql<{ generateLots: { id: string }[] }>(
      url,
      `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: `bench-chain-gen-${b}`,
          facilityId: w.facility.workshop,
          containers: Array.from({ length: n }, (_, k) => ({
            wasteCode: OIL,
            mass: (grams(b * 100 + k) / 1000).toFixed(3),
            massBasis: 'WEIGHED',
            form: 'LIQUID',
            packaging: '20 L 塑料桶',
            mainComponents: ['废机油'],
          })),
        },
      },
      w.token,
    );
    d.generateLots.forEach((l, k) => (ids[b * 100 + k] = l.id));
  });
  await pool(ids, 32, async (lotId, i) => {
    await gql(
      url,
      `mutation($i: StoreLotInput!) { storeLot(input: $i) { id } }`,
      { i: { idempotencyKey: `bench-chain-store-${i}`, lotId, facilityId: w.facility.warehouse } },
      w.token,
    );
  });
  const masses = new Map(ids.map((id, i) => [id, grams(i)]));
  const level = async (lots: string[], size: number, tag: string): Promise<string[]> => {
    const groups = Array.from({ length: Math.ceil(lots.length / size) }, (_, g) =>
      lots.slice(g * size, (g + 1) * size),
    );
    const out: string[] = [];
    await pool(groups, 4, async (group, g) => {
      const sum = group.reduce((a, id) => a + masses.get(id)!, 0);
      const d = await gql<{ consolidateLots: { id: string } }>(
        url,
        `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: `bench-chain-${tag}-${g}`,
            sourceLotIds: group,
            facilityId: w.facility.warehouse,
            mass: (sum / 1000).toFixed(3),
            massBasis: 'WEIGHED',
            packaging: 'IBC 吨桶',
          },
        },
        w.token,
      );
      masses.set(d.consolidateLots.id, sum);
      out[g] = d.consolidateLots.id;
    });
    return out;
  };
  const one = await level(ids, 100, 'l1');
  const two = await level(one, 10, 'l2');
  const [three] = await level(two, two.length, 'l3');
  await gql(
    url,
    `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id } } }`,
    {
      i: { idempotencyKey: 'bench-chain-treat', lotIds: [three], method: 'D10', facilityId: w.facility.kiln },
    },
    w.token,
  );
  return { lotId: three, lots: ids.length + one.length + two.length + 1 };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function timed(repeats: number, run: () => Promise<void>): Promise<number[]> {
  await run(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Custody chain (溯源链): the backward chain of a disposal lot built from `sources` drums over three
 * consolidation levels, asked through the API by a regulator (with and without each lot's custody
 * events: jurisdiction, names, places, JSON over HTTP) against one bare recursive SQL query over
 * the same tables from a minimal `pg` client (the walk alone).
 */
export async function chainScenario(
  api: ApiProcess,
  db: BenchDatabase,
  opts: { sources: number; repeats: number },
): Promise<Row[]> {
  const w = await world(api.url);
  const t0 = performance.now();
  const { lotId, lots } = await buildChain(api.url, w, opts.sources);
  const built = (performance.now() - t0) / 1000;
  const scenario = `chain of ${lots} lots (${opts.sources} sources, 3 levels)`;

  let checked = false;
  const withEvents = await timed(opts.repeats, async () => {
    const d = await gql<{ custodyChain: { nodeCount: number; nodes: { events: unknown[] }[] } }>(
      api.url,
      CHAIN_WITH_EVENTS,
      { id: lotId },
      w.regulator,
    );
    if (
      !checked &&
      (d.custodyChain.nodeCount !== lots || d.custodyChain.nodes.some((n) => n.events.length === 0))
    ) {
      throw new Error(
        `the chain has ${d.custodyChain.nodeCount} lots, expected ${lots}, each with its events`,
      );
    }
    checked = true;
  });
  const withoutEvents = await timed(opts.repeats, async () => {
    await gql(api.url, CHAIN_WITHOUT_EVENTS, { id: lotId }, w.regulator);
  });
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  const raw = await timed(opts.repeats, async () => {
    const r = await client.query<{ nodes: unknown[] }>(RAW_WALK, [lotId]);
    if (r.rows[0].nodes.length !== lots) throw new Error('the raw walk disagrees with the chain');
  });
  await client.end();

  const row = (subject: string, ms: number[], note?: string): Row => ({
    scenario,
    subject,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    perSecond: 1000 / percentile(ms, 50),
    note,
  });
  return [
    {
      scenario,
      subject: 'building it through the API (generate, store, consolidate ×3, treat)',
      seconds: built,
    },
    row(
      'API custodyChain BACKWARD, with every lot’s events',
      withEvents,
      `${opts.repeats} runs after a warm-up`,
    ),
    row('API custodyChain BACKWARD, lots and edges only', withoutEvents),
    row('bare recursive SQL (lots + edges), pg client', raw),
    {
      scenario,
      subject: 'ratio bare SQL / API (lots and edges; speed)',
      ratio: percentile(raw, 50) / percentile(withoutEvents, 50),
      note: 'the API adds jurisdiction, names, places, GraphQL and HTTP',
    },
  ];
}
