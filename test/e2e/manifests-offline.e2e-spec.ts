import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, errorCode, idem, item, type RegisteredParty, today } from '../support/world';
import { type Lot, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(300_000);

const SCANS = `mutation($i: SubmitScansInput!) { submitScans(input: $i) { index idempotencyKey manifestId act result code message eventTypes } }`;

interface Outcome {
  index: number;
  idempotencyKey: string;
  manifestId: string;
  act: string;
  result: string;
  code: string | null;
  eventTypes: string[];
}

/**
 * 离线同步 — a driver's scanner works offline on rural roads and syncs later: (f) a batch of 200
 * custody acts sent twice is applied once; (g) a pickup scanned before the consignor cancelled, synced
 * after, is recorded as disputed with a reconciliation alert, never dropped; (h) an offline pickup
 * whose handover code turns out wrong at sync is recorded, disputed, alerted and visible to the
 * consignor. Only malformed acts are refused.
 */
describe('manifests: offline scans (f, g, h)', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let producer: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let scanner: string;
  let leg: Record<string, string>;

  /** A submitted one-lot manifest: its id, lot and handover code. */
  async function submitted(lot: Lot): Promise<{ id: string; lot: Lot; code: string }> {
    const d = await w.q<{ draftManifest: { id: string } }>(
      `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('draft'),
          receiverPartyId: recycler.id,
          legs: [leg],
          lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
          plannedDate: today(),
          emergencyMeasures: '吸附棉围堵',
        },
      },
      producer.token,
    );
    const s = await w.q<{ submitManifest: { handoverCode: { code: string } } }>(
      `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { handoverCode { code } } }`,
      { i: { idempotencyKey: idem('submit'), manifestId: d.draftManifest.id } },
      producer.token,
    );
    return { id: d.draftManifest.id, lot, code: s.submitManifest.handoverCode.code };
  }

  const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  const sync = async (scans: Record<string, unknown>[]): Promise<Outcome[]> =>
    (await w.q<{ submitScans: Outcome[] }>(SCANS, { i: { scans } }, scanner)).submitScans;

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, SCAN_BATCH_LIMIT: '250' });
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    producer = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    recycler = await w.verifiedParty(henan, { types: ['UTILISER'], divisionCode: '410122' });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    await w.issueLicence(henan, {
      holder: recycler,
      kind: 'COMPREHENSIVE',
      items: [item('HW08', ['UTILISE'], '10000')],
    });
    const crew = await w.equipCarrier(henan, carrier);
    leg = {
      carrierPartyId: carrier.id,
      vehicleId: crew.vehicleId,
      driverId: crew.driverId,
      escortId: crew.escortId,
    };
    scanner = await w.device(carrier, ['submitScans', 'driverAssignments']);
  });
  afterAll(async () => {
    await t.close();
    delete process.env.SCAN_BATCH_LIMIT;
  });

  describe('(f) a driver’s offline batch of 200 scans, submitted twice, is applied once', () => {
    let trips: { id: string; lot: Lot; code: string }[];
    let batch: Record<string, unknown>[];

    beforeAll(async () => {
      const lots = await w.lots(
        producer,
        Array.from({ length: 100 }, () => ({ wasteCode: '900-214-08', mass: '10.000' })),
      );
      trips = [];
      for (const lot of lots) trips.push(await submitted(lot));
      // deliveries first in the batch, but later on the device's clock: applied in device-time order
      batch = [
        ...trips.map((m, i) => ({
          idempotencyKey: `scan-deliver-${m.id}`,
          deviceTime: secondsAgo(60 - i * 0.1),
          manifestId: m.id,
          act: 'DELIVER',
          place: '再生油厂地磅',
        })),
        ...trips.map((m, i) => ({
          idempotencyKey: `scan-pickup-${m.id}`,
          deviceTime: secondsAgo(120 - i * 0.1),
          manifestId: m.id,
          act: 'TAKE_CUSTODY',
          scannedLabels: [m.lot.labelCode],
          pickupMasses: [{ labelCode: m.lot.labelCode, mass: '10.000' }],
          handoverCode: m.code,
          shipperLoadingCheckPassed: true,
          place: '汽修厂',
        })),
      ];
    });

    it('the first sync applies all 200, in device-time order per manifest', async () => {
      const before = await w.ledgerSize();
      const out = await sync(batch);
      expect(out).toHaveLength(200);
      expect(out.map((o) => o.index)).toEqual(batch.map((_, i) => i));
      expect(new Set(out.map((o) => o.result))).toEqual(new Set(['APPLIED']));
      expect(out[0]).toMatchObject({ act: 'DELIVER', eventTypes: ['ManifestDelivered'] });
      expect(out[100]).toMatchObject({ act: 'TAKE_CUSTODY', eventTypes: ['CustodyTaken'] });
      expect((await w.ledgerSize()) - before).toBe(400); // per trip: CustodyTaken, LotCustodyTaken, ManifestDelivered, LotDelivered
      const rows = await w.sql<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM manifest WHERE manifest_id = ANY($1) GROUP BY status`,
        [trips.map((m) => m.id)],
      );
      expect(rows).toEqual([{ status: 'DELIVERED', n: '100' }]);
      const offline = await w.sql<{ n: string }>(
        `SELECT count(*) AS n FROM ledger_event WHERE offline AND event_type IN ('CustodyTaken', 'ManifestDelivered') AND stream_id = ANY($1)`,
        [trips.map((m) => `manifest-${m.id}`)],
      );
      expect(offline[0].n).toBe('200');
    });

    it('the same batch sent again is 200 DUPLICATEs and appends nothing', async () => {
      const before = await w.ledgerSize();
      const out = await sync(batch);
      expect(out.map((o) => o.result)).toEqual(Array(200).fill('DUPLICATE'));
      expect(await w.ledgerSize()).toBe(before);
    });

    it('a batch over SCAN_BATCH_LIMIT is refused whole', async () => {
      const big = Array.from({ length: 251 }, (_, i) => ({ ...batch[0], idempotencyKey: `big-${i}` }));
      expect(await errorCode(t, SCANS, { i: { scans: big } }, scanner)).toBe('BAD_USER_INPUT');
    });
  });

  it('(g) a pickup scanned before the consignor cancelled, synced after: recorded as disputed and alerted', async () => {
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '12.000' }]);
    const m = await submitted(lot);
    const scannedAt = secondsAgo(30);
    await w.q(
      `mutation($i: CancelManifestInput!) { cancelManifest(input: $i) { status } }`,
      { i: { idempotencyKey: idem('cancel'), manifestId: m.id, reason: '承运人车辆故障' } },
      producer.token,
    );
    const before = await w.ledgerSize();
    const [out] = await sync([
      {
        idempotencyKey: `late-${m.id}`,
        deviceTime: scannedAt,
        manifestId: m.id,
        act: 'TAKE_CUSTODY',
        scannedLabels: [lot.labelCode],
        handoverCode: m.code,
        shipperLoadingCheckPassed: true,
      },
    ]);
    expect(out).toMatchObject({ result: 'DISPUTED', eventTypes: ['DisputedScanRecorded'] });
    expect(await w.events(`manifest-${m.id}`)).toEqual([
      'ManifestDrafted',
      'ManifestSubmitted',
      'HandoverCodeIssued',
      'ManifestCancelled',
      'DisputedScanRecorded',
    ]);
    expect((await w.ledgerSize()) - before).toBe(2); // the disputed scan and its alert; the lot is not moved
    const [disputed] = await w.sql<{
      payload: { statusAtSync: string; at: string; reasons: { code: string }[] };
    }>(`SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'DisputedScanRecorded'`, [
      `manifest-${m.id}`,
    ]);
    expect(disputed.payload).toMatchObject({
      statusAtSync: 'CANCELLED',
      at: scannedAt,
      reasons: [{ code: 'INVALID_TRANSITION' }],
    });
    const [alert] = await w.alerts('RECONCILIATION_LATE_SCAN', m.id);
    expect(alert.party_ids).toEqual(expect.arrayContaining([producer.id, carrier.id, recycler.id]));
    const [l] = await w.sql(
      `SELECT status, custodian_party_id, open_manifest_id FROM lot WHERE lot_id = $1`,
      [lot.id],
    );
    expect(l).toEqual({ status: 'GENERATED', custodian_party_id: producer.id, open_manifest_id: null });
    const seen = await w.manifest(producer.token, m.id);
    expect(seen).toMatchObject({
      status: 'CANCELLED',
      disputed: true,
      disputes: [{ eventType: 'DisputedScanRecorded', act: 'takeCustody' }],
    });
  });

  it('(h) an offline pickup whose code turns out wrong at sync: recorded, disputed, alerted, seen by the consignor', async () => {
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '15.000' }]);
    const m = await submitted(lot);
    const wrong = m.code === '00000000' ? '11111111' : '00000000';
    const [out] = await sync([
      {
        idempotencyKey: `wrong-${m.id}`,
        deviceTime: secondsAgo(20),
        manifestId: m.id,
        act: 'TAKE_CUSTODY',
        scannedLabels: [lot.labelCode],
        handoverCode: wrong,
        shipperLoadingCheckPassed: true,
      },
    ]);
    expect(out).toMatchObject({ result: 'DISPUTED', eventTypes: ['CustodyTaken'] });
    const [taken] = await w.sql<{
      payload: {
        disputed: boolean;
        offline: boolean;
        disputeReasons: { code: string; details: { reason: string } }[];
      };
    }>(`SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'CustodyTaken'`, [
      `manifest-${m.id}`,
    ]);
    expect(taken.payload).toMatchObject({
      disputed: true,
      offline: true,
      disputeReasons: [{ code: 'HANDOVER_CODE_INVALID', details: { reason: 'WRONG_CODE' } }],
    });
    const [l] = await w.sql(`SELECT status, custodian_party_id, disputed FROM lot WHERE lot_id = $1`, [
      lot.id,
    ]);
    expect(l).toEqual({ status: 'IN_TRANSIT', custodian_party_id: carrier.id, disputed: true });
    const [tries] = await w.sql(
      `SELECT failed_tries, used_at FROM manifest_handover_code WHERE manifest_id = $1`,
      [m.id],
    );
    expect(tries).toEqual({ failed_tries: 0, used_at: null });
    const [alert] = await w.alerts('RECONCILIATION_DISPUTED_CUSTODY', m.id);
    expect(alert.party_ids).toContain(producer.id);
    const alerts = await w.q<{ alerts: { nodes: { rule: string; subjectId: string }[] } }>(
      `{ alerts { nodes { rule subjectId } } }`,
      {},
      producer.token,
    );
    expect(alerts.alerts.nodes).toEqual(
      expect.arrayContaining([{ rule: 'RECONCILIATION_DISPUTED_CUSTODY', subjectId: m.id }]),
    );
    const seen = await w.manifest(producer.token, m.id);
    expect(seen).toMatchObject({
      status: 'IN_TRANSIT',
      disputed: true,
      custodySteps: [{ leg: 1, disputed: true }],
      disputes: [
        { eventType: 'CustodyTaken', act: 'takeCustody', reasons: [{ code: 'HANDOVER_CODE_INVALID' }] },
      ],
    });
    const listed = await w.q<{ manifests: { nodes: { id: string }[] } }>(
      `{ manifests(filter: { disputed: true }) { nodes { id } } }`,
      {},
      henan.token,
    );
    expect(listed.manifests.nodes.map((n) => n.id)).toContain(m.id);
  });

  it('only malformed acts are refused: a missing code, an unknown manifest, a device time in the future', async () => {
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '9.000' }]);
    const m = await submitted(lot);
    const before = await w.ledgerSize();
    const out = await sync([
      {
        idempotencyKey: idem('bad'),
        deviceTime: secondsAgo(5),
        manifestId: m.id,
        act: 'TAKE_CUSTODY',
        scannedLabels: [lot.labelCode],
        shipperLoadingCheckPassed: true,
      },
      {
        idempotencyKey: idem('bad'),
        deviceTime: secondsAgo(5),
        manifestId: '01900000-0000-7000-8000-000000000000',
        act: 'DELIVER',
      },
      {
        idempotencyKey: idem('bad'),
        deviceTime: new Date(Date.now() + 3_600_000).toISOString(),
        manifestId: m.id,
        act: 'TAKE_CUSTODY',
        scannedLabels: [lot.labelCode],
        handoverCode: m.code,
        shipperLoadingCheckPassed: true,
      },
    ]);
    expect(out.map((o) => [o.result, o.code])).toEqual([
      ['REFUSED', 'BAD_USER_INPUT'],
      ['REFUSED', 'NOT_FOUND'],
      ['REFUSED', 'BAD_USER_INPUT'],
    ]);
    expect(await w.ledgerSize()).toBe(before);
  });

  it('the read models rebuild from the ledger alone', async () => {
    expect((await w.rebuild()).differences).toEqual([]);
  });
});
