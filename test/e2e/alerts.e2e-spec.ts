import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import WebSocket from 'ws';
import { LedgerService } from '../../src/ledger/ledger.service';
import type { AlertInput } from '../../src/ledger/alerts/alert';
import { createSiblingApp, createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, errorCode, idem, login, ok, registerParty } from '../support/auth';

/** A graphql-transport-ws client: connects with a token and collects the `next` payloads of one subscription. */
async function subscribe(url: string, token: string, query: string) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const received: unknown[] = [];
  const acked = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString('utf8')) as { type: string; payload?: { data?: unknown } };
      if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve();
      }
      if (m.type === 'next') received.push(m.payload?.data);
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
  await new Promise((r) => setTimeout(r, 150)); // let the subscription register
  return { received, close: () => ws.close() };
}

const raise = (app: NestFastifyApplication, a: Partial<AlertInput> & { subjectId: string; region: string }) =>
  app
    .get(LedgerService)
    .execute({ act: 'raiseAlert', actor: { kind: 'SYSTEM', name: 'test' } }, (tx) =>
      tx.raiseAlert({
        rule: 'TEST_RULE',
        subjectType: 'site',
        period: '2026-11-28',
        severity: 'WARNING',
        evidence: { why: 'test' },
        ...a,
      }),
    );

describe('alerts: list, acknowledge, and live across processes', () => {
  let t: TestApp;
  let other: NestFastifyApplication;
  let zhongyuan: string;
  let jinshui: string;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    url = `ws://127.0.0.1:${address.port}/graphql`;
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    zhongyuan = (
      await createAgency(t, sys, {
        name: '中原',
        level: 'COUNTY',
        divisionCode: '410102',
        jurisdiction: ['410102'],
        username: 'al-zy',
      })
    ).token;
    jinshui = (
      await createAgency(t, sys, {
        name: '金水',
        level: 'COUNTY',
        divisionCode: '410105',
        jurisdiction: ['410105'],
        username: 'al-js',
      })
    ).token;
    other = await createSiblingApp(t);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('lists alerts within the jurisdiction only, and lets a regulator acknowledge one once, with a note', async () => {
    const { alertId } = await raise(t.app, { subjectId: 'site-a', region: '410102' });
    await raise(t.app, { subjectId: 'site-b', region: '410105' });
    const list = `{ alerts { totalCount nodes { id rule region status } } }`;
    const mine = await ok<{ alerts: { nodes: { id: string; region: string }[] } }>(
      t,
      list,
      undefined,
      zhongyuan,
    );
    expect(mine.alerts.nodes.map((a) => a.region)).toEqual(['410102']);
    const ack = `mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { status acknowledgementNote } }`;
    expect(
      await errorCode(
        t,
        ack,
        { i: { idempotencyKey: idem('a'), alertId, note: 'called the site' } },
        jinshui,
      ),
    ).toBe('NOT_FOUND');
    const done = await ok<{ acknowledgeAlert: unknown }>(
      t,
      ack,
      { i: { idempotencyKey: idem('a'), alertId, note: 'called the site' } },
      zhongyuan,
    );
    expect(done.acknowledgeAlert).toEqual({ status: 'ACKNOWLEDGED', acknowledgementNote: 'called the site' });
    expect(
      await errorCode(t, ack, { i: { idempotencyKey: idem('a'), alertId, note: 'again' } }, zhongyuan),
    ).toBe('INVALID_TRANSITION');
    const events = await t.db.owner.query(
      `SELECT event_type FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [alertId],
    );
    expect(events.rows.map((r) => r.event_type)).toEqual(['AlertRaised', 'AlertAcknowledged']);
  });

  it('refuses an unauthenticated WebSocket', async () => {
    await expect(subscribe(url, 'not-a-token', `subscription { alertRaised { id } }`)).rejects.toThrow();
  });

  it('delivers an alert raised by another process to the regulator of its district only', async () => {
    const query = `subscription { alertRaised { id rule region subjectId } }`;
    const a = await subscribe(url, zhongyuan, query);
    const b = await subscribe(url, jinshui, query);
    const party = await registerParty(t, { name: 'Sub Co', types: ['PRODUCER'], admin: 'sub-admin' });
    const p = await subscribe(url, party.token, query);
    await raise(other, { subjectId: 'live-1', region: '410102', partyIds: [party.id] });
    const deadline = Date.now() + 5000;
    while (a.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(a.received).toEqual([
      { alertRaised: expect.objectContaining({ subjectId: 'live-1', region: '410102' }) },
    ]);
    expect(p.received).toHaveLength(1);
    expect(b.received).toEqual([]);
    a.close();
    b.close();
    p.close();
  });
});
