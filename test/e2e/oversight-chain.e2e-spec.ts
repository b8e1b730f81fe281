import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, ok } from '../support/auth';
import type { Manifest } from './manifests-world';
import { OIL, oversightWorld, type OversightWorld } from './oversight-world';

jest.setTimeout(60_000);

const NODE = `lotId level redacted wasteCode category mass region labelCode status fate originKind initialMass
  treatedMass method producer { id name } origin { id } custodian { id name } manifestId
  events { type at partyId partyName fromPartyId siteId divisionCode manifestId manifestNumber mass discrepancy
           discrepancyMass decision method relatedLotId }`;
const CHAIN = `rootLotIds direction nodeCount edgeCount redactedCount sourceLotIds sourceMass
  nodes { ${NODE} } edges { fromLotId toLotId kind mass } outcomes { kind lotId mass }`;

interface Node {
  lotId: string;
  level: number;
  redacted: boolean;
  wasteCode: string;
  mass: string;
  region: string | null;
  labelCode: string | null;
  fate: string | null;
  method: string | null;
  treatedMass: string | null;
  custodian: { id: string } | null;
  events: {
    type: string;
    partyId: string | null;
    partyName: string | null;
    manifestId: string | null;
    manifestNumber: string | null;
    mass: string | null;
    discrepancy: boolean;
    discrepancyMass: string | null;
  }[];
}
interface Chain {
  rootLotIds: string[];
  nodeCount: number;
  edgeCount: number;
  redactedCount: number;
  sourceLotIds: string[];
  sourceMass: string;
  nodes: Node[];
  edges: { fromLotId: string; toLotId: string; kind: string; mass: string }[];
  outcomes: { kind: string; lotId: string; mass: string }[];
}

/**
 * 溯源链 — a collector in 金水区 consolidates three drums of waste oil and ships the drum to a
 * disposer in 中原区, whose receipt weighs 10 % more (a discrepancy); the disposer merges it with
 * two drums of its own and incinerates the lot (D10). Regulators and parties then walk the chain:
 * the province sees everything, a district the lots that touched it and the others redacted, the
 * other district and another province nothing; parties see the lots they generated or held.
 */
describe('oversight: custody chains', () => {
  let t: TestApp;
  let w: OversightWorld;
  let sources: { id: string; labelCode: string }[];
  let own: { id: string; labelCode: string }[];
  let drum: { id: string; labelCode: string };
  let final: { id: string; labelCode: string };
  let manifest: Manifest;

  const chain = (token: string, lotId: string, direction = 'BACKWARD') =>
    ok<{ custodyChain: Chain }>(
      t,
      `query($id: ID!, $d: ChainDirection) { custodyChain(lotId: $id, direction: $d) { ${CHAIN} } }`,
      { id: lotId, d: direction },
      token,
    ).then((d) => d.custodyChain);
  const node = (c: Chain, id: string) => c.nodes.find((n) => n.lotId === id)!;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await oversightWorld(t);
    sources = await w.generate(w.collector, ['10.000', '20.000', '30.000']);
    await w.store(w.collector, w.lotIds(sources));
    drum = await w.consolidate(w.collector, w.lotIds(sources), '60.000');
    manifest = await w.ship(w.collector, w.disposer, [{ ...drum, measured: '66.000' }]);
    own = await w.generate(w.disposer, ['5.000', '7.000']);
    await w.store(w.disposer, w.lotIds(own));
    final = await w.consolidate(w.disposer, [drum.id, ...w.lotIds(own)], '78.000');
    await w.treat(w.disposer, [final.id]);
  });
  afterAll(() => t.close());

  it('the province walks back from the incinerated lot to every source, with masses, levels and custody events', async () => {
    const c = await chain(w.henan.token, final.id);
    expect(c).toMatchObject({ rootLotIds: [final.id], nodeCount: 7, edgeCount: 6, redactedCount: 0 });
    expect(c.sourceLotIds.sort()).toEqual([...w.lotIds(sources), ...w.lotIds(own)].sort());
    expect(c.sourceMass).toBe('72.000');
    expect(Object.fromEntries(c.nodes.map((n) => [n.lotId, n.level]))).toEqual({
      [final.id]: 0,
      [drum.id]: -1,
      [own[0].id]: -1,
      [own[1].id]: -1,
      [sources[0].id]: -2,
      [sources[1].id]: -2,
      [sources[2].id]: -2,
    });
    const edges = Object.fromEntries(c.edges.map((e) => [`${e.fromLotId}>${e.toLotId}`, [e.kind, e.mass]]));
    expect(edges[`${sources[2].id}>${drum.id}`]).toEqual(['CONSOLIDATION', '30.000']);
    expect(edges[`${drum.id}>${final.id}`]).toEqual(['CONSOLIDATION', '66.000']);
    expect(node(c, final.id)).toMatchObject({
      fate: 'DISPOSED',
      method: 'D10',
      treatedMass: '78.000',
      redacted: false,
    });
    expect(node(c, sources[0].id)).toMatchObject({ fate: 'CONSOLIDATED', region: '410105', mass: '10.000' });
    const received = node(c, drum.id).events.find((e) => e.type === 'LotReceived')!;
    expect(received).toMatchObject({
      partyId: w.disposer.id,
      manifestId: manifest.id,
      manifestNumber: manifest.number,
      mass: '66.000',
      discrepancy: true,
      discrepancyMass: '6.000',
    });
    expect(node(c, drum.id).events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'LotCreatedByConsolidation',
        'LotCustodyTaken',
        'LotDelivered',
        'LotReceived',
        'LotConsolidatedInto',
      ]),
    );
    const taken = node(c, drum.id).events.find((e) => e.type === 'LotCustodyTaken')!;
    expect([taken.partyId, taken.partyName]).toEqual([w.carrier.id, '豫危运输']);
  });

  it('a district regulator sees the lots that touched its district, and the others redacted, never dropped', async () => {
    const c = await chain(w.zhongyuan.token, final.id);
    expect(c).toMatchObject({ nodeCount: 7, edgeCount: 6, redactedCount: 3, sourceMass: '72.000' });
    for (const s of sources) {
      expect(node(c, s.id)).toMatchObject({
        redacted: true,
        wasteCode: OIL,
        region: '410105',
        labelCode: null,
        custodian: null,
        fate: null,
        events: [],
      });
    }
    expect(node(c, sources[1].id).mass).toBe('20.000');
    expect(node(c, drum.id)).toMatchObject({ redacted: false, custodian: { id: w.disposer.id } });
  });

  it('the other district and another province do not see the lot at all', async () => {
    const q = `query($id: ID!) { custodyChain(lotId: $id) { nodeCount } }`;
    expect(await errorCode(t, q, { id: final.id }, w.jinshui.token)).toBe('NOT_FOUND');
    expect(await errorCode(t, q, { id: final.id }, w.hubei.token)).toBe('NOT_FOUND');
    expect(await errorCode(t, q, { id: drum.id }, w.hubei.token)).toBe('NOT_FOUND');
    expect(
      await errorCode(
        t,
        `query($id: ID!) { custodyChainByManifest(manifestId: $id) { nodeCount } }`,
        { id: manifest.id },
        w.hubei.token,
      ),
    ).toBe('NOT_FOUND');
    // 金水区 sees its collector's drum, and where it went, redacted
    const c = await chain(w.jinshui.token, drum.id, 'FORWARD');
    expect(node(c, drum.id).redacted).toBe(false);
    expect(node(c, final.id)).toMatchObject({ redacted: true, region: '410102', mass: '78.000' });
  });

  it('a producer follows its drum forward to where every gram ended; lots it never held are redacted', async () => {
    const c = await chain(w.collector.token, sources[0].id, 'FORWARD');
    expect(c.nodes.map((n) => [n.lotId, n.level, n.redacted])).toEqual([
      [sources[0].id, 0, false],
      [drum.id, 1, false],
      [final.id, 2, true],
    ]);
    expect(c.outcomes).toEqual([{ kind: 'DISPOSED', lotId: final.id, mass: '10.000' }]);
    const back = await chain(w.disposer.token, final.id);
    expect(back.redactedCount).toBe(3);
    expect(node(back, drum.id).redacted).toBe(false);
    const stranger = await w.party('陌生单位', ['PRODUCER'], '410102', [['PRODUCTION', 'workshop']]);
    expect(
      await errorCode(
        t,
        `query($id: ID!) { custodyChain(lotId: $id) { nodeCount } }`,
        { id: final.id },
        stranger.token,
      ),
    ).toBe('NOT_FOUND');
  });

  it('from a typed label code (case and spaces forgiven), and from a manifest', async () => {
    const typed = sources[1].labelCode.toLowerCase().replace(/-/g, ' ');
    const byLabel = (
      await ok<{ custodyChainByLabel: Chain }>(
        t,
        `query($c: String!) { custodyChainByLabel(labelCode: $c) { ${CHAIN} } }`,
        { c: typed },
        w.collector.token,
      )
    ).custodyChainByLabel;
    expect(byLabel.rootLotIds).toEqual([sources[1].id]);
    expect(byLabel.nodes.map((n) => n.level)).toEqual([0, 1, 2]);
    expect(
      await errorCode(
        t,
        `query { custodyChainByLabel(labelCode: "HL-2020-0000-0000-0000") { nodeCount } }`,
        {},
        w.henan.token,
      ),
    ).toBe('NOT_FOUND');
    const byManifest = (
      await ok<{ custodyChainByManifest: Chain }>(
        t,
        `query($id: ID!) { custodyChainByManifest(manifestId: $id) { ${CHAIN} } }`,
        { id: manifest.id },
        w.zhongyuan.token,
      )
    ).custodyChainByManifest;
    expect(byManifest.rootLotIds).toEqual([drum.id]);
    expect(byManifest.nodes.map((n) => [n.level, n.redacted])).toEqual([
      [-1, true],
      [-1, true],
      [-1, true],
      [0, false],
      [1, false],
    ]);
  });

  it('answers without the events when they are not asked for', async () => {
    const d = await ok<{ custodyChain: { nodes: { lotId: string }[] } }>(
      t,
      `query($id: ID!) { custodyChain(lotId: $id, direction: BOTH) { nodes { lotId mass } } }`,
      { id: drum.id },
      w.henan.token,
    );
    expect(d.custodyChain.nodes).toHaveLength(5);
  });
});
