import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, errorCode, idem, item, type RegisteredParty, today } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(120_000);

const SUBMIT = `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id status crossProvinceApprovalId } } }`;

/**
 * 电子转移联单 (d) — 跨省转移: waste oil from Zhengzhou (Henan) to a recycler in Wuhan (Hubei).
 * Without an approval of the exporting province the submission is refused
 * (CROSS_PROVINCE_APPROVAL_REQUIRED) and nothing is recorded; with one, the declared mass is
 * reserved on the approval's remaining quantity, a second manifest beyond what remains is refused,
 * the receipt settles the accepted mass and releases the rest, a cancellation releases its share.
 */
describe('manifests (d): cross-province transfer and its approval’s remaining quantity', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let hubei: Agency;
  let producer: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let driver: string;
  let leg: Record<string, string>;
  let lot1: Lot;
  let lot2: Lot;
  let m1: Manifest;
  let m2: Manifest;
  let approvalId: string;
  const counter = () => w.counter(`approval-quantity:${approvalId}`);
  const draft = (lot: Lot) =>
    w.draft(producer.token, {
      receiverPartyId: recycler.id,
      legs: [leg],
      lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
      plannedDate: today(),
    });

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    hubei = await w.regulator({ level: 'PROVINCE', divisionCode: '420000', jurisdiction: ['42'] });
    producer = await w.verifiedParty(henan, {
      name: '郑州机械厂',
      types: ['PRODUCER'],
      divisionCode: '410105',
    });
    recycler = await w.verifiedParty(hubei, {
      name: '武汉再生资源',
      types: ['UTILISER'],
      divisionCode: '420102',
    });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    await w.issueLicence(hubei, {
      holder: recycler,
      kind: 'COMPREHENSIVE',
      items: [item('HW08', ['UTILISE'], '1000')],
    });
    const crew = await w.equipCarrier(henan, carrier);
    leg = {
      carrierPartyId: carrier.id,
      vehicleId: crew.vehicleId,
      driverId: crew.driverId,
      escortId: crew.escortId,
    };
    driver = await w.user(carrier, 'DRIVER');
    [lot1, lot2] = await w.lots(producer, [
      { wasteCode: '900-249-08', mass: '200.000' },
      { wasteCode: '900-249-08', mass: '150.000' },
    ]);
  });
  afterAll(() => t.close());

  it('without an approval the submission is refused and nothing is recorded', async () => {
    m1 = await draft(lot1);
    expect(m1.transferType).toBe('CROSS_PROVINCE');
    const before = await w.ledgerSize();
    expect(
      await errorCode(t, SUBMIT, { i: { idempotencyKey: idem('s'), manifestId: m1.id } }, producer.token),
    ).toBe('CROSS_PROVINCE_APPROVAL_REQUIRED');
    expect(await w.ledgerSize()).toBe(before);
    const [lot] = await w.sql(`SELECT open_manifest_id FROM lot WHERE lot_id = $1`, [lot1.id]);
    expect(lot).toEqual({ open_manifest_id: null });
    expect(await w.sql(`SELECT 1 FROM manifest_handover_code WHERE manifest_id = $1`, [m1.id])).toEqual([]);
  });

  it('with Henan’s approval (300 kg) the 200 kg are reserved on it', async () => {
    const d = await w.q<{ issueCrossProvinceApproval: { id: string } }>(
      `mutation($i: IssueCrossProvinceApprovalInput!) { issueCrossProvinceApproval(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('approval'),
          number: '豫环转移〔2026〕7号',
          consignorPartyId: producer.id,
          consignorSiteId: producer.siteIds[0],
          receiverPartyId: recycler.id,
          receiverSiteId: recycler.siteIds[0],
          wasteCodes: ['900-249-08'],
          approvedQuantity: '300',
          validFrom: today(),
        },
      },
      henan.token,
    );
    approvalId = d.issueCrossProvinceApproval.id;
    const ok = await w.q<{
      submitManifest: { manifest: { status: string; crossProvinceApprovalId: string } };
    }>(
      SUBMIT,
      { i: { idempotencyKey: idem('s'), manifestId: m1.id, crossProvinceApprovalId: approvalId } },
      producer.token,
    );
    expect(ok.submitManifest.manifest).toEqual({
      id: m1.id,
      status: 'SUBMITTED',
      crossProvinceApprovalId: approvalId,
    });
    expect(await counter()).toBe(200_000);
    const [payload] = await w.sql<{ payload: { crossProvince: unknown } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1 AND event_type = 'ManifestSubmitted'`,
      [`manifest-${m1.id}`],
    );
    expect(payload.payload.crossProvince).toMatchObject({ approvalId, grams: 200_000 });
  });

  it('a second manifest of 150 kg does not fit in the 100 kg that remain: refused', async () => {
    m2 = await draft(lot2);
    const before = await w.ledgerSize();
    expect(
      await errorCode(t, SUBMIT, { i: { idempotencyKey: idem('s'), manifestId: m2.id } }, producer.token),
    ).toBe('CROSS_PROVINCE_APPROVAL_REQUIRED');
    expect(await w.ledgerSize()).toBe(before);
    expect(await counter()).toBe(200_000);
  });

  it('the receipt settles the accepted 120 kg and releases the rest; then the second fits and its cancellation releases it', async () => {
    const r = await w.q<{ manifest: Manifest }>(
      `query($id: ID!) { manifest(id: $id) { id lots { lotId labelCode status } } }`,
      { id: m1.id },
      producer.token,
    );
    const code = await w.q<{ reissueHandoverCode: { handoverCode: { code: string } } }>(
      `mutation($i: ManifestRefInput!) { reissueHandoverCode(input: $i) { handoverCode { code } } }`,
      { i: { idempotencyKey: idem('code'), manifestId: m1.id } },
      producer.token,
    );
    await w.takeCustody(driver, r.manifest, code.reissueHandoverCode.handoverCode.code);
    await w.deliver(driver, m1.id);
    const received = await w.receive(recycler.token, m1.id, recycler.facilityIds[0], [
      {
        lotId: lot1.id,
        measuredMass: '200.000',
        decision: 'PARTIALLY_ACCEPTED',
        rejectedMass: '80.000',
        reason: '含水率过高',
      },
    ]);
    expect(received).toMatchObject({ status: 'RECEIVED', acceptedMass: '120.000' });
    expect(await counter()).toBe(120_000);
    const ok = await w.submit(producer.token, m2.id);
    expect(ok.manifest.crossProvinceApprovalId).toBe(approvalId);
    expect(await counter()).toBe(270_000);
    const cancelled = await w.q<{ cancelManifest: { status: string } }>(
      `mutation($i: CancelManifestInput!) { cancelManifest(input: $i) { status } }`,
      { i: { idempotencyKey: idem('cancel'), manifestId: m2.id, reason: '客户暂停接收' } },
      producer.token,
    );
    expect(cancelled.cancelManifest.status).toBe('CANCELLED');
    expect(await counter()).toBe(120_000);
    const adjustments = await w.sql<{ delta: number; reason: string }>(
      `SELECT (payload->>'delta')::int AS delta, payload->>'reason' AS reason FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [`counter:approval-quantity:${approvalId}`],
    );
    expect(adjustments).toEqual([
      { delta: 200_000, reason: 'RESERVED' },
      { delta: -200_000, reason: 'RELEASED' },
      { delta: 120_000, reason: 'SETTLED' },
      { delta: 150_000, reason: 'RESERVED' },
      { delta: -150_000, reason: 'RELEASED' },
    ]);
  });

  it('the regulators of both provinces see the manifest; the lot is free again after the cancellation', async () => {
    for (const reg of [henan, hubei]) expect((await w.manifest(reg.token, m1.id)).id).toBe(m1.id);
    const [lot] = await w.sql(`SELECT open_manifest_id, status FROM lot WHERE lot_id = $1`, [lot2.id]);
    expect(lot).toEqual({ open_manifest_id: null, status: 'GENERATED' });
  });
});
