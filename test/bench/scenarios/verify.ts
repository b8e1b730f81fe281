import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { PgSql } from '../../../src/database/sql';
import { verifyLedger } from '../../../src/ledger/verification/ledger-verifier';
import { type ApiProcess, gql } from '../api-process';
import type { BenchDatabase } from '../bench-db';
import type { Row } from '../report';

const GENERATE = `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { __typename } }`;

/** Fills the ledger through the API: generateLots with 10 containers per request, 32 requests in flight. */
async function fill(api: ApiProcess, token: string, facilityId: string, events: number): Promise<void> {
  const requests = Math.ceil(events / 10);
  let next = 0;
  const containers = Array.from({ length: 10 }, (_, i) => ({
    wasteCode: '900-249-08',
    mass: `${10 + i}.250`,
    massBasis: 'ESTIMATED',
    form: 'LIQUID',
    packaging: 'IBC',
    mainComponents: ['oil', 'water'],
  }));
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < requests) {
        const k = next++;
        await gql(api.url, GENERATE, { i: { idempotencyKey: `fill-${k}`, facilityId, containers } }, token);
      }
    }),
  );
}

/**
 * Verification: `ledger:verify` over the whole ledger against a plain loop that reads the same
 * events' stored bytes from the database and hashes them.
 */
export async function verifyScenario(
  api: ApiProcess,
  db: BenchDatabase,
  world: { token: string; facilityId: string },
  events: number,
): Promise<Row[]> {
  await fill(api, world.token, world.facilityId, events);
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  const total = Number(
    (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ledger_event`)).rows[0].n,
  );

  /** The plain loop: read the stored bytes in keyset batches and hash them; returns how many matched. */
  const plainLoop = async (): Promise<number> => {
    let hashed = 0;
    for (let after = 0; ;) {
      const { rows } = await client.query<{ position: string; canonical: Buffer; hash: Buffer }>(
        `SELECT position, canonical, hash FROM ledger_event WHERE position > $1 ORDER BY position LIMIT 5000`,
        [after],
      );
      if (rows.length === 0) break;
      for (const r of rows) if (createHash('sha256').update(r.canonical).digest().equals(r.hash)) hashed += 1;
      after = Number(rows[rows.length - 1].position);
    }
    return hashed;
  };
  // each side three times, alternating, and the median taken: one run of a fraction of a second is noise
  const timed = async <T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
    const t0 = performance.now();
    const value = await f();
    return { seconds: (performance.now() - t0) / 1000, value };
  };
  const plainRuns: { seconds: number; value: number }[] = [];
  const verifyRuns: { seconds: number; value: Awaited<ReturnType<typeof verifyLedger>> }[] = [];
  for (let k = 0; k < 3; k++) {
    plainRuns.push(await timed(plainLoop));
    verifyRuns.push(await timed(() => verifyLedger(new PgSql(client))));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const plain = median(plainRuns.map((r) => r.seconds));
  const verify = median(verifyRuns.map((r) => r.seconds));
  const report = verifyRuns[0].value;
  const hashed = plainRuns[0].value;
  await client.end();
  if (!report.ok || hashed !== total)
    throw new Error(`the filled ledger does not verify: ${JSON.stringify(report.firstProblem)}`);
  return [
    {
      scenario: `verify ${total} events`,
      subject: 'plain loop: read stored bytes + SHA-256',
      seconds: plain,
      perSecond: total / plain,
    },
    {
      scenario: `verify ${total} events`,
      subject: 'ledger:verify (chains, content, checkpoints)',
      seconds: verify,
      perSecond: total / verify,
    },
    {
      scenario: `verify ${total} events`,
      subject: 'ratio verify / plain (speed)',
      ratio: plain / verify,
      note: 'target ≥ 0.5×',
    },
  ];
}
