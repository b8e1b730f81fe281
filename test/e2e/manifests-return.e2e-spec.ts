import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, errorCode, idem, item, type RegisteredParty, today } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(120_000);

/**
 * 电子转移联单 (c) — a receipt with a partial rejection and a discrepancy, and the RETURN of the
 * rejected waste to the original consignor: the disposer weighs drum A far below its pickup weight
 * (a discrepancy beyond 5 %, flagged and alerted) and accepts only part of it (the rest becomes a
 * new REJECTED lot), rejects drum B whole; capacity settles on the accepted mass; the rejected lots
 * stay with the disposer until it drafts a RETURN manifest to the producer (no licence check: the
 * producer holds none); then the first manifest can close.
 */
describe('manifests (c): partial rejection with a discrepancy, and a RETURN manifest', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let producer: RegisteredParty;
  let disposer: RegisteredParty;
  let carrier: RegisteredParty;
  let crew: { vehicleId: string; driverId: string; escortId: string };
  let leg: Record<string, string>;
  let driver: string;
  let a: Lot;
  let b: Lot;
  let m: Manifest;
  let rejectedPart: string;
  let ret: Manifest;
  let itemId: string;
  const year = today().slice(0, 4);

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    producer = await w.verifiedParty(henan, { name: '化工厂', types: ['PRODUCER'], divisionCode: '410102' });
    disposer = await w.verifiedParty(henan, {
      name: '处置中心',
      types: ['DISPOSER'],
      divisionCode: '410122',
    });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    const licence = await w.issueLicence(henan, {
      holder: disposer,
      kind: 'COMPREHENSIVE',
      items: [item('HW08', ['STORE', 'DISPOSE'], '100')],
    });
    itemId = licence.itemIds.HW08;
    crew = await w.equipCarrier(henan, carrier);
    leg = {
      carrierPartyId: carrier.id,
      vehicleId: crew.vehicleId,
      driverId: crew.driverId,
      escortId: crew.escortId,
    };
    driver = await w.user(carrier, 'DRIVER');
    [a, b] = await w.lots(producer, [
      { wasteCode: '900-249-08', mass: '100.000' },
      { wasteCode: '900-249-08', mass: '50.000' },
    ]);
    m = await w.draft(producer.token, {
      receiverPartyId: disposer.id,
      legs: [leg],
      lots: [
        { lotId: a.id, intendedMode: 'DISPOSE', method: 'D10' },
        { lotId: b.id, intendedMode: 'DISPOSE', method: 'D10' },
      ],
      plannedDate: today(),
    });
    const r = await w.submit(producer.token, m.id);
    m = await w.takeCustody(driver, r.manifest, r.handoverCode.code, {
      pickupMasses: [{ labelCode: a.labelCode, mass: '100.000' }],
    });
    m = await w.deliver(driver, m.id);
    expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(150_000);
  });
  afterAll(() => t.close());

  it('drum A: 80 kg measured against 100 kg at pickup — a discrepancy; 30 kg rejected becomes a new lot', async () => {
    m = await w.receive(disposer.token, m.id, disposer.facilityIds[0], [
      {
        lotId: a.id,
        measuredMass: '80.000',
        decision: 'PARTIALLY_ACCEPTED',
        rejectedMass: '30.000',
        reason: '桶内混有不明固体',
      },
    ]);
    expect(m.status).toBe('DELIVERED');
    const la = m.lots.find((l) => l.lotId === a.id)!;
    expect(la).toMatchObject({
      status: 'RECEIVED',
      pickupMass: '100.000',
      measuredMass: '80.000',
      acceptedMass: '50.000',
      rejectedMass: '30.000',
      decision: 'PARTIALLY_ACCEPTED',
      discrepancy: true,
    });
    rejectedPart = la.rejectedLotId as string;
    const lots = await w.sql(
      `SELECT lot_id, status, custodian_party_id, mass_grams FROM lot WHERE lot_id = ANY($1) ORDER BY mass_grams`,
      [[a.id, rejectedPart]],
    );
    expect(lots).toEqual([
      { lot_id: rejectedPart, status: 'REJECTED', custodian_party_id: disposer.id, mass_grams: '30000' },
      { lot_id: a.id, status: 'STORED', custodian_party_id: disposer.id, mass_grams: '50000' },
    ]);
    const [lineage] = await w.sql(`SELECT parent_lot_id, kind FROM lot_lineage WHERE child_lot_id = $1`, [
      rejectedPart,
    ]);
    expect(lineage).toEqual({ parent_lot_id: a.id, kind: 'REJECTED_PART' });
    const alerts = await w.alerts('MASS_DISCREPANCY', m.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      period: `lot:${a.id}`,
      evidence: { reference: 'PICKUP', referenceKg: '100.000', measuredKg: '80.000' },
    });
    expect(alerts[0].party_ids).toEqual(expect.arrayContaining([producer.id, disposer.id, carrier.id]));
    const [row] = await w.sql(`SELECT discrepancy FROM manifest WHERE manifest_id = $1`, [m.id]);
    expect(row).toEqual({ discrepancy: true });
    const [lotEvent] = await w.sql<{ payload: { discrepancy: { beyondTolerance: boolean } } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotReceived'`,
      [`lot-${a.id}`],
    );
    expect(lotEvent.payload.discrepancy.beyondTolerance).toBe(true);
  });

  it('drum B is rejected whole (a reason is required); the manifest is RECEIVED and capacity settles on 50 kg', async () => {
    const noReason = await errorCode(
      t,
      `mutation($i: RecordReceiptInput!) { recordReceipt(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('r'),
          manifestId: m.id,
          facilityId: disposer.facilityIds[0],
          receipts: [{ lotId: b.id, measuredMass: '50.000', decision: 'REJECTED' }],
        },
      },
      disposer.token,
    );
    expect(noReason).toBe('BAD_USER_INPUT');
    m = await w.receive(disposer.token, m.id, disposer.facilityIds[0], [
      { lotId: b.id, measuredMass: '50.000', decision: 'REJECTED', reason: '标签与内容物不符' },
    ]);
    expect(m).toMatchObject({ status: 'RECEIVED', acceptedMass: '50.000', rejectedMass: '80.000' });
    expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(50_000);
    const [lb] = await w.sql(`SELECT status, custodian_party_id FROM lot WHERE lot_id = $1`, [b.id]);
    expect(lb).toEqual({ status: 'REJECTED', custodian_party_id: disposer.id });
  });

  it('the manifest cannot close while rejected waste is at the disposer and the accepted part untreated', async () => {
    const res = await t.gql(
      `mutation($i: ManifestRefInput!) { closeManifest(input: $i) { id } }`,
      { i: { idempotencyKey: idem('c'), manifestId: m.id } },
      disposer.token,
    );
    expect(res.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
    expect(res.body.errors[0].extensions.unmet).toEqual(
      expect.arrayContaining([
        { lotId: a.id, condition: 'ACCEPTED_LOT_STILL_AT_RECEIVER' },
        { lotId: rejectedPart, condition: 'REJECTED_LOT_NOT_ON_RETURN_OR_REDIRECT' },
        { lotId: b.id, condition: 'REJECTED_LOT_NOT_ON_RETURN_OR_REDIRECT' },
      ]),
    );
  });

  it('a RETURN must go back to the original consignor', async () => {
    const other = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    const res = await t.gql(
      `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('ret-bad'),
          transferType: 'RETURN',
          receiverPartyId: other.id,
          precedingManifestId: m.id,
          legs: [leg],
          lots: [{ lotId: b.id, intendedMode: 'STORE', method: 'D15' }],
          plannedDate: today(),
          emergencyMeasures: '按原应急预案',
        },
      },
      disposer.token,
    );
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.receiverPartyId',
    });
  });

  it('the disposer returns the rejected waste on a RETURN manifest: no licence check on the producer', async () => {
    ret = await w.draft(disposer.token, {
      transferType: 'RETURN',
      receiverPartyId: producer.id,
      precedingManifestId: m.id,
      legs: [leg],
      lots: [
        { lotId: rejectedPart, intendedMode: 'STORE', method: 'D15' },
        { lotId: b.id, intendedMode: 'STORE', method: 'D15' },
      ],
      plannedDate: today(),
    });
    expect(ret).toMatchObject({
      transferType: 'RETURN',
      precedingManifestId: m.id,
      consignor: { id: disposer.id },
      receiver: { id: producer.id },
    });
    const r = await w.submit(disposer.token, ret.id);
    expect(r.manifest.status).toBe('SUBMITTED');
    expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(50_000);
    ret = await w.takeCustody(driver, r.manifest, r.handoverCode.code);
    ret = await w.deliver(driver, ret.id);
    ret = await w.receive(producer.token, ret.id, producer.facilityIds[0], [
      { lotId: rejectedPart, measuredMass: '30.000', decision: 'ACCEPTED' },
      { lotId: b.id, measuredMass: '50.000', decision: 'ACCEPTED' },
    ]);
    expect(ret.status).toBe('RECEIVED');
    const back = await w.sql(`SELECT DISTINCT custodian_party_id, status FROM lot WHERE lot_id = ANY($1)`, [
      [rejectedPart, b.id],
    ]);
    expect(back).toEqual([{ custodian_party_id: producer.id, status: 'STORED' }]);
  });

  it('once the accepted part is disposed of, the first manifest closes', async () => {
    await w.treat(disposer, [a.id], 'D10');
    m = await w.close(disposer.token, m.id);
    expect(m.status).toBe('CLOSED');
    const [closed] = await w.sql<{ payload: { rejected: { lotId: string; onManifestId: string }[] } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'ManifestClosed'`,
      [`manifest-${m.id}`],
    );
    expect(closed.payload.rejected).toEqual(
      expect.arrayContaining([
        { lotId: rejectedPart, onManifestId: ret.id },
        { lotId: b.id, onManifestId: ret.id },
      ]),
    );
  });

  it('the read models rebuild from the ledger alone', async () => {
    expect((await w.rebuild()).differences).toEqual([]);
  });
});
