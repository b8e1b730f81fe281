import WebSocket from 'ws';
import { CalendarService } from '../../src/lots/clock/calendar.service';
import { OversightRulesService } from '../../src/oversight/oversight-rules.service';
import { OversightScheduler, scheduleSeconds } from '../../src/oversight/oversight-scheduler';
import { shanghaiDayStart } from '../../src/shared/domain/time';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, idem, ok } from '../support/auth';
import { addDays, item, today } from '../support/world';
import { OIL, oversightWorld, type OversightWorld } from './oversight-world';

jest.setTimeout(60_000);

/** A graphql-transport-ws client that collects the `next` payloads of one subscription. */
async function subscribe(url: string, token: string, query: string) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const received: Record<string, unknown>[] = [];
  const acked = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString()) as { type: string; payload?: { data?: Record<string, unknown> } };
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve();
      }
      if (m.type === 'next' && m.payload?.data) received.push(m.payload.data);
      if (m.type === 'connection_error' || m.type === 'error') reject(new Error(JSON.stringify(m)));
    });
    ws.on('close', () => reject(new Error('closed before ack')));
  });
  await new Promise<void>((r, j) => {
    ws.on('open', () => r());
    ws.on('error', j);
  });
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  await new Promise((r) => setTimeout(r, 150));
  return { received, close: () => ws.close() };
}

interface AlertRow {
  id: string;
  rule: string;
  subjectType: string;
  subjectId: string;
  period: string;
  severity: string;
  region: string | null;
  status: string;
  partyIds: string[];
}

/**
 * 预警 owned by the regulator workspace, each raised when its condition starts (not a millisecond
 * before), once however often the rules run, visible in the jurisdiction and acknowledgeable;
 * the scheduler that runs every capability's rule sets; and live manifest status changes.
 */
describe('oversight: alert rules, the scheduler, and live manifest status', () => {
  let t: TestApp;
  let w: OversightWorld;
  let rules: OversightRulesService;
  let url: string;
  const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

  const alerts = async (token: string, rule: string, subjectId?: string) =>
    (
      await ok<{ alerts: { nodes: AlertRow[] } }>(
        t,
        `query($f: AlertFilterInput) { alerts(first: 100, filter: $f) { nodes { id rule subjectType subjectId period severity region status partyIds } } }`,
        { f: { rule, subjectId } },
        token,
      )
    ).alerts.nodes;
  const acknowledge = (token: string, alertId: string) =>
    ok<{ acknowledgeAlert: { status: string } }>(
      t,
      `mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { status } }`,
      { i: { idempotencyKey: idem('ack'), alertId, note: '已电话督办' } },
      token,
    );
  const count = async (rule: string, subjectId: string) =>
    Number(
      (
        await w.sql<{ n: string }>(
          `SELECT count(*) AS n FROM ledger_alert WHERE rule = $1 AND subject_id = $2`,
          [rule, subjectId],
        )
      )[0].n,
    );

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/graphql`;
    w = await oversightWorld(t);
    rules = t.app.get(OversightRulesService);
  });
  afterAll(() => t.close());

  it('a licence expiring: WARNING from 00:00 of the 40th working day before expiry, once; CRITICAL once renewal is overdue', async () => {
    const validTo = addDays(today(), 150);
    const holder = await w.party('中原区收集试点', ['COLLECTOR'], '410102', [
      ['STORAGE_WAREHOUSE', 'warehouse'],
    ]);
    const licence = await w.issueLicence(w.henan, {
      holder,
      kind: 'COLLECTION',
      items: [item(OIL, ['COLLECT', 'STORE'], '10')],
      validFrom: addDays(today(), -30),
      validTo,
    });
    const cal = t.app.get(CalendarService).calendar();
    const opens = shanghaiDayStart(cal.subtractWorkingDays(validTo, 40).date);
    const renewalDue = cal.subtractWorkingDays(validTo, 30).endsAt;

    await rules.runOnce(ms(opens, -1));
    expect(await count('LICENCE_EXPIRING', licence.id)).toBe(0);
    const first = await rules.runOnce(opens);
    expect(first.raised).toBeGreaterThanOrEqual(1);
    await rules.runOnce(ms(opens, 3_600_000));
    expect(await count('LICENCE_EXPIRING', licence.id)).toBe(1);

    const [a] = await alerts(w.zhongyuan.token, 'LICENCE_EXPIRING', licence.id);
    expect(a).toMatchObject({
      subjectType: 'LICENCE',
      period: `${validTo}:EXPIRING`,
      severity: 'WARNING',
      region: '410102',
    });
    expect(a.partyIds).toEqual([holder.id]);
    expect(await alerts(holder.token, 'LICENCE_EXPIRING', licence.id)).toHaveLength(1);
    expect(await alerts(w.jinshui.token, 'LICENCE_EXPIRING', licence.id)).toEqual([]);
    expect((await acknowledge(w.zhongyuan.token, a.id)).acknowledgeAlert.status).toBe('ACKNOWLEDGED');

    await rules.runOnce(ms(renewalDue, -1));
    expect(await count('LICENCE_EXPIRING', licence.id)).toBe(1);
    await rules.runOnce(renewalDue);
    await rules.runOnce(ms(renewalDue, 60_000));
    const both = await alerts(w.henan.token, 'LICENCE_EXPIRING', licence.id);
    expect(both.map((x) => [x.period, x.severity, x.status]).sort()).toEqual([
      [`${validTo}:EXPIRING`, 'WARNING', 'ACKNOWLEDGED'],
      [`${validTo}:RENEWAL_OVERDUE`, 'CRITICAL', 'OPEN'],
    ]);
  });

  it('a carrier’s permit, vehicle certificate and crew certificates expiring, each once', async () => {
    const validTo = addDays(today(), 120);
    const carrier = await w.party('金水区危货运输', ['TRANSPORTER'], '410105', [['PRODUCTION', 'depot']]);
    const kit = await w.equipCarrier(w.henan, carrier, { validTo });
    const opens = shanghaiDayStart(
      t.app.get(CalendarService).calendar().subtractWorkingDays(validTo, 40).date,
    );
    await rules.runOnce(ms(opens, -1));
    const subjects = [kit.permitId, kit.vehicleId, kit.driverId, kit.escortId];
    const raised = async () =>
      await w.sql<{ rule: string; subject_id: string }>(
        `SELECT rule, subject_id FROM ledger_alert WHERE subject_id = ANY($1) ORDER BY rule, subject_id`,
        [subjects],
      );
    expect(await raised()).toEqual([]);
    await rules.runOnce(opens);
    await rules.runOnce(ms(opens, 1000));
    expect((await raised()).map((r) => [r.rule, r.subject_id])).toEqual(
      [
        ['CREW_CERTIFICATE_EXPIRING', kit.driverId],
        ['CREW_CERTIFICATE_EXPIRING', kit.escortId],
        ['PERMIT_EXPIRING', kit.permitId],
        ['VEHICLE_CERTIFICATE_EXPIRING', kit.vehicleId],
      ].sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1])),
    );
    const [v] = await alerts(w.jinshui.token, 'VEHICLE_CERTIFICATE_EXPIRING', kit.vehicleId);
    expect(v).toMatchObject({ subjectType: 'VEHICLE', region: '410105', partyIds: [carrier.id] });
    expect((await acknowledge(w.jinshui.token, v.id)).acknowledgeAlert.status).toBe('ACKNOWLEDGED');
  });

  it('a receipt not confirmed within 5 working days of delivery: raised at 24:00 of the 5th working day, once', async () => {
    const [lot] = await w.generate(w.collector, ['12.000']);
    let m = await w.draft(w.collector.token, {
      receiverPartyId: w.disposer.id,
      legs: [
        {
          carrierPartyId: w.carrier.id,
          vehicleId: w.crew.vehicleId,
          driverId: w.crew.driverId,
          escortId: w.crew.escortId,
        },
      ],
      lots: [{ lotId: lot.id, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
    });
    const s = await w.submit(w.collector.token, m.id);
    await w.takeCustody(w.driver, s.manifest, s.handoverCode.code);
    m = await w.deliver(w.driver, m.id);
    const [row] = await w.sql<{ delivered_at: Date }>(
      `SELECT delivered_at FROM manifest WHERE manifest_id = $1`,
      [m.id],
    );
    const due = t.app.get(CalendarService).calendar().deadlineAfter(row.delivered_at, 5).endsAt;
    await rules.runOnce(ms(due, -1));
    expect(await count('RECEIPT_NOT_CONFIRMED', m.id)).toBe(0);
    await rules.runOnce(due);
    await rules.runOnce(ms(due, 86_400_000));
    expect(await count('RECEIPT_NOT_CONFIRMED', m.id)).toBe(1);
    const [a] = await alerts(w.zhongyuan.token, 'RECEIPT_NOT_CONFIRMED', m.id);
    expect(a).toMatchObject({ subjectType: 'MANIFEST', severity: 'WARNING', region: '410102' });
    expect(a.partyIds).toEqual(expect.arrayContaining([w.collector.id, w.disposer.id, w.carrier.id]));
    expect((await acknowledge(w.zhongyuan.token, a.id)).acknowledgeAlert.status).toBe('ACKNOWLEDGED');
    expect(
      await errorCode(
        t,
        `mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { status } }`,
        { i: { idempotencyKey: idem('ack'), alertId: a.id, note: 'again' } },
        w.zhongyuan.token,
      ),
    ).toBe('INVALID_TRANSITION');
  });

  it('a refused custody attempt: one alert per attempt, about its manifest, from the moment it is recorded', async () => {
    const [lot] = await w.generate(w.collector, ['8.000']);
    const m = await w.draft(w.collector.token, {
      receiverPartyId: w.disposer.id,
      legs: [
        {
          carrierPartyId: w.carrier.id,
          vehicleId: w.crew.vehicleId,
          driverId: w.crew.driverId,
          escortId: w.crew.escortId,
        },
      ],
      lots: [{ lotId: lot.id, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
    });
    const s = await w.submit(w.collector.token, m.id);
    const before = new Date();
    const wrong = s.handoverCode.code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 2; i++) {
      const code = await errorCode(
        t,
        `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('bad-code'),
            manifestId: m.id,
            scannedLabels: [lot.labelCode],
            handoverCode: wrong,
            shipperLoadingCheckPassed: true,
          },
        },
        w.driver,
      );
      expect(code).toBe('HANDOVER_CODE_INVALID');
    }
    const attempts = await w.sql<{ attempt_id: string; recorded_at: Date }>(
      `SELECT attempt_id, recorded_at FROM custody_attempt WHERE target_id = $1 ORDER BY attempt_id`,
      [m.id],
    );
    expect(attempts).toHaveLength(2);
    await rules.runOnce(ms(attempts[0].recorded_at, -1));
    expect(await count('CUSTODY_ATTEMPT_REFUSED', m.id)).toBe(0);
    await rules.runOnce(attempts[0].recorded_at);
    expect(await count('CUSTODY_ATTEMPT_REFUSED', m.id)).toBe(1);
    await rules.runOnce(new Date());
    await rules.runOnce(new Date());
    expect(await count('CUSTODY_ATTEMPT_REFUSED', m.id)).toBe(2);
    const seen = await alerts(w.collector.token, 'CUSTODY_ATTEMPT_REFUSED', m.id);
    expect(seen.map((a) => a.period).sort()).toEqual(attempts.map((a) => `attempt-${a.attempt_id}`).sort());
    expect(seen[0]).toMatchObject({ subjectType: 'MANIFEST', region: '410105' });
    const evidence = await w.sql<{ evidence: Record<string, unknown> }>(
      `SELECT evidence FROM ledger_alert WHERE rule = 'CUSTODY_ATTEMPT_REFUSED' AND subject_id = $1 LIMIT 1`,
      [m.id],
    );
    expect(evidence[0].evidence).toMatchObject({ act: 'takeCustody', refusalCode: 'HANDOVER_CODE_INVALID' });
    expect(new Date(String(evidence[0].evidence.recordedAt)).getTime()).toBeGreaterThanOrEqual(
      before.getTime() - 1000,
    );
    expect(await alerts(w.zhongyuan.token, 'CUSTODY_ATTEMPT_REFUSED', m.id)).toEqual([]);
    expect((await acknowledge(w.jinshui.token, seen[0].id)).acknowledgeAlert.status).toBe('ACKNOWLEDGED');
  });

  it('manifest status changes reach the parties on it and the regulators of its sites, live', async () => {
    const query = `subscription { manifestStatusChanged { manifestId number status eventType position at } }`;
    const consignor = await subscribe(url, w.collector.token, query);
    const regulator = await subscribe(url, w.zhongyuan.token, query);
    const other = await subscribe(url, w.hubei.token, query);
    const [lot] = await w.generate(w.collector, ['3.000']);
    const m = await w.draft(w.collector.token, {
      receiverPartyId: w.disposer.id,
      legs: [
        {
          carrierPartyId: w.carrier.id,
          vehicleId: w.crew.vehicleId,
          driverId: w.crew.driverId,
          escortId: w.crew.escortId,
        },
      ],
      lots: [{ lotId: lot.id, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
    });
    await w.submit(w.collector.token, m.id);
    const deadline = Date.now() + 5000;
    while (regulator.received.length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const statuses = (s: { received: Record<string, unknown>[] }) =>
      s.received.map(
        (d) => d.manifestStatusChanged as { manifestId: string; status: string; number: string },
      );
    expect(statuses(consignor).map((n) => [n.manifestId, n.status, n.number])).toEqual([
      [m.id, 'DRAFT', m.number],
      [m.id, 'SUBMITTED', m.number],
    ]);
    expect(statuses(regulator).map((n) => n.status)).toEqual(['DRAFT', 'SUBMITTED']);
    expect(other.received).toEqual([]);
    for (const s of [consignor, regulator, other]) s.close();
  });

  it('the scheduler runs every capability’s rule sets, one process at a time; off in tests, 60 s by default', async () => {
    expect(scheduleSeconds({ NODE_ENV: 'test' })).toBe(0);
    expect(scheduleSeconds({ NODE_ENV: 'production' })).toBe(60);
    expect(scheduleSeconds({ NODE_ENV: 'production', OVERSIGHT_SCHEDULE_SECONDS: 0 })).toBe(0);
    const scheduler = t.app.get(OversightScheduler);
    expect(scheduler.ruleSets().map((s) => s.name)).toEqual(
      expect.arrayContaining(['LotClockService', 'OversightRulesService']),
    );
    expect(scheduler.ruleSets().map((s) => s.name)).not.toContain('OversightScheduler');
    // a year and a day on, the collector's undelivered drums have outstayed their storage limit
    const later = new Date(Date.now() + 366 * 86_400_000 + 3_600_000);
    const runs = await scheduler.runOnce(later);
    expect(runs.every((r) => !r.skipped && !r.error)).toBe(true);
    const storage = await w.sql(`SELECT 1 FROM ledger_alert WHERE rule = 'STORAGE_TIME_EXCEEDED' LIMIT 1`);
    expect(storage).toHaveLength(1);
    // another process holds the lock of a rule set: this one skips it
    const c = await t.db.owner.connect();
    try {
      await c.query(`SELECT pg_advisory_lock(hashtext('oversight-scheduler:OversightRulesService'))`);
      const skipped = await scheduler.runOnce(later);
      expect(skipped.find((r) => r.name === 'OversightRulesService')).toEqual({
        name: 'OversightRulesService',
        skipped: true,
      });
      expect(skipped.find((r) => r.name === 'LotClockService')?.skipped).toBe(false);
    } finally {
      await c.query(`SELECT pg_advisory_unlock_all()`);
      c.release();
    }
  });
});
