import { Client } from 'pg';
import { withUsccCheckCharacter } from '../../../src/parties/domain/uscc';
import { type ApiProcess, gql, startApi } from '../api-process';
import type { BenchDatabase } from '../bench-db';
import type { Row } from '../report';

/**
 * 多流合一 benchmarks (no timing is asserted):
 * - `csv`: the ledger book's CSV export streams with flat memory. The book of one site is filled
 *   through the API (`small`: 10 000 entries on 1 January 2026 and 90 000 on the following days),
 *   then each export runs in a FRESH API process whose peak resident memory (VmHWM) is read after
 *   the download, with the production flags and with a capped old generation (see HEAPS).
 * - `declaration`: the annual declaration of a site with 100 000 events, generated through the
 *   API (GraphQL, everything it checks and computes), against one raw aggregate SQL query over the
 *   events (what a hand-written report would do), with the totals compared.
 */
const SIZES: Record<string, { csvRows: number[]; declarationEvents: number; repeats: number }> = {
  smoke: { csvRows: [1_000, 5_000], declarationEvents: 2_000, repeats: 3 },
  small: { csvRows: [10_000, 100_000], declarationEvents: 100_000, repeats: 5 },
  large: { csvRows: [10_000, 100_000, 1_000_000], declarationEvents: 1_000_000, repeats: 5 },
};

/**
 * The API's node flags for each measurement: as production runs it (package.json `start`), and with
 * the old generation capped at 128 MB — an export that retained its rows would fail there; one that
 * streams finishes, which tells garbage the heap has not collected yet from memory held.
 */
const HEAPS: [string, string][] = [
  ['production flags', '--max-semi-space-size=4'],
  ['old space capped at 128 MB', '--max-semi-space-size=4 --max-old-space-size=128'],
];

/** Starts an API process with these node flags (api-process.ts reads BENCH_NODE_ARGS). */
async function startApiWith(db: BenchDatabase, nodeArgs: string): Promise<ApiProcess> {
  const saved = process.env.BENCH_NODE_ARGS;
  process.env.BENCH_NODE_ARGS = nodeArgs;
  try {
    return await startApi(db);
  } finally {
    if (saved === undefined) delete process.env.BENCH_NODE_ARGS;
    else process.env.BENCH_NODE_ARGS = saved;
  }
}

const OIL = '900-214-08';
const PER_REQUEST = 100;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { __typename } }`;

/** A producer of the bench: its site and workshop, and its token (renewed: access tokens live 15 minutes). */
interface Producer {
  tag: string;
  siteId: string;
  facilityId: string;
  token: string;
  loggedInAt: number;
}

/** Logs the producer in again when its token is more than ten minutes old (fills and exports take long). */
async function tokenOf(url: string, p: Producer): Promise<string> {
  if (Date.now() - p.loggedInAt > 10 * 60_000) {
    p.token = (
      await gql<{ login: { accessToken: string } }>(url, LOGIN, {
        i: { username: `bench-flows-${p.tag}`, password: 'Bench-pass-2026' },
      })
    ).login.accessToken;
    p.loggedInAt = Date.now();
  }
  return p.token;
}

/** A producer with one site, through the API: its token, site and workshop. */
async function producer(url: string, tag: string): Promise<Producer> {
  const reg = await gql<{ registerParty: { sites: { id: string; facilities: { id: string }[] }[] } }>(
    url,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { sites { id facilities { id } } } }`,
    {
      i: {
        idempotencyKey: `bench-flows-${tag}`,
        uscc: withUsccCheckCharacter(tag === 'csv' ? '91410100MABENCH31' : '91410100MABENCH32'),
        name: `基准测试汽修厂 ${tag}`,
        types: ['PRODUCER'],
        sites: [
          {
            name: 'plant',
            divisionCode: '410102',
            address: 'bench',
            facilities: [{ type: 'PRODUCTION', name: 'line' }],
          },
        ],
        admin: { username: `bench-flows-${tag}`, password: 'Bench-pass-2026', displayName: 'bench' },
      },
    },
  );
  const token = (
    await gql<{ login: { accessToken: string } }>(url, LOGIN, {
      i: { username: `bench-flows-${tag}`, password: 'Bench-pass-2026' },
    })
  ).login.accessToken;
  const site = reg.registerParty.sites[0];
  return { tag, token, loggedInAt: Date.now(), siteId: site.id, facilityId: site.facilities[0].id };
}

/**
 * Generates `entries` lots (one ledger book entry each), 100 containers per request, 16 requests in
 * flight; request k happens at `at(k)` (business time).
 */
async function fill(
  url: string,
  p: Producer,
  entries: number,
  at: (k: number) => Date,
  tag: string,
): Promise<void> {
  const requests = Math.ceil(entries / PER_REQUEST);
  const containers = Array.from({ length: PER_REQUEST }, (_, i) => ({
    wasteCode: OIL,
    mass: `${100 + (i % 50)}.${String(i % 1000).padStart(3, '0')}`,
    massBasis: 'WEIGHED',
    form: 'LIQUID',
    packaging: '200 L 钢桶',
    mainComponents: ['废机油'],
  }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < requests) {
        const k = next++;
        await gql(
          url,
          GENERATE,
          {
            i: {
              idempotencyKey: `fill-${tag}-${k}`,
              facilityId: p.facilityId,
              occurredAt: at(k).toISOString(),
              containers,
            },
          },
          await tokenOf(url, p),
        );
      }
    }),
  );
}

/** Downloads a CSV without keeping it: bytes and lines counted as the chunks arrive. */
async function download(
  url: string,
  token: string,
): Promise<{ bytes: number; lines: number; seconds: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) throw new Error(`CSV export failed: HTTP ${res.status} ${await res.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 0x0a) lines += 1;
  }
  return { bytes, lines, seconds: (performance.now() - t0) / 1000 };
}

/** The ledger book's CSV export: peak resident memory of a fresh API process per export size. */
export async function csvScenario(api: ApiProcess, db: BenchDatabase, sizeName: string): Promise<Row[]> {
  const size = SIZES[sizeName] ?? SIZES.small;
  const p = await producer(api.url, 'csv');
  const [small, ...larger] = size.csvRows;
  const dayOne = Math.ceil(small / PER_REQUEST);
  const day = (d: number, minute: number) =>
    new Date(Date.parse(`2026-01-0${d}T00:00:00.000+08:00`) + minute * 60_000);
  // the first `small` entries fall on 1 January, the rest from 2 January on (a request a minute, then ten a minute)
  await fill(
    api.url,
    p,
    size.csvRows.at(-1)!,
    (k) => (k < dayOne ? day(1, k) : day(2, Math.floor((k - dayOne) / 10))),
    'csv',
  );
  const rows: Row[] = [];
  const peaks: Record<string, number[]> = {};
  for (const [mode, nodeArgs] of HEAPS) {
    peaks[mode] = [];
    for (const [i, n] of size.csvRows.entries()) {
      const to = i === 0 ? '2026-01-01' : '2026-12-31';
      const proc = await startApiWith(db, nodeArgs);
      try {
        const token = await tokenOf(proc.url, p);
        // warm the process up (modules, pools, GraphQL schema) before measuring
        await gql(
          proc.url,
          `query($s: ID!) { ledgerBook(siteId: $s, from: "2026-01-01", to: "2026-01-01") { balances { closing } } }`,
          { s: p.siteId },
          token,
        );
        const before = proc.memory();
        const d = await download(`${proc.url}/ledger-books/${p.siteId}.csv?from=2026-01-01&to=${to}`, token);
        const after = proc.memory();
        if (d.lines !== n + 1) throw new Error(`expected ${n} rows and a header, got ${d.lines} lines`);
        peaks[mode].push(after.peakMb);
        rows.push({
          scenario: `ledger book CSV ${n} rows (${mode})`,
          subject: `fresh API process: peak RSS ${after.peakMb} MB (${before.rssMb} MB before the export)`,
          seconds: d.seconds,
          perSecond: n / d.seconds,
          note: `${(d.bytes / 1_048_576).toFixed(1)} MB of CSV`,
        });
      } finally {
        await proc.stop();
      }
    }
    for (const [i, n] of larger.entries()) {
      rows.push({
        scenario: `ledger book CSV ${n} vs ${small} rows (${mode})`,
        subject: 'peak RSS ratio (flat memory: ≈ 1)',
        ratio: peaks[mode][i + 1] / peaks[mode][0],
        note: `${peaks[mode][i + 1]} MB vs ${peaks[mode][0]} MB for ${n / small}× the rows`,
      });
    }
  }
  return rows;
}

const DECLARATION = `query($s: ID!) { declaration(siteId: $s, kind: ANNUAL, period: "2026") { figuresHash status
  figures { totals { generatedGrams closingGrams } codes { wasteCode generatedGrams transferredOutGrams closingGrams } } } }`;

/** The baseline: one aggregate over the raw events, by code. */
const RAW_AGGREGATE = `
  SELECT payload->>'wasteCode' AS code, sum((payload->>'massGrams')::bigint) AS grams
    FROM ledger_event
   WHERE event_type IN ('LotGenerated', 'LotCreatedAsResidue') AND payload->>'siteId' = $1
     AND occurred_at >= '2026-01-01T00:00:00+08:00' AND occurred_at < '2027-01-01T00:00:00+08:00'
   GROUP BY 1`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The annual declaration of a site with `declarationEvents` events: through the API vs one raw query. */
export async function declarationScenario(
  api: ApiProcess,
  db: BenchDatabase,
  sizeName: string,
): Promise<Row[]> {
  const size = SIZES[sizeName] ?? SIZES.small;
  const p = await producer(api.url, 'declaration');
  const requests = Math.ceil(size.declarationEvents / PER_REQUEST);
  const start = Date.parse('2026-01-01T08:00:00.000+08:00');
  const span = Date.parse('2026-11-01T00:00:00.000+08:00') - start;
  await fill(
    api.url,
    p,
    size.declarationEvents,
    (k) => new Date(start + Math.floor((k * span) / requests)),
    'declaration',
  );
  const viaApi: number[] = [];
  let apiGrams = 0;
  for (let i = 0; i < size.repeats; i++) {
    const t0 = performance.now();
    const d = await gql<{ declaration: { figures: { totals: { generatedGrams: string } } } }>(
      api.url,
      DECLARATION,
      { s: p.siteId },
      await tokenOf(api.url, p),
    );
    viaApi.push((performance.now() - t0) / 1000);
    apiGrams = Math.round(Number(d.declaration.figures.totals.generatedGrams) * 1000);
  }
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  const raw: number[] = [];
  let rawGrams = 0;
  try {
    const events = Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ledger_event WHERE payload->>'siteId' = $1`,
          [p.siteId],
        )
      ).rows[0].n,
    );
    for (let i = 0; i < size.repeats; i++) {
      const t0 = performance.now();
      const r = await client.query<{ code: string; grams: string }>(RAW_AGGREGATE, [p.siteId]);
      raw.push((performance.now() - t0) / 1000);
      rawGrams = r.rows.reduce((a, x) => a + Number(x.grams), 0);
    }
    if (rawGrams !== apiGrams)
      throw new Error(`the declaration (${apiGrams} g) and the raw aggregate (${rawGrams} g) disagree`);
    const label = `annual declaration, site with ${events} events`;
    return [
      {
        scenario: label,
        subject: 'GraphQL declaration (ledger book balances + movements, figures, hash)',
        seconds: median(viaApi),
        p50: median(viaApi) * 1000,
      },
      {
        scenario: label,
        subject: 'one raw aggregate SQL query over ledger_event',
        seconds: median(raw),
        p50: median(raw) * 1000,
      },
      {
        scenario: label,
        subject: 'ratio API / raw (time)',
        ratio: median(viaApi) / median(raw),
        note: `totals equal: ${apiGrams} g`,
      },
    ];
  } finally {
    await client.end();
  }
}
