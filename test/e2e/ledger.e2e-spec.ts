import { CheckpointService } from '../../src/ledger/checkpoints/checkpoint.service';
import { verifyProof } from '../../src/cli/verify-proof';
import { createTestApp, type TestApp } from '../support/app';
import {
  AUTH_ENV,
  createAgency,
  errorCode,
  login,
  ok,
  registerParty,
  type RegisteredParty,
} from '../support/auth';

describe('ledger integrity over GraphQL', () => {
  let t: TestApp;
  let producer: RegisteredParty;
  let other: RegisteredParty;
  let regulator: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    regulator = (
      await createAgency(t, sys, {
        name: 'city',
        level: 'CITY',
        divisionCode: '410100',
        jurisdiction: ['4101'],
        username: 'ledger-reg',
      })
    ).token;
    producer = await registerParty(t, { name: 'Repair shop', types: ['PRODUCER'], admin: 'shop-admin' });
    other = await registerParty(t, { name: 'Other lab', types: ['PRODUCER'], admin: 'lab2-admin' });
    await t.app.get(CheckpointService).sealNow();
  });
  afterAll(() => t.close());

  const history = `query($s: String!) { streamEvents(streamId: $s) { totalCount nodes { position version type hash prevHash } } }`;

  it('shows a party its own history, hash-chained, and hides it from another party', async () => {
    const mine = await ok<{
      streamEvents: {
        totalCount: number;
        nodes: { version: number; hash: string; prevHash: string | null; type: string }[];
      };
    }>(t, history, { s: `party-${producer.id}` }, producer.token);
    expect(mine.streamEvents.nodes.map((n) => n.type)[0]).toBe('PartyRegistered');
    const [a, b] = mine.streamEvents.nodes;
    expect(b.prevHash).toBe(a.hash);
    expect(await errorCode(t, history, { s: `party-${producer.id}` }, other.token)).toBe('NOT_FOUND');
    expect(await errorCode(t, history, { s: `party-${producer.id}` })).toBe('UNAUTHENTICATED');
  });

  it('publishes checkpoints and keys, and gives a proof that verifies offline to those who may read the event', async () => {
    const pub = await ok<{
      ledgerCheckpoints: { totalCount: number };
      ledgerPublicKeys: { keyId: string; publicKey: string }[];
    }>(t, `{ ledgerCheckpoints { totalCount } ledgerPublicKeys { keyId publicKey } }`);
    expect(pub.ledgerCheckpoints.totalCount).toBeGreaterThan(0);
    const events = await ok<{ streamEvents: { nodes: { position: number }[] } }>(
      t,
      history,
      { s: `party-${producer.id}` },
      producer.token,
    );
    const position = events.streamEvents.nodes[0].position;
    const q = `query($p: Long!) { eventProof(position: $p) { proof checkpoint { keyId } } }`;
    const { eventProof } = await ok<{ eventProof: { proof: Parameters<typeof verifyProof>[0] } }>(
      t,
      q,
      { p: position },
      producer.token,
    );
    expect(verifyProof(eventProof.proof, pub.ledgerPublicKeys[0].publicKey).ok).toBe(true);
    expect(await errorCode(t, q, { p: position }, other.token)).toBe('NOT_FOUND');
  });

  it('lets a regulator verify the whole ledger, and nobody else', async () => {
    const { verifyLedger } = await ok<{
      verifyLedger: { ok: boolean; eventsChecked: number; firstProblem: unknown };
    }>(t, `{ verifyLedger { ok eventsChecked firstProblem { position } } }`, undefined, regulator);
    expect(verifyLedger).toMatchObject({ ok: true, firstProblem: null });
    expect(verifyLedger.eventsChecked).toBeGreaterThan(5);
    expect(await errorCode(t, `{ verifyLedger { ok } }`, undefined, producer.token)).toBe('FORBIDDEN');
  });
});
