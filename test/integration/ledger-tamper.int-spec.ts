import fc from 'fast-check';
import type { PoolClient } from 'pg';
import { adjustCounter, readCounters } from '../../src/ledger/counters';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { verifyLedger } from '../../src/ledger/verification/ledger-verifier';
import { PgSql } from '../../src/database/sql';
import type { LedgerService } from '../../src/ledger/ledger.service';
import type { CheckpointService } from '../../src/ledger/checkpoints/checkpoint.service';
import { createTestApp, type TestApp } from '../support/app';
import { amendNote, testActor, useTestStreams, writeNote } from '../support/ledger-fixtures';

/** Runs statements as the superuser with triggers disabled: what an intruder with full access could do. */
async function tamper(t: TestApp, statements: string[]): Promise<void> {
  const c = await t.db.owner.connect();
  try {
    await c.query('BEGIN');
    await c.query('SET LOCAL session_replication_role = replica');
    for (const s of statements) await c.query(s);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

interface World {
  t: TestApp;
  ledger: LedgerService;
  checkpoints: CheckpointService;
  /** position of stream s, version v */
  pos: (stream: string, version: number) => Promise<number>;
}

/** Three streams of three events, sealed, then an unsealed tail of two events. */
async function world(): Promise<World> {
  const t = await createTestApp();
  const { ledger, checkpoints } = await useTestStreams(t.app, t.db.owner);
  try {
    for (const s of ['a', 'b', 'c']) {
      await writeNote(ledger, s, `${s}1`);
      await amendNote(ledger, s, 1, `${s}2`);
      await amendNote(ledger, s, 2, `${s}3`);
    }
    await checkpoints.sealNow();
    await amendNote(ledger, 'a', 3, 'a4');
    await writeNote(ledger, 'tail', 't1');
  } catch (e) {
    await t.close(); // the test fails on its own error, and leaves no database behind
    throw e;
  }
  const pos = async (stream: string, version: number) =>
    Number(
      (
        await t.db.owner.query(`SELECT position FROM ledger_event WHERE stream_id = $1 AND version = $2`, [
          stream,
          version,
        ])
      ).rows[0].position,
    );
  return { t, ledger, checkpoints, pos };
}

const verify = (t: TestApp) => verifyLedger(new PgSql(t.db.owner));

describe('tamper evidence: verification finds the exact position', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.t.close();
    w = undefined;
  });

  it('an untouched ledger verifies, with the unsealed tail reported', async () => {
    w = await world();
    const r = await verify(w.t);
    expect(r).toMatchObject({ ok: true, eventsChecked: 11, checkpointsChecked: 1, unsealedEvents: 2 });
  });

  it('a payload changed in place (canonical bytes untouched)', async () => {
    w = await world();
    const p = await w.pos('b', 2);
    await tamper(w.t, [`UPDATE ledger_event SET payload = '{"text":"forged"}' WHERE position = ${p}`]);
    expect((await verify(w.t)).firstProblem).toMatchObject({ position: p, kind: 'EVENT_CONTENT_MISMATCH' });
  });

  it('columns changed in place are named, and bytes that are not JSON are still checked event by event', async () => {
    w = await world();
    const actor = await w.pos('a', 2);
    const occurred = await w.pos('b', 3);
    const garbled = await w.pos('c', 1);
    const bytes = Buffer.from([0xff, 0xfe, 0x7b]);
    const hash = (await import('node:crypto')).createHash('sha256').update(bytes).digest();
    await tamper(w.t, [
      `UPDATE ledger_event SET actor = '{"kind":"SYSTEM","name":"forger"}' WHERE position = ${actor}`,
      `UPDATE ledger_event SET occurred_at = occurred_at + interval '1 second' WHERE position = ${occurred}`,
      `UPDATE ledger_event SET canonical = '\\x${bytes.toString('hex')}', hash = '\\x${hash.toString('hex')}' WHERE position = ${garbled}`,
    ]);
    const r = await verify(w.t);
    const at = (position: number) => r.problems.filter((x) => x.position === position);
    expect(at(actor)).toEqual([
      expect.objectContaining({
        kind: 'EVENT_CONTENT_MISMATCH',
        message: 'column actor differs from the hashed content',
      }),
    ]);
    expect(at(occurred)).toEqual([
      expect.objectContaining({
        kind: 'EVENT_CONTENT_MISMATCH',
        message: 'column occurredAt differs from the hashed content',
      }),
    ]);
    expect(at(garbled).map((x) => x.kind)).toEqual(
      expect.arrayContaining(['EVENT_CONTENT_MISMATCH', 'EVENT_CHANGED_AFTER_SEAL']),
    );
    expect(r.eventsChecked).toBe(11);
  });

  it('an event rewritten consistently (payload, bytes and hash) inside a sealed range', async () => {
    w = await world();
    const p = await w.pos('b', 2);
    const row = (await w.t.db.owner.query(`SELECT canonical FROM ledger_event WHERE position = $1`, [p]))
      .rows[0];
    const forged = Buffer.from(row.canonical.toString('utf8').replace('"b2"', '"XX"'));
    const hash = (await import('node:crypto')).createHash('sha256').update(forged).digest();
    await tamper(w.t, [
      `UPDATE ledger_event SET payload = '{"text":"XX"}', canonical = '\\x${forged.toString('hex')}', hash = '\\x${hash.toString('hex')}' WHERE position = ${p}`,
    ]);
    const r = await verify(w.t);
    expect(r.firstProblem).toMatchObject({ position: p, kind: 'EVENT_CHANGED_AFTER_SEAL' });
    expect(r.problems.map((x) => x.kind)).toContain('STREAM_CHAIN_BROKEN');
  });

  it('an event deleted from the middle of a sealed stream', async () => {
    w = await world();
    const p = await w.pos('c', 2);
    await tamper(w.t, [`DELETE FROM ledger_event WHERE position = ${p}`]);
    expect((await verify(w.t)).firstProblem).toMatchObject({ position: p, kind: 'EVENT_DELETED' });
  });

  it("a sealed stream's last event deleted, and its stream head rewound to hide it", async () => {
    w = await world();
    const p = await w.pos('c', 3);
    const prev = (
      await w.t.db.owner.query(
        `SELECT hash, position FROM ledger_event WHERE stream_id = 'c' AND version = 2`,
      )
    ).rows[0];
    await tamper(w.t, [
      `DELETE FROM ledger_event WHERE position = ${p}`,
      `UPDATE ledger_stream SET version = 2, last_hash = '\\x${prev.hash.toString('hex')}', last_position = ${prev.position} WHERE stream_id = 'c'`,
    ]);
    const r = await verify(w.t);
    expect(r.firstProblem).toMatchObject({ position: p, kind: 'EVENT_DELETED' });
    expect(r.problemCount).toBe(1);
  });

  it('a whole checkpoint deleted', async () => {
    w = await world();
    await w.checkpoints.sealNow();
    await tamper(w.t, [`DELETE FROM ledger_checkpoint WHERE checkpoint_no = 1`]);
    const r = await verify(w.t);
    expect(r.firstProblem?.kind).toBe('CHECKPOINT_MISSING');
  });

  it('an unsealed tail event deleted is caught by its stream head, and the tail is reported as not yet verifiable', async () => {
    w = await world();
    const p = await w.pos('tail', 1);
    await tamper(w.t, [`DELETE FROM ledger_event WHERE position = ${p}`]);
    const r = await verify(w.t);
    expect(r.firstProblem).toMatchObject({ position: p, kind: 'STREAM_HEAD_MISMATCH' });
    expect(r.unsealedEvents).toBe(1);
  });
});

describe('projections rebuilt from the events alone equal the live ones', () => {
  let t: TestApp;
  let ledger: LedgerService;
  beforeAll(async () => {
    t = await createTestApp();
    ({ ledger } = await useTestStreams(t.app, t.db.owner));
  });
  afterAll(() => t.close());

  const rebuild = async () => {
    const c: PoolClient = await t.db.owner.connect();
    try {
      await c.query('BEGIN');
      return await rebuildAndCompare(new PgSql(c), ledger.projections);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  };

  type Op =
    | { kind: 'write' | 'amend'; stream: number; text: string }
    | { kind: 'alert'; n: number }
    | { kind: 'count'; counter: number; delta: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), stream: fc.nat(6), text: fc.string({ maxLength: 8 }) }),
    fc.record({ kind: fc.constant('amend' as const), stream: fc.nat(6), text: fc.string({ maxLength: 8 }) }),
    fc.record({ kind: fc.constant('alert' as const), n: fc.nat(4) }),
    fc.record({
      kind: fc.constant('count' as const),
      counter: fc.nat(2),
      delta: fc.integer({ min: -50, max: 50 }),
    }),
  );
  let run = 0;

  it('after random histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        run += 1;
        for (const o of ops) {
          const id = (n: number) => `r${run}-s${n}`;
          try {
            if (o.kind === 'write') await writeNote(ledger, id(o.stream), o.text);
            if (o.kind === 'amend') {
              const v = Number(
                (
                  await t.db.owner.query(`SELECT version FROM ledger_stream WHERE stream_id = $1`, [
                    id(o.stream),
                  ])
                ).rows[0]?.version ?? 0,
              );
              if (v > 0) await amendNote(ledger, id(o.stream), v, o.text);
            }
            if (o.kind === 'alert') {
              await ledger.execute({ act: 'alert', actor: testActor() }, (tx) =>
                tx.raiseAlert({
                  rule: 'R',
                  subjectType: 's',
                  subjectId: `${o.n}`,
                  period: `${run}`,
                  severity: 'INFO',
                  region: '41',
                  evidence: { o: o.n },
                }),
              );
              if (o.n % 2 === 0) {
                await ledger.execute({ act: 'ack', actor: testActor() }, async (tx) => {
                  const { alertId } = await tx.raiseAlert({
                    rule: 'R',
                    subjectType: 's',
                    subjectId: `${o.n}`,
                    period: `${run}`,
                    severity: 'INFO',
                    region: '41',
                    evidence: {},
                  });
                  const s = await tx.readStream(alertId);
                  if (s.version === 1)
                    await tx.append(alertId, 'alert', 1, [
                      { type: 'AlertAcknowledged', data: { alertId, note: 'seen' } },
                    ]);
                });
              }
            }
            if (o.kind === 'count') {
              await ledger.execute({ act: 'count', actor: testActor() }, async (tx) => {
                const c = (await readCounters(tx, [`c${o.counter}`])).get(`c${o.counter}`)!;
                await adjustCounter(tx, c, o.delta, 'test', 'ref');
              });
            }
          } catch (e) {
            if ((e as { code?: string }).code !== 'CONFLICT') throw e;
          }
        }
        const report = await rebuild();
        expect(report.differences).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('and a tampered read model row is reported', async () => {
    await writeNote(ledger, 'rb-1', 'true text');
    await t.db.owner.query(`UPDATE test_note_view SET text = 'tampered' WHERE stream_id = 'rb-1'`);
    const report = await rebuild();
    expect(report.identical).toBe(false);
    expect(report.differences).toEqual([
      expect.objectContaining({ table: 'test_note_view', onlyLive: 1, onlyRebuilt: 1 }),
    ]);
  });
});
