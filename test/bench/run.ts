import { withUsccCheckCharacter } from '../../src/parties/domain/uscc';
import { BENCH_ADMIN, gql, startApi } from './api-process';
import { benchDatabase } from './bench-db';
import { type Row, report } from './report';
import { appendScenario } from './scenarios/append';
import { chainScenario } from './scenarios/chain';
import { csvScenario, declarationScenario } from './scenarios/flows';
import { verifyScenario } from './scenarios/verify';

/**
 * `npm run bench [-- --scenario append|verify|chain|csv|declaration|all] [--size small|large]`
 * Runs on a fresh database (embedded PostgreSQL by default, BENCH_DATABASE_URL otherwise) with
 * the compiled API as its own process; prints one table of figures and ratios against baselines
 * measured in the same run, and writes the JSON to test/bench/results/. No timing is asserted.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

const SIZES = {
  smoke: { appendSeconds: 2, connections: [16], verifyEvents: 500, chainSources: 2_000, chainRepeats: 2 },
  small: {
    appendSeconds: 8,
    connections: [16, 64],
    verifyEvents: 20_000,
    chainSources: 10_000,
    chainRepeats: 10,
  },
  large: {
    appendSeconds: 20,
    connections: [16, 64, 256],
    verifyEvents: 1_000_000,
    chainSources: 100_000,
    chainRepeats: 5,
  },
} as const;

async function main(): Promise<void> {
  const scenario = arg('scenario', 'all');
  const sizeName = arg('size', 'small') as keyof typeof SIZES;
  const size = SIZES[sizeName];
  if (!size) throw new Error('--size small|large');
  const rows: Row[] = [];
  let settings: Record<string, string> = {};
  // each scenario on its own fresh database and API process: the baseline's rows never mix with the API's
  const fresh = async (
    run: (
      api: Awaited<ReturnType<typeof startApi>>,
      db: Awaited<ReturnType<typeof benchDatabase>>,
    ) => Promise<void>,
  ) => {
    const db = await benchDatabase();
    settings = db.settings;
    const api = await startApi(db);
    try {
      await run(api, db);
      const mem = api.memory();
      rows.push({
        scenario: 'memory',
        subject: 'API resident memory after the scenario (now / peak)',
        note: `${mem.rssMb} MB / ${mem.peakMb} MB (target ≤ 300 MB)`,
      });
    } finally {
      await api.stop();
      await db.stop();
    }
  };
  if (scenario === 'append' || scenario === 'all') {
    await fresh(async (api, db) => {
      rows.push(
        ...(await appendScenario(api, db, {
          connections: [...size.connections],
          seconds: size.appendSeconds,
        })),
      );
    });
  }
  if (scenario === 'verify' || scenario === 'all') {
    await fresh(async (api, db) => {
      rows.push(...(await verifyScenario(api, db, await verifyWorld(api.url), size.verifyEvents)));
    });
  }
  if (scenario === 'chain' || scenario === 'all') {
    await fresh(async (api, db) => {
      rows.push(
        ...(await chainScenario(api, db, { sources: size.chainSources, repeats: size.chainRepeats })),
      );
    });
  }
  if (scenario === 'csv' || scenario === 'all') {
    await fresh(async (api, db) => {
      rows.push(...(await csvScenario(api, db, sizeName)));
    });
  }
  if (scenario === 'declaration' || scenario === 'all') {
    await fresh(async (api, db) => {
      rows.push(...(await declarationScenario(api, db, sizeName)));
    });
  }
  report(rows, {
    run: new Date().toISOString(),
    size: sizeName,
    scenario,
    node: process.version,
    postgres: settings,
    cpus: (await import('node:os')).cpus().length,
  });
}

/** A second producer for the verification fill (its own idempotency keys). */
async function verifyWorld(url: string): Promise<{ token: string; facilityId: string }> {
  await gql(url, `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: BENCH_ADMIN });
  const reg = await gql<{ registerParty: { sites: { facilities: { id: string }[] }[] } }>(
    url,
    `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { sites { facilities { id } } } }`,
    {
      i: {
        idempotencyKey: 'bench-verify-producer',
        uscc: withUsccCheckCharacter('91410100MABENCH02'),
        name: '基准测试化工厂',
        types: ['PRODUCER'],
        sites: [
          {
            name: 'plant',
            divisionCode: '410122',
            address: 'bench',
            facilities: [{ type: 'PRODUCTION', name: 'line' }],
          },
        ],
        admin: { username: 'bench-verify', password: 'Bench-pass-2026', displayName: 'bench' },
      },
    },
  );
  const token = (
    await gql<{ login: { accessToken: string } }>(
      url,
      `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`,
      {
        i: { username: 'bench-verify', password: 'Bench-pass-2026' },
      },
    )
  ).login.accessToken;
  return { token, facilityId: reg.registerParty.sites[0].facilities[0].id };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
