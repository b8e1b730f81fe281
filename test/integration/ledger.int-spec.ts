import { Client } from 'pg';
import { DomainError } from '../../src/shared/domain/domain-error';
import { adjustCounter, readCounters } from '../../src/ledger/counters';
import { AttemptLogService } from '../../src/ledger/attempt-log.service';
import type { CheckpointService } from '../../src/ledger/checkpoints/checkpoint.service';
import type { LedgerService } from '../../src/ledger/ledger.service';
import { LedgerQueryService } from '../../src/ledger/ledger-query.service';
import { verifyProof } from '../../src/cli/verify-proof';
import { createTestApp, type TestApp } from '../support/app';
import { amendNote, testActor, TEST_STREAM, useTestStreams, writeNote } from '../support/ledger-fixtures';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`);

describe.each([
  ['with group commit', 'true'],
  ['with one transaction per command', 'false'],
])('ledger core %s', (mode, groupCommit) => {
  let t: TestApp;
  let ledger: LedgerService;
  let checkpoints: CheckpointService;
  let queries: LedgerQueryService;

  beforeAll(async () => {
    t = await createTestApp({ LEDGER_GROUP_COMMIT: groupCommit });
    ({ ledger, checkpoints } = await useTestStreams(t.app, t.db.owner));
    queries = t.app.get(LedgerQueryService);
  });
  afterAll(() => t.close());

  const events = async (streamId: string) =>
    (
      await t.db.owner.query<{ version: number; position: string }>(
        `SELECT version, position FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
        [streamId],
      )
    ).rows;

  it('appends a chained, canonical, hashed event and applies projections in the same transaction', async () => {
    const w = await writeNote(ledger, 'note-1', '医疗废物 first');
    const a = await amendNote(ledger, 'note-1', 1, 'second');
    expect([w.version, a.version]).toEqual([1, 2]);
    const rows = (
      await t.db.owner.query(
        `SELECT version, canonical, hash, prev_hash, payload FROM ledger_event WHERE stream_id = 'note-1' ORDER BY version`,
      )
    ).rows;
    expect(rows[1].prev_hash).toEqual(rows[0].hash);
    expect(rows[0].prev_hash).toBeNull();
    const content = JSON.parse(rows[0].canonical.toString('utf8'));
    expect(content).toMatchObject({
      format: 'hazledger-event/1',
      streamId: 'note-1',
      version: 1,
      data: { text: '医疗废物 first' },
    });
    const view = await t.db.owner.query(
      `SELECT text, version FROM test_note_view WHERE stream_id = 'note-1'`,
    );
    expect(view.rows[0]).toEqual({ text: 'second', version: 2 });
  });

  it('coalesces concurrent commands into shared transactions only under group commit', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => writeNote(ledger, `gc-${i}`, 'x')));
    const { rows } = await t.db.owner.query<{ n: number }>(
      `SELECT count(DISTINCT tx_id)::int AS n FROM ledger_event WHERE stream_id LIKE 'gc-%'`,
    );
    if (mode === 'with group commit') expect(rows[0].n).toBeLessThan(40);
    else expect(rows[0].n).toBe(40);
  });

  it('lets exactly one of 50 parallel appends at the same expected version succeed; the rest get CONFLICT', async () => {
    await writeNote(ledger, 'race', 'v1');
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => amendNote(ledger, 'race', 1, `try ${i}`)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed.map((f) => codeOf(f.reason))).toEqual(Array(49).fill('CONFLICT'));
    expect((await events('race')).map((e) => e.version)).toEqual([1, 2]);
  });

  it('returns one result to 20 parallel retries with the same idempotency key and appends once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => writeNote(ledger, 'idem-1', 'once', { idempotencyKey: 'key-idem-1' })),
    );
    expect([...new Set(results.map((r) => JSON.stringify(r)))]).toHaveLength(1);
    expect(await events('idem-1')).toHaveLength(1);
    const log = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM ledger_command WHERE idempotency_key = 'key-idem-1'`,
    );
    expect(log.rows[0].n).toBe(1);
  });

  it('refuses the same idempotency key with a different request, appending nothing', async () => {
    await writeNote(ledger, 'idem-2', 'a', { idempotencyKey: 'key-idem-2' });
    await expect(writeNote(ledger, 'idem-2b', 'b', { idempotencyKey: 'key-idem-2' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await events('idem-2b')).toHaveLength(0);
    // the key is scoped to its actor: another actor may use the same key
    await writeNote(ledger, 'idem-2c', 'c', { idempotencyKey: 'key-idem-2', actor: testActor(2) });
    expect(await events('idem-2c')).toHaveLength(1);
  });

  it('refuses one of two concurrent commands that together exceed a counter limit', async () => {
    const LIMIT = 100;
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const spend = (n: number, amount: number) =>
      ledger.execute({ act: 'spend', actor: testActor(n), request: { amount, n } }, async (tx) => {
        const counters = await readCounters(tx, ['capacity:test']);
        const c = counters.get('capacity:test')!;
        arrived += 1;
        if (arrived === 1) setTimeout(release, 200); // give the other command time to reach the lock
        await Promise.race([bothRead, new Promise((r) => setTimeout(r, 300))]);
        if (c.value + amount > LIMIT) throw new DomainError('LICENCE_CAPACITY_EXCEEDED', 'over the limit');
        await adjustCounter(tx, c, amount, 'test', `spend-${n}`);
        return c.value + amount;
      });
    const results = await Promise.allSettled([spend(1, 60), spend(2, 60)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(codeOf(refused.reason)).toBe('LICENCE_CAPACITY_EXCEEDED');
    const tx = await t.db.owner.query(
      `SELECT payload FROM ledger_event WHERE stream_id = 'counter:capacity:test'`,
    );
    expect(tx.rows.map((r) => r.payload.value)).toEqual([60]);
  });

  it('refuses a business time in the future, and an earlier one unless made offline (then marked)', async () => {
    await writeNote(ledger, 'time-1', 'now');
    const future = new Date(Date.now() + 60 * 60 * 1000);
    await expect(amendNote(ledger, 'time-1', 1, 'later', { occurredAt: future })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'occurredAt' },
    });
    const past = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await expect(amendNote(ledger, 'time-1', 1, 'backdated', { occurredAt: past })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await amendNote(ledger, 'time-1', 1, 'offline scan', { occurredAt: past, offline: true });
    const row = await t.db.owner.query(
      `SELECT offline, occurred_at FROM ledger_event WHERE stream_id = 'time-1' AND version = 2`,
    );
    expect(row.rows[0]).toEqual({ offline: true, occurred_at: past });
  });

  it('moves a counter for acts whose business times cross (bookkeeping streams follow commit order)', async () => {
    const adjust = (occurredAt: Date) =>
      ledger.execute({ act: 'count', actor: testActor(), occurredAt }, async (tx) => {
        const c = (await readCounters(tx, ['crossing'])).get('crossing')!;
        await adjustCounter(tx, c, 1, 'test', 'x');
      });
    await adjust(new Date(Date.now() - 1000));
    await adjust(new Date(Date.now() - 60_000));
    const { rows } = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM ledger_event WHERE stream_id = 'counter:crossing'`,
    );
    expect(rows[0].n).toBe(2);
  });

  it('refuses unknown event types, oversized payloads and malformed idempotency keys, appending nothing', async () => {
    const unknown = ledger.execute({ act: 'x', actor: testActor() }, (tx) =>
      tx.append('bad-1', TEST_STREAM, 0, [{ type: 'NoSuchEvent', data: {} }]),
    );
    await expect(unknown).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    const huge = ledger.execute({ act: 'x', actor: testActor() }, (tx) =>
      tx.append('bad-2', TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text: 'x'.repeat(70_000) } }]),
    );
    await expect(huge).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(
      writeNote(ledger, 'bad-3', 'x', { idempotencyKey: 'spaces are not allowed' }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'idempotencyKey' },
    });
    const n = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM ledger_stream WHERE stream_id LIKE 'bad-%'`,
    );
    expect(n.rows[0].n).toBe(0);
  });

  it('rolls back every write of a command that fails after appending (one transaction)', async () => {
    const failing = ledger.execute({ act: 'x', actor: testActor() }, async (tx) => {
      await tx.append('atomic-1', TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text: 'a' } }]);
      await tx.append('atomic-2', TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text: 'b' } }]);
      throw new DomainError('MASS_MISMATCH', 'refused after the appends');
    });
    await expect(failing).rejects.toMatchObject({ code: 'MASS_MISMATCH' });
    expect(await events('atomic-1')).toHaveLength(0);
    const view = await t.db.owner.query(
      `SELECT count(*)::int AS n FROM test_note_view WHERE stream_id LIKE 'atomic-%'`,
    );
    expect(view.rows[0].n).toBe(0);
  });

  it('runs a batch in one transaction with a savepoint per command', async () => {
    await writeNote(ledger, 'batch-taken', 'exists');
    const write = (id: string, text: string) => ({
      envelope: { act: 'writeNote', actor: testActor(), request: { id, text } },
      handler: async (tx: Parameters<Parameters<LedgerService['execute']>[1]>[0]) => {
        await tx.append(id, TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text } }]);
        return id;
      },
    });
    const out = await ledger.executeBatch([
      write('batch-1', 'a'),
      write('batch-taken', 'dup'),
      write('batch-2', 'b'),
    ]);
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    expect(codeOf((out[1] as { error: unknown }).error)).toBe('CONFLICT');
    expect(await events('batch-1')).toHaveLength(1);
    expect(await events('batch-2')).toHaveLength(1);
    expect(await events('batch-taken')).toHaveLength(1);
  });

  it('raises an alert once, even when raised concurrently', async () => {
    const alert = {
      rule: 'TEST_RULE',
      subjectType: 'note',
      subjectId: 'n-1',
      period: '2026-11-28',
      severity: 'WARNING' as const,
      region: '410102',
      evidence: { why: 'test' },
    };
    const raise = () =>
      ledger.execute({ act: 'raiseAlert', actor: { kind: 'SYSTEM', name: 'test' } }, (tx) =>
        tx.raiseAlert(alert),
      );
    const results = await Promise.all([raise(), raise(), raise()]);
    expect(results.filter((r) => r.raised)).toHaveLength(1);
    expect(new Set(results.map((r) => r.alertId)).size).toBe(1);
    const rows = await t.db.owner.query(
      `SELECT rule, status, region FROM ledger_alert WHERE subject_id = 'n-1'`,
    );
    expect(rows.rows).toEqual([{ rule: 'TEST_RULE', status: 'OPEN', region: '410102' }]);
  });

  it('keeps refused custody attempts outside the hash chain', async () => {
    const before = await t.db.owner.query(`SELECT count(*)::int AS n FROM ledger_event`);
    await t.app.get(AttemptLogService).record({
      actor: testActor(),
      act: 'takeCustody',
      targetType: 'manifest',
      targetId: 'm-1',
      error: new DomainError('HANDOVER_CODE_INVALID', 'wrong code'),
      occurredAt: new Date(),
      partyIds: ['party-1'],
      region: '410102',
    });
    const rows = await t.db.owner.query(
      `SELECT act, refusal_code FROM custody_attempt WHERE target_id = 'm-1'`,
    );
    expect(rows.rows).toEqual([{ act: 'takeCustody', refusal_code: 'HANDOVER_CODE_INVALID' }]);
    const after = await t.db.owner.query(`SELECT count(*)::int AS n FROM ledger_event`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  describe('append-only in the database', () => {
    it.each([
      ['UPDATE', `UPDATE ledger_event SET payload = '{}'`],
      ['DELETE', `DELETE FROM ledger_event`],
      ['TRUNCATE', `TRUNCATE ledger_event`],
      ['UPDATE a checkpoint', `UPDATE ledger_checkpoint SET root = '\\x00'`],
    ])(
      'refuses %s even to the owner, and the application role may not even try',
      async (_what, statement) => {
        await writeNote(ledger, `append-only-${Math.random()}`, 'x');
        await checkpoints.sealNow(); // so that the checkpoint table has rows for the row triggers
        await expect(t.db.owner.query(statement)).rejects.toThrow(/append-only/);
        const app = new Client({ connectionString: t.db.appUrl });
        await app.connect();
        try {
          await expect(app.query(statement)).rejects.toThrow(/permission denied|append-only/);
        } finally {
          await app.end();
        }
      },
    );
  });

  describe('checkpoints, proofs and verification', () => {
    it('seals committed events under a signed root, and a proof verifies offline', async () => {
      await writeNote(ledger, 'proof-1', 'to be proven');
      const sealed = await checkpoints.sealNow();
      expect(sealed.length).toBeGreaterThan(0);
      const [{ position }] = await events('proof-1');
      const proof = await queries.proof(Number(position));
      expect(proof?.checkpoint).not.toBeNull();
      const keys = await queries.publicKeys();
      const result = verifyProof(proof!, keys[0].publicKey);
      expect(result.checks.filter(([, ok]) => !ok)).toEqual([]);
      // a forged event fails the proof
      const forged = {
        ...proof!,
        canonical: Buffer.from('{"format":"hazledger-event/1"}').toString('base64'),
      };
      expect(verifyProof(forged, keys[0].publicKey).ok).toBe(false);
      const report = await queries.verify();
      expect(report.ok).toBe(true);
      expect(report.unsealedEvents).toBe(0);
    });

    it('never seals a range while the only transaction holding a position in it is still open', async () => {
      await checkpoints.sealNow();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let appended!: () => void;
      const inFlight = new Promise<void>((r) => (appended = r));
      const lone = ledger.execute({ act: 'lone', actor: testActor() }, async (tx) => {
        await tx.append(`lone-${mode}`, TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text: 'alone' } }]);
        appended();
        await gate;
      });
      await inFlight;
      const candidate = await checkpoints.takeCandidate();
      expect(await checkpoints.isSafe(candidate)).toBe(false);
      release();
      await lone;
      await checkpoints.sealNow();
      expect((await queries.verify()).ok).toBe(true);
    });

    it('never seals a later commit while an earlier-positioned transaction is still open', async () => {
      await checkpoints.sealNow();
      let releaseSlow!: () => void;
      const gate = new Promise<void>((r) => (releaseSlow = r));
      let slowAppended!: () => void;
      const appended = new Promise<void>((r) => (slowAppended = r));
      const slow = ledger.execute({ act: 'slow', actor: testActor() }, async (tx) => {
        await tx.append('slow-1', TEST_STREAM, 0, [{ type: 'NoteWritten', data: { text: 'slow' } }]);
        slowAppended();
        await gate;
      });
      await appended;
      await writeNote(ledger, 'fast-1', 'fast'); // commits with a later position
      const candidate = await checkpoints.takeCandidate();
      expect(await checkpoints.isSafe(candidate)).toBe(false);
      await checkpoints.tick(); // takes a candidate
      await checkpoints.tick(); // not safe yet: seals nothing
      const [fast] = await events('fast-1');
      const covering = await t.db.owner.query(`SELECT 1 FROM ledger_checkpoint WHERE last_position >= $1`, [
        fast.position,
      ]);
      expect(covering.rowCount).toBe(0);
      releaseSlow();
      await slow;
      await checkpoints.sealNow();
      const [slowEvent] = await events('slow-1');
      const cp = await t.db.owner.query(
        `SELECT leaf_positions FROM ledger_checkpoint WHERE last_position >= $1`,
        [fast.position],
      );
      expect(cp.rows[0].leaf_positions).toEqual(expect.arrayContaining([slowEvent.position, fast.position]));
      expect((await queries.verify()).ok).toBe(true);
    });
  });
});
