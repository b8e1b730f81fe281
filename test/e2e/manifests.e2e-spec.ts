import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, errorCode, idem, type RegisteredParty, today } from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld, MANIFEST } from './manifests-world';

jest.setTimeout(120_000);

/**
 * 电子转移联单 (a) — an auto-repair shop (汽修厂) ships its waste mineral oil (900-214-08, 废矿物油)
 * to a licensed recycler, on one leg: the shop drafts and submits (the recycler's licence and
 * capacity, the carrier's permit, vehicle and crew are checked; the lot is reserved; a one-time
 * handover code is issued), the carrier's driver takes custody with the code and the label scan,
 * delivers, the recycler weighs and accepts, utilises the oil (R9) and closes the manifest.
 */
describe('manifests (a): waste oil from an auto-repair shop to the recycler, one leg, closed after utilisation', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let shop: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let driver: string;
  let crew: { vehicleId: string; driverId: string; escortId: string };
  let itemId: string;
  let lot: Lot;
  let m: Manifest;
  let code: string;
  const submitKey = idem('submit-a');

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    ({ shop, recycler, carrier, crew, driver, itemId } = await w.oilRoute(henan));
    [lot] = await w.lots(shop, [{ wasteCode: '900-214-08', mass: '180.500' }]);
  });
  afterAll(() => t.close());

  it('the shop drafts: numbered HL-<year>-4101-<serial>, the lot described from its label', async () => {
    m = await w.draft(shop.token, {
      receiverPartyId: recycler.id,
      legs: [
        {
          carrierPartyId: carrier.id,
          vehicleId: crew.vehicleId,
          driverId: crew.driverId,
          escortId: crew.escortId,
        },
      ],
      lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }],
      plannedDate: today(),
    });
    expect(m.status).toBe('DRAFT');
    expect(m.number).toMatch(new RegExp(`^HL-${today().slice(0, 4)}-4101-\\d{6}$`));
    expect(m).toMatchObject({
      transferType: 'INTRA_PROVINCE',
      consignor: { id: shop.id },
      shipper: { id: shop.id },
      receiver: { id: recycler.id },
      declaredMass: '180.500',
      startPoint: { divisionCode: '410102' },
      endPoint: { divisionCode: '410122' },
    });
    expect(m.lots).toEqual([
      expect.objectContaining({
        lotId: lot.id,
        labelCode: lot.labelCode,
        wasteCode: '900-214-08',
        declaredMass: '180.500',
        status: 'LISTED',
      }),
    ]);
    expect(await w.events(`manifest-${m.id}`)).toEqual(['ManifestDrafted']);
    const [row] = await w.sql(
      `SELECT status, hazledger_number, consignor_party_id FROM manifest WHERE manifest_id = $1`,
      [m.id],
    );
    expect(row).toEqual({ status: 'DRAFT', hazledger_number: m.number, consignor_party_id: shop.id });
  });

  it('a stranger does not see the draft (NOT_FOUND), and nobody else may submit it', async () => {
    const other = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    expect(
      await errorCode(t, `query($id: ID!) { manifest(id: $id) { id } }`, { id: m.id }, other.token),
    ).toBe('NOT_FOUND');
    expect(
      await errorCode(
        t,
        `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id } } }`,
        { i: { idempotencyKey: idem('x'), manifestId: m.id } },
        other.token,
      ),
    ).toBe('NOT_FOUND');
  });

  it('submits: the lot is reserved, capacity reserved on the licence item, a handover code issued (hashed, never on the ledger)', async () => {
    const before = await w.ledgerSize();
    const r = await w.submit(shop.token, m.id, { idempotencyKey: submitKey });
    m = r.manifest;
    code = r.handoverCode.code;
    expect(m.status).toBe('SUBMITTED');
    expect(code).toMatch(/^\d{8}$/);
    expect(m.handoverCodeExpiresAt).toBe(r.handoverCode.expiresAt);
    expect(await w.events(`manifest-${m.id}`)).toEqual([
      'ManifestDrafted',
      'ManifestSubmitted',
      'HandoverCodeIssued',
    ]);
    expect(await w.events(`lot-${lot.id}`)).toEqual(['LotGenerated', 'LotReservedOnManifest']);
    const year = today().slice(0, 4);
    expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(180_500);
    expect(await w.ledgerSize()).toBeGreaterThan(before);
    const leaked = await w.sql(
      `SELECT position FROM ledger_event WHERE payload::text LIKE $1 OR canonical::text LIKE $1`,
      [`%${code}%`],
    );
    expect(leaked).toEqual([]);
    const [stored] = await w.sql<{ code_hash: Buffer }>(
      `SELECT code_hash FROM manifest_handover_code WHERE manifest_id = $1`,
      [m.id],
    );
    expect(stored.code_hash.toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
    const [lotRow] = await w.sql(`SELECT open_manifest_id, status FROM lot WHERE lot_id = $1`, [lot.id]);
    expect(lotRow).toEqual({ open_manifest_id: m.id, status: 'GENERATED' });
  });

  it('a retry with the same key returns the first result without the code; a new submission is refused', async () => {
    const before = await w.ledgerSize();
    const q = `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id status } handoverCode { code } } }`;
    const retry = await t.gql(q, { i: { idempotencyKey: submitKey, manifestId: m.id } }, shop.token);
    expect(retry.body.data.submitManifest).toEqual({
      manifest: { id: m.id, status: 'SUBMITTED' },
      handoverCode: null,
    });
    const again = await t.gql(
      q,
      { i: { idempotencyKey: idem('submit-again'), manifestId: m.id } },
      shop.token,
    );
    expect(again.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
    expect(await w.ledgerSize()).toBe(before);
  });

  it('the driver takes custody with the code and the label scan: manifest IN_TRANSIT and the lot with the carrier, one transaction', async () => {
    m = await w.takeCustody(driver, m, code, {
      pickupMasses: [{ labelCode: lot.labelCode, mass: '181.000' }],
    });
    expect(m).toMatchObject({ status: 'IN_TRANSIT', currentLeg: 1, disputed: false });
    expect(m.lots[0]).toMatchObject({ status: 'CARRIED', pickupMass: '181.000' });
    const rows = await w.sql<{ stream_id: string; event_type: string; command_id: string }>(
      `SELECT stream_id, event_type, command_id FROM ledger_event WHERE event_type IN ('CustodyTaken', 'LotCustodyTaken')
        AND (stream_id = $1 OR stream_id = $2)`,
      [`manifest-${m.id}`, `lot-${lot.id}`],
    );
    expect(rows.map((r) => r.event_type).sort()).toEqual(['CustodyTaken', 'LotCustodyTaken']);
    expect(new Set(rows.map((r) => r.command_id)).size).toBe(1);
    const [lotRow] = await w.sql(`SELECT status, custodian_party_id FROM lot WHERE lot_id = $1`, [lot.id]);
    expect(lotRow).toEqual({ status: 'IN_TRANSIT', custodian_party_id: carrier.id });
    const [used] = await w.sql(
      `SELECT used_at IS NOT NULL AS used FROM manifest_handover_code WHERE manifest_id = $1`,
      [m.id],
    );
    expect(used).toEqual({ used: true });
  });

  it('the code was single use: a second pickup is refused and written to the attempt log', async () => {
    const before = await w.ledgerSize();
    const res = await t.gql(
      `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('again'),
          manifestId: m.id,
          scannedLabels: [lot.labelCode],
          handoverCode: code,
          shipperLoadingCheckPassed: true,
        },
      },
      driver,
    );
    expect(res.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
    expect(await w.ledgerSize()).toBe(before);
    const attempts = await w.q<{ custodyAttempts: { act: string; refusalCode: string }[] }>(
      `query($id: ID!) { custodyAttempts(manifestId: $id) { act refusalCode } }`,
      { id: m.id },
      shop.token,
    );
    expect(attempts.custodyAttempts).toEqual([{ act: 'takeCustody', refusalCode: 'INVALID_TRANSITION' }]);
  });

  it('the driver delivers to the named recycler; the receipt is due within 5 working days', async () => {
    m = await w.deliver(driver, m.id);
    expect(m.status).toBe('DELIVERED');
    expect(m.receiptDeadline).toMatchObject({ provisional: expect.any(Boolean) });
    expect((m.receiptDeadline as { date: string }).date > today()).toBe(true);
    const [lotRow] = await w.sql(`SELECT status, custodian_party_id FROM lot WHERE lot_id = $1`, [lot.id]);
    expect(lotRow).toEqual({ status: 'DELIVERED', custodian_party_id: recycler.id });
    const turn = await w.q<{
      allowedActions: { waitingFor: string[]; actions: { action: string; allowed: boolean }[] };
    }>(
      `query($id: ID!) { allowedActions(manifestId: $id) { waitingFor actions { action allowed reason } } }`,
      { id: m.id },
      recycler.token,
    );
    expect(turn.allowedActions.waitingFor[0]).toContain('recordReceipt');
    expect(turn.allowedActions.actions.find((a) => a.action === 'recordReceipt')?.allowed).toBe(true);
  });

  it('the recycler weighs and accepts: the lot is stored at the recycler, capacity settled on the measured mass', async () => {
    m = await w.receive(recycler.token, m.id, recycler.facilityIds[0], [
      { lotId: lot.id, measuredMass: '180.900', decision: 'ACCEPTED' },
    ]);
    expect(m).toMatchObject({
      status: 'RECEIVED',
      acceptedMass: '180.900',
      rejectedMass: '0.000',
      discrepancy: false,
    });
    expect(m.lots[0]).toMatchObject({
      status: 'RECEIVED',
      measuredMass: '180.900',
      decision: 'ACCEPTED',
      discrepancy: false,
      late: false,
    });
    const [lotRow] = await w.sql(`SELECT status, custodian_party_id, mass_grams FROM lot WHERE lot_id = $1`, [
      lot.id,
    ]);
    expect(lotRow).toEqual({ status: 'STORED', custodian_party_id: recycler.id, mass_grams: '180900' });
    expect(await w.counter(`licence-capacity:${itemId}:${today().slice(0, 4)}`)).toBe(180_900);
  });

  it('closing is refused while the oil is still at the recycler (INVALID_TRANSITION naming the lot)', async () => {
    const res = await t.gql(
      `mutation($i: ManifestRefInput!) { closeManifest(input: $i) { id } }`,
      { i: { idempotencyKey: idem('close-early'), manifestId: m.id } },
      recycler.token,
    );
    expect(res.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
    expect(JSON.stringify(res.body.errors[0])).toContain(lot.id);
  });

  it('after utilisation (R9) the recycler closes the manifest', async () => {
    await w.treat(recycler, [lot.id], 'R9');
    m = await w.close(recycler.token, m.id);
    expect(m.status).toBe('CLOSED');
    expect(await w.events(`manifest-${m.id}`)).toEqual([
      'ManifestDrafted',
      'ManifestSubmitted',
      'HandoverCodeIssued',
      'CustodyTaken',
      'ManifestDelivered',
      'LotReceiptRecorded',
      'ManifestReceived',
      'ManifestClosed',
    ]);
    expect(await w.events(`lot-${lot.id}`)).toEqual([
      'LotGenerated',
      'LotReservedOnManifest',
      'LotCustodyTaken',
      'LotDelivered',
      'LotReceived',
      'LotTreated',
    ]);
    const [row] = await w.sql(
      `SELECT status, accepted_grams, closed_at IS NOT NULL AS closed FROM manifest WHERE manifest_id = $1`,
      [m.id],
    );
    expect(row).toEqual({ status: 'CLOSED', accepted_grams: '180900', closed: true });
  });

  it('every party on it and the provincial regulator see it, by id, number and in lists; its history is the stream', async () => {
    for (const token of [shop.token, recycler.token, carrier.token, driver, henan.token]) {
      const d = await w.q<{ manifestByNumber: { id: string } }>(
        `query($n: String!) { manifestByNumber(number: $n) { id } }`,
        { n: m.number },
        token,
      );
      expect(d.manifestByNumber.id).toBe(m.id);
    }
    const list = await w.q<{ manifests: { totalCount: number; nodes: { id: string }[] } }>(
      `query { manifests(filter: { status: [CLOSED], wasteCode: "900-214-08" }) { totalCount nodes { id } } }`,
      {},
      henan.token,
    );
    expect(list.manifests.nodes.map((n) => n.id)).toContain(m.id);
    const history = await w.q<{ manifestHistory: { type: string; version: number }[] }>(
      `query($id: ID!) { manifestHistory(manifestId: $id) { type version } }`,
      { id: m.id },
      shop.token,
    );
    expect(history.manifestHistory.map((e) => e.type)).toHaveLength(8);
    const detail = await w.manifest(henan.token, m.id);
    expect(detail.status).toBe('CLOSED');
    const stream = `query($s: String!) { streamEvents(streamId: $s) { totalCount nodes { type } } }`;
    const events = await w.q<{ streamEvents: { totalCount: number } }>(
      stream,
      { s: `manifest-${m.id}` },
      carrier.token,
    );
    expect(events.streamEvents.totalCount).toBe(8);
    const stranger = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    expect(await errorCode(t, stream, { s: `manifest-${m.id}` }, stranger.token)).toBe('NOT_FOUND');
  });

  it('the national number is reported once (14 digits, the consignor’s province)', async () => {
    const d = await w.q<{ reportNationalNumber: { nationalNumber: string } }>(
      `mutation($i: ReportNationalNumberInput!) { reportNationalNumber(input: $i) { nationalNumber } }`,
      {
        i: {
          idempotencyKey: idem('nat'),
          manifestId: m.id,
          nationalNumber: `${today().slice(0, 4)}4101000123`,
        },
      },
      shop.token,
    );
    expect(d.reportNationalNumber.nationalNumber).toBe(`${today().slice(0, 4)}4101000123`);
    const again = await errorCode(
      t,
      `mutation($i: ReportNationalNumberInput!) { reportNationalNumber(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('nat2'),
          manifestId: m.id,
          nationalNumber: `${today().slice(0, 4)}4101000124`,
        },
      },
      shop.token,
    );
    expect(again).toBe('BAD_USER_INPUT');
    const byNational = await w.q<{ manifestByNumber: { id: string } }>(
      `query($n: String!) { manifestByNumber(number: $n) { ${MANIFEST} } }`,
      { n: `${today().slice(0, 4)}4101000123` },
      recycler.token,
    );
    expect(byNational.manifestByNumber.id).toBe(m.id);
  });

  it('the manifest read models rebuild from the ledger alone, equal to the live tables', async () => {
    const report = await w.rebuild();
    expect(report.tables).toEqual(
      expect.arrayContaining(['manifest', 'manifest_party', 'manifest_lot', 'manifest_correction']),
    );
    expect(report.differences).toEqual([]);
  });
});
