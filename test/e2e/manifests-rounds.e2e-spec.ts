import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, errorCode, idem, item, type RegisteredParty, today } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(180_000);

/**
 * 电子转移联单 (e) — 小量产废单位集中收集 (SPEC section 8): a pilot collector, agent of five small
 * auto-repair shops, plans one round of its vehicle visiting them in order, drafts and submits each
 * shop's manifest as its agent; the driver's scanner pulls the round (stops in order, expected
 * labels, what it can check offline), collects at each stop with the shop's handover code and
 * delivers everything to the collector's store, which receives it.
 */
describe('manifests (e): a collection round of five small producers through their agent', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let collector: RegisteredParty;
  let scanner: string;
  let crew: { vehicleId: string; driverId: string; escortId: string };
  const shops: (RegisteredParty & { lot: Lot; manifest?: Manifest; code?: string })[] = [];
  let roundId: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    collector = await w.verifiedParty(henan, {
      name: '郑州小微收集',
      types: ['COLLECTOR', 'TRANSPORTER'],
      divisionCode: '410105',
    });
    await w.issueLicence(henan, {
      holder: collector,
      kind: 'PILOT_COLLECTION',
      items: [item('HW08', ['COLLECT', 'STORE'], '500')],
    });
    crew = await w.equipCarrier(henan, collector);
    scanner = await w.device(collector, [
      'driverAssignments',
      'takeCustody',
      'deliverManifest',
      'submitScans',
      'manifest',
    ]);
    for (let i = 1; i <= 5; i++) {
      const shop = await w.verifiedParty(henan, {
        name: `汽修店${i}`,
        types: ['PRODUCER'],
        divisionCode: '410102',
      });
      await w.delegate(shop, collector);
      const [lot] = await w.lots(shop, [{ wasteCode: '900-214-08', mass: `${20 + i}.000` }]);
      shops.push({ ...shop, lot });
    }
  });
  afterAll(() => t.close());

  it('the collector plans the round; a producer that has not delegated to it cannot be a stop', async () => {
    const stranger = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    const plan = (stops: { consignorPartyId: string }[]) => ({
      i: {
        idempotencyKey: idem('round'),
        plannedDate: today(),
        vehicleId: crew.vehicleId,
        driverId: crew.driverId,
        escortId: crew.escortId,
        stops,
      },
    });
    const q = `mutation($i: PlanCollectionRoundInput!) { planCollectionRound(input: $i) { id plannedDate vehicleId stops { stopNo consignor { id name } } } }`;
    expect(await errorCode(t, q, plan([{ consignorPartyId: stranger.id }]), collector.token)).toBe(
      'FORBIDDEN',
    );
    const d = await w.q<{
      planCollectionRound: { id: string; stops: { stopNo: number; consignor: { id: string } }[] };
    }>(q, plan([...shops].reverse().map((s) => ({ consignorPartyId: s.id }))), collector.token);
    roundId = d.planCollectionRound.id;
    expect(d.planCollectionRound.stops.map((s) => s.consignor.id)).toEqual(
      [...shops].reverse().map((s) => s.id),
    );
    expect(await w.events(`round-${roundId}`)).toEqual(['CollectionRoundPlanned']);
  });

  it('drafts and submits each shop’s manifest as its agent: the events name both', async () => {
    for (const s of shops) {
      s.manifest = await w.draft(collector.token, {
        onBehalfOfPartyId: s.id,
        roundId,
        lots: [{ lotId: s.lot.id, intendedMode: 'COLLECT', method: 'R9' }],
      });
      expect(s.manifest).toMatchObject({
        consignor: { id: s.id },
        agent: { id: collector.id },
        receiver: { id: collector.id },
        roundId,
        plannedDate: today(),
        legs: [{ carrier: { id: collector.id }, vehicleId: crew.vehicleId }],
      });
      const r = await w.submit(collector.token, s.manifest.id, { onBehalfOfPartyId: s.id });
      s.code = r.handoverCode.code;
      expect(r.manifest.status).toBe('SUBMITTED');
    }
    const [drafted] = await w.sql<{ actor: { partyId: string; onBehalfOfPartyId: string } }>(
      `SELECT actor FROM ledger_event WHERE stream_id = $1 AND event_type = 'ManifestDrafted'`,
      [`manifest-${shops[0].manifest!.id}`],
    );
    expect(drafted.actor).toMatchObject({ partyId: collector.id, onBehalfOfPartyId: shops[0].id });
    const [reserved] = await w.sql<{ actor: { onBehalfOfPartyId: string } }>(
      `SELECT actor FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotReservedOnManifest'`,
      [`lot-${shops[0].lot.id}`],
    );
    expect(reserved.actor.onBehalfOfPartyId).toBe(shops[0].id);
  });

  it('a shop outside the round cannot be drafted into it', async () => {
    const stranger = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    await w.delegate(stranger, collector);
    const [lot] = await w.lots(stranger, [{ wasteCode: '900-214-08', mass: '5.000' }]);
    const res = await t.gql(
      `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('x'),
          onBehalfOfPartyId: stranger.id,
          roundId,
          lots: [{ lotId: lot.id, intendedMode: 'COLLECT', method: 'R9' }],
          emergencyMeasures: '—',
        },
      },
      collector.token,
    );
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roundId' });
  });

  it('the scanner pulls the round: stops in order, each manifest to collect, its labels and offline checks', async () => {
    const d = await w.q<{
      driverAssignments: {
        rounds: {
          id: string;
          vehicleId: string;
          stops: { stopNo: number; consignor: { id: string }; manifestIds: string[] }[];
        }[];
        manifests: {
          manifestId: string;
          roundId: string;
          stopNo: number;
          nextAct: string;
          expectedLabels: string[];
          handoverCodeExpiresAt: string | null;
          offlineChecks: string[];
        }[];
      };
    }>(
      `{ driverAssignments { rounds { id vehicleId stops { stopNo consignor { id } manifestIds } }
          manifests { manifestId roundId stopNo nextAct expectedLabels handoverCodeExpiresAt offlineChecks } } }`,
      {},
      scanner,
    );
    const round = d.driverAssignments.rounds.find((r) => r.id === roundId)!;
    expect(round.vehicleId).toBe(crew.vehicleId);
    expect(round.stops.map((s) => s.stopNo)).toEqual([1, 2, 3, 4, 5]);
    expect(round.stops.map((s) => s.consignor.id)).toEqual([...shops].reverse().map((s) => s.id));
    for (const stop of round.stops) {
      const shop = shops.find((s) => s.id === stop.consignor.id)!;
      expect(stop.manifestIds).toEqual([shop.manifest!.id]);
      expect(d.driverAssignments.manifests.find((m) => m.manifestId === shop.manifest!.id)).toEqual(
        expect.objectContaining({
          roundId,
          stopNo: stop.stopNo,
          nextAct: 'TAKE_CUSTODY',
          expectedLabels: [shop.lot.labelCode],
          handoverCodeExpiresAt: expect.any(String),
          offlineChecks: expect.arrayContaining(['LABELS_EQUAL_EXPECTED']),
        }),
      );
    }
  });

  it('the scanner collects at every stop with each shop’s code and delivers to the store; the collector receives', async () => {
    for (const s of [...shops].reverse()) {
      const m = await w.takeCustody(scanner, s.manifest!, s.code!);
      expect(m.status).toBe('IN_TRANSIT');
    }
    for (const s of shops) {
      expect((await w.deliver(scanner, s.manifest!.id)).status).toBe('DELIVERED');
      const m = await w.receive(collector.token, s.manifest!.id, collector.facilityIds[0], [
        {
          lotId: s.lot.id,
          measuredMass:
            s.lot &&
            (
              await w.sql<{ kg: string }>(
                `SELECT (mass_grams / 1000.0)::numeric(12,3)::text AS kg FROM lot WHERE lot_id = $1`,
                [s.lot.id],
              )
            )[0].kg,
          decision: 'ACCEPTED',
        },
      ]);
      expect(m).toMatchObject({ status: 'RECEIVED', discrepancy: false });
    }
    const held = await w.sql(`SELECT DISTINCT custodian_party_id, status FROM lot WHERE lot_id = ANY($1)`, [
      shops.map((s) => s.lot.id),
    ]);
    expect(held).toEqual([{ custodian_party_id: collector.id, status: 'STORED' }]);
    const list = await w.q<{ manifests: { totalCount: number } }>(
      `query($r: ID!) { manifests(filter: { roundId: $r, status: [RECEIVED] }) { totalCount } }`,
      { r: roundId },
      collector.token,
    );
    expect(list.manifests.totalCount).toBe(5);
  });

  it('each shop sees its own manifest (and its agent), not the others’', async () => {
    const mine = await w.q<{ manifests: { nodes: { id: string; agent: { id: string } }[] } }>(
      `{ manifests { nodes { id agent { id } } } }`,
      {},
      shops[2].token,
    );
    expect(mine.manifests.nodes).toEqual([{ id: shops[2].manifest!.id, agent: { id: collector.id } }]);
  });
});
