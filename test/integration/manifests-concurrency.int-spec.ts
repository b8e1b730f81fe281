import { createTestApp, type TestApp } from '../support/app';
import { type Agency, AUTH_ENV, idem, item, type RegisteredParty, today } from '../support/world';
import { manifestWorld, type ManifestWorld } from '../e2e/manifests-world';

jest.setTimeout(240_000);

const SUBMIT = `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id } handoverCode { code } } }`;
const TAKE = `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { id status } }`;
const ROUNDS = 5;

const codeOf = (body: { errors?: { extensions?: { code?: string } }[] }): string =>
  body.errors?.[0]?.extensions?.code ?? 'OK';

/**
 * Invariants that span streams hold under concurrency (SPEC section 3), with and without group
 * commit: two drivers taking custody of one manifest at the same moment — exactly one succeeds;
 * two manifests with the same lot submitted at the same moment — one is refused
 * (LOT_ON_OPEN_MANIFEST). Each race is run several times.
 */
describe.each([
  ['group commit', 'true'],
  ['a transaction per command', 'false'],
])('manifests under concurrency (%s)', (_mode, groupCommit) => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let producer: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let leg: Record<string, string>;
  let drivers: string[];

  const draft = async (lotIds: string[]) =>
    (
      await w.q<{ draftManifest: { id: string; lots: { labelCode: string }[] } }>(
        `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id lots { labelCode } } }`,
        {
          i: {
            idempotencyKey: idem('draft'),
            receiverPartyId: recycler.id,
            legs: [leg],
            lots: lotIds.map((lotId) => ({ lotId, intendedMode: 'UTILISE', method: 'R9' })),
            plannedDate: today(),
            emergencyMeasures: '吸附棉围堵',
          },
        },
        producer.token,
      )
    ).draftManifest;

  const previous = process.env.LEDGER_GROUP_COMMIT;

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, LEDGER_GROUP_COMMIT: groupCommit });
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    producer = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    recycler = await w.verifiedParty(henan, { types: ['UTILISER'], divisionCode: '410122' });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    await w.issueLicence(henan, {
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
    drivers = [await w.user(carrier, 'DRIVER'), await w.user(carrier, 'DRIVER')];
  });
  afterAll(async () => {
    await t.close();
    if (previous === undefined) delete process.env.LEDGER_GROUP_COMMIT;
    else process.env.LEDGER_GROUP_COMMIT = previous;
  });

  it('two drivers take custody of the same manifest at once: exactly one succeeds', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const lots = await w.lots(producer, [
        { wasteCode: '900-214-08', mass: '10.000' },
        { wasteCode: '900-214-08', mass: '11.000' },
      ]);
      const m = await draft(lots.map((l) => l.id));
      const s = await w.q<{ submitManifest: { handoverCode: { code: string } } }>(
        SUBMIT,
        { i: { idempotencyKey: idem('s'), manifestId: m.id } },
        producer.token,
      );
      const take = (token: string) =>
        t.gql(
          TAKE,
          {
            i: {
              idempotencyKey: idem('take'),
              manifestId: m.id,
              scannedLabels: m.lots.map((l) => l.labelCode),
              handoverCode: s.submitManifest.handoverCode.code,
              shipperLoadingCheckPassed: true,
            },
          },
          token,
        );
      const results = await Promise.all(drivers.map(take));
      const codes = results.map((r) => codeOf(r.body)).sort();
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      expect(['INVALID_TRANSITION', 'HANDOVER_CODE_INVALID', 'CONFLICT']).toContain(
        codes.find((c) => c !== 'OK'),
      );
      const events = await w.sql<{ event_type: string; n: string }>(
        `SELECT event_type, count(*) AS n FROM ledger_event WHERE stream_id = ANY($1) AND event_type IN ('CustodyTaken', 'LotCustodyTaken')
          GROUP BY event_type ORDER BY event_type`,
        [[`manifest-${m.id}`, ...lots.map((l) => `lot-${l.id}`)]],
      );
      expect(events).toEqual([
        { event_type: 'CustodyTaken', n: '1' },
        { event_type: 'LotCustodyTaken', n: '2' },
      ]);
    }
  });

  it('two manifests with the same lot submitted at once: one is refused (LOT_ON_OPEN_MANIFEST)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '12.000' }]);
      const a = await draft([lot.id]);
      const b = await draft([lot.id]);
      const results = await Promise.all(
        [a, b].map((m) =>
          t.gql(SUBMIT, { i: { idempotencyKey: idem('s'), manifestId: m.id } }, producer.token),
        ),
      );
      const codes = results.map((r) => codeOf(r.body)).sort();
      expect(codes).toEqual(['LOT_ON_OPEN_MANIFEST', 'OK']);
      const reserved = await w.sql<{ event_type: string }>(
        `SELECT event_type FROM ledger_event WHERE stream_id = $1 AND event_type = 'LotReservedOnManifest'`,
        [`lot-${lot.id}`],
      );
      expect(reserved).toHaveLength(1);
      const submitted = await w.sql<{ manifest_id: string }>(
        `SELECT manifest_id FROM manifest WHERE manifest_id = ANY($1) AND status = 'SUBMITTED'`,
        [[a.id, b.id]],
      );
      expect(submitted).toHaveLength(1);
      const [row] = await w.sql(`SELECT open_manifest_id FROM lot WHERE lot_id = $1`, [lot.id]);
      expect(row).toEqual({ open_manifest_id: submitted[0].manifest_id });
    }
  });
});
