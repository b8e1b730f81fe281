import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { PgSql } from '../../src/database/sql';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { verifyLedger } from '../../src/ledger/verification/ledger-verifier';
import { type ApiProcess, startApi } from '../bench/api-process';
import { chaosProducer, CONTAINERS, generate, RestartableCluster } from './chaos-world';

/**
 * Crash and restart, against the compiled API as a real process:
 * 1. under a load of custody acts, the API is killed with SIGKILL at random moments and started
 *    again; afterwards every acknowledged act is in the ledger exactly once, no unacknowledged
 *    partial act is, every chain and checkpoint verifies, and rebuilt read models equal the live;
 * 2. PostgreSQL is stopped and started under load: the API reports not ready meanwhile, refuses
 *    writes with a retryable error (never a false success), reconnects by itself, loses nothing.
 * Each prints what it tried and what it found.
 */
describe('chaos: crashes and restarts lose no acknowledged act', () => {
  let cluster: RestartableCluster;
  let db: { ownerUrl: string; appUrl: string };
  let api: ApiProcess;
  const acked = new Set<string>();
  const attempted = new Set<string>();

  beforeAll(async () => {
    cluster = await RestartableCluster.create();
    db = await cluster.database('hazledger_chaos');
    api = await startApi(db, { LEDGER_CHECKPOINT_INTERVAL_MS: '500', LEDGER_CHECKPOINT_EVERY_EVENTS: '200' });
  });
  afterAll(async () => {
    await api?.stop();
    await cluster?.destroy();
  });

  /** Runs `workers` clients issuing acts until `stop()`; keys are recorded as attempted, and acknowledged when answered so. */
  function load(world: { token: string; facilityId: string }, prefix: string, workers: number) {
    let running = true;
    let n = 0;
    const codes = new Map<string, number>();
    const done = Promise.all(
      Array.from({ length: workers }, async () => {
        while (running) {
          const key = `${prefix}-${n++}`;
          attempted.add(key);
          const r = await generate(api.url, world, key);
          if (r.outcome === 'ACKNOWLEDGED') acked.add(key);
          else {
            codes.set(r.code ?? r.outcome, (codes.get(r.code ?? r.outcome) ?? 0) + 1);
            await new Promise((res) => setTimeout(res, 50));
          }
        }
      }),
    );
    return { stop: async () => ((running = false), await done), codes };
  }

  async function checkLedger(world: { token: string; facilityId: string }, prefix: string): Promise<void> {
    const keys = [...attempted].filter((k) => k.startsWith(prefix));
    const ackedHere = [...acked].filter((k) => k.startsWith(prefix));
    // every attempted key again: an acknowledged one returns its first result and appends nothing
    for (const key of keys) {
      let r = await generate(api.url, world, key);
      for (let i = 0; r.outcome !== 'ACKNOWLEDGED' && i < 20; i++) {
        await new Promise((res) => setTimeout(res, 250));
        r = await generate(api.url, world, key);
      }
      expect(r.outcome).toBe('ACKNOWLEDGED');
    }
    const c = new Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      const commands = await c.query<{ key: string; events: number }>(
        `SELECT k.idempotency_key AS key, count(e.position)::int AS events
           FROM ledger_command k LEFT JOIN ledger_event e ON e.command_id = k.command_id AND e.event_type = 'LotGenerated'
          WHERE k.act = 'generateLots' AND k.idempotency_key LIKE $1
          GROUP BY k.idempotency_key`,
        [`${prefix}-%`],
      );
      const byKey = new Map(commands.rows.map((r) => [r.key, r.events]));
      const lost = ackedHere.filter((k) => !byKey.has(k));
      const partial = commands.rows.filter((r) => r.events !== CONTAINERS);
      const orphans = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_event e WHERE e.event_type = 'LotGenerated'
            AND NOT EXISTS (SELECT 1 FROM ledger_command k WHERE k.command_id = e.command_id)`,
      );
      console.log(
        `acts attempted ${keys.length}, acknowledged under load ${ackedHere.length}, recorded ${byKey.size}; ` +
          `acknowledged but lost ${lost.length}; partial acts ${partial.length}; events without a command ${orphans.rows[0].n}`,
      );
      expect(lost).toEqual([]);
      expect(partial).toEqual([]);
      expect(orphans.rows[0].n).toBe(0);
      expect(byKey.size).toBe(keys.length);

      const report = await verifyLedger(new PgSql(c));
      console.log(
        `verification: ${report.eventsChecked} events, ${report.checkpointsChecked} checkpoints, unsealed tail ${report.unsealedEvents}, problems ${report.problemCount}`,
      );
      expect(report.firstProblem).toBeNull();
    } finally {
      await c.end();
    }
  }

  it('survives SIGKILL of the API at random moments under load', async () => {
    const world = await chaosProducer(api.url, 1);
    const l = load(world, 'load', 8);
    const kills = 4;
    for (let k = 0; k < kills; k++) {
      await new Promise((r) => setTimeout(r, 800 + Math.floor(Math.random() * 1500)));
      const port = Number(new URL(api.url).port);
      await api.crash();
      api = await startApi(
        db,
        { LEDGER_CHECKPOINT_INTERVAL_MS: '500', LEDGER_CHECKPOINT_EVERY_EVENTS: '200' },
        port,
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
    await l.stop();
    console.log(
      `SIGKILL ×${kills} survived; refusals and failures while down: ${JSON.stringify(Object.fromEntries(l.codes))}`,
    );
    await checkLedger(world, 'load');

    // read models rebuilt from the events alone equal the live ones
    process.env.DATABASE_URL = db.appUrl;
    process.env.MIGRATION_DATABASE_URL = db.ownerUrl;
    process.env.LEDGER_CHECKPOINTS = 'false';
    const { CoreModule } = await import('../../src/core.module.js');
    const ctx = await NestFactory.createApplicationContext(CoreModule, { logger: false });
    const c = new Client({ connectionString: db.ownerUrl });
    await c.connect();
    try {
      await c.query('BEGIN');
      const rebuilt = await rebuildAndCompare(new PgSql(c), ctx.get(LedgerService).projections);
      await c.query('ROLLBACK');
      console.log(
        `rebuild: ${rebuilt.eventsReplayed} events replayed into ${rebuilt.tables.length} tables; differences ${rebuilt.differences.length}`,
      );
      expect(rebuilt.differences).toEqual([]);
    } finally {
      await c.end();
      await ctx.close();
    }
  });

  it('reports not-ready and refuses writes with a retryable error while PostgreSQL is down, then recovers by itself', async () => {
    const world = await chaosProducer(api.url, 2);
    const l = load(world, 'pgdown', 4);
    await new Promise((r) => setTimeout(r, 1000));
    await cluster.stop();
    const ready = await fetch(`${api.url}/health/ready`).then((r) => r.status);
    const during = await generate(api.url, world, 'pgdown-probe');
    attempted.add('pgdown-probe');
    await new Promise((r) => setTimeout(r, 2000));
    await cluster.start();
    await new Promise((r) => setTimeout(r, 2000));
    const readyAfter = await fetch(`${api.url}/health/ready`).then((r) => r.status);
    await l.stop();
    console.log(
      `PostgreSQL down: /health/ready ${ready}, a write got ${during.outcome} ${during.code ?? ''}; after restart /health/ready ${readyAfter}`,
    );
    expect(ready).toBe(503);
    expect(during.outcome).not.toBe('ACKNOWLEDGED');
    expect(during.code).toBe('SERVICE_UNAVAILABLE');
    expect(readyAfter).toBe(200);
    await checkLedger(world, 'pgdown');
  });
});
