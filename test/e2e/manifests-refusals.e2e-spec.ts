import { Clock } from '../../src/shared/clock';
import { createTestApp, type TestApp } from '../support/app';
import {
  addDays,
  type Agency,
  AUTH_ENV,
  errorCode,
  idem,
  item,
  type RegisteredParty,
  today,
} from '../support/world';
import { type Lot, type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(180_000);

const SUBMIT = `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id } } }`;
const TAKE = `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { id status } }`;

/**
 * Refusals of the transfer manifest (SPEC sections 3, 6, 13): every licence and carrier code at
 * submission, each leaving the ledger unchanged; the one-time handover code (wrong tries, lock,
 * reissue) with every refused attempt in the attempt log; label mismatch naming missing and extra
 * labels; a container refused at loading; who may do what.
 */
describe('manifests: refusals at submission and custody', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let henan: Agency;
  let producer: RegisteredParty;
  let recycler: RegisteredParty;
  let carrier: RegisteredParty;
  let crew: { permitId: string; vehicleId: string; driverId: string; escortId: string };
  let leg: Record<string, string>;
  let driver: string;
  let itemId: string;
  const year = today().slice(0, 4);

  const draft = async (
    lots: { lotId: string; intendedMode?: string; method?: string }[],
    extra: Record<string, unknown> = {},
  ) =>
    w.draft(producer.token, {
      receiverPartyId: recycler.id,
      legs: [leg],
      lots: lots.map((l) => ({ intendedMode: 'UTILISE', method: 'R9', ...l })),
      plannedDate: today(),
      ...extra,
    });
  const refused = async (m: Manifest): Promise<{ code: string; extensions: Record<string, unknown> }> => {
    const before = await w.ledgerSize();
    const capacity = await w.counter(`licence-capacity:${itemId}:${year}`);
    const res = await t.gql(SUBMIT, { i: { idempotencyKey: idem('s'), manifestId: m.id } }, producer.token);
    expect(await w.ledgerSize()).toBe(before);
    expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(capacity);
    const ext = res.body.errors?.[0]?.extensions ?? { code: 'NO_ERROR' };
    return { code: ext.code as string, extensions: ext };
  };
  const registerCrew = async (party: RegisteredParty, role: string, validTo: string) =>
    (
      await w.q<{ registerCrewMember: { id: string } }>(
        `mutation($i: RegisterCrewMemberInput!) { registerCrewMember(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('crew'),
            role,
            name: `${role} x`,
            certificateNumber: idem('qual'),
            certificateValidTo: validTo,
          },
        },
        party.token,
      )
    ).registerCrewMember.id;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    henan = await w.regulator({ level: 'PROVINCE', divisionCode: '410000', jurisdiction: ['41'] });
    producer = await w.verifiedParty(henan, { types: ['PRODUCER'], divisionCode: '410102' });
    recycler = await w.verifiedParty(henan, { types: ['UTILISER'], divisionCode: '410122' });
    carrier = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
    itemId = (
      await w.issueLicence(henan, {
        holder: recycler,
        kind: 'COMPREHENSIVE',
        items: [item('HW08', ['UTILISE'], '0.5')],
      })
    ).itemIds.HW08;
    crew = await w.equipCarrier(henan, carrier);
    leg = {
      carrierPartyId: carrier.id,
      vehicleId: crew.vehicleId,
      driverId: crew.driverId,
      escortId: crew.escortId,
    };
    driver = await w.user(carrier, 'DRIVER');
  });
  afterAll(() => t.close());

  describe('submission, one refusal per rule, each leaving the ledger as it was', () => {
    it('RECEIVER_NOT_LICENSED: no licence item covers the code', async () => {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-041-49', mass: '10.000', form: 'SOLID' }]);
      const r = await refused(await draft([{ lotId: lot.id, intendedMode: 'DISPOSE', method: 'D10' }]));
      expect(r.code).toBe('RECEIVER_NOT_LICENSED');
      expect(r.extensions.lotIds).toEqual([lot.id]);
    });

    it('LICENCE_MODE_MISSING: the code is covered, not the intended mode', async () => {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      expect(
        (await refused(await draft([{ lotId: lot.id, intendedMode: 'DISPOSE', method: 'D10' }]))).code,
      ).toBe('LICENCE_MODE_MISSING');
    });

    it('LICENCE_CAPACITY_EXCEEDED: above 120 % of the item’s 0.5 t', async () => {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '601.000' }]);
      expect((await refused(await draft([{ lotId: lot.id }]))).code).toBe('LICENCE_CAPACITY_EXCEEDED');
    });

    it('PARTY_NOT_VERIFIED: a receiver a regulator has not verified', async () => {
      const pending = await w.pendingParty({ types: ['UTILISER'], divisionCode: '410122' });
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      expect((await refused(await draft([{ lotId: lot.id }], { receiverPartyId: pending.id }))).code).toBe(
        'PARTY_NOT_VERIFIED',
      );
    });

    it('CARRIER_NOT_LICENSED: a carrier whose transport permit nobody verified', async () => {
      const other = await w.verifiedParty(henan, { types: ['TRANSPORTER'], divisionCode: '410105' });
      const permit = await w.q<{ registerTransportPermit: { id: string } }>(
        `mutation($i: RegisterTransportPermitInput!) { registerTransportPermit(input: $i) { id } }`,
        { i: { idempotencyKey: idem('p'), number: idem('permit'), validTo: addDays(today(), 300) } },
        other.token,
      );
      const vehicle = await w.q<{ registerVehicle: { id: string } }>(
        `mutation($i: RegisterVehicleInput!) { registerVehicle(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('v'),
            permitId: permit.registerTransportPermit.id,
            plate: '豫A9X001',
            certificateNumber: idem('cert'),
            certificateValidTo: addDays(today(), 300),
            medicalWasteVehicle: false,
          },
        },
        other.token,
      );
      const legs = [
        {
          carrierPartyId: other.id,
          vehicleId: vehicle.registerVehicle.id,
          driverId: await registerCrew(other, 'DRIVER', addDays(today(), 300)),
          escortId: await registerCrew(other, 'ESCORT', addDays(today(), 300)),
        },
      ];
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const r = await refused(await draft([{ lotId: lot.id }], { legs }));
      expect(r.code).toBe('CARRIER_NOT_LICENSED');
      expect(r.extensions.leg).toBe(1);
    });

    it('VEHICLE_NOT_AUTHORISED: a vehicle of the carrier not verified under its permit', async () => {
      const v = await w.q<{ registerVehicle: { id: string } }>(
        `mutation($i: RegisterVehicleInput!) { registerVehicle(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('v'),
            permitId: crew.permitId,
            plate: '豫A9X002',
            certificateNumber: idem('cert'),
            certificateValidTo: addDays(today(), 300),
            medicalWasteVehicle: false,
          },
        },
        carrier.token,
      );
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const r = await refused(
        await draft([{ lotId: lot.id }], { legs: [{ ...leg, vehicleId: v.registerVehicle.id }] }),
      );
      expect(r.code).toBe('VEHICLE_NOT_AUTHORISED');
    });

    it('CERTIFICATE_EXPIRED: the escort’s certificate ends before the planned date', async () => {
      const escortId = await registerCrew(carrier, 'ESCORT', today());
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const r = await refused(
        await draft([{ lotId: lot.id }], { legs: [{ ...leg, escortId }], plannedDate: addDays(today(), 2) }),
      );
      expect(r.code).toBe('CERTIFICATE_EXPIRED');
    });

    it('LOT_ON_OPEN_MANIFEST: a lot already on a submitted manifest', async () => {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const first = await draft([{ lotId: lot.id }]);
      const second = await draft([{ lotId: lot.id }]);
      await w.submit(producer.token, first.id);
      const r = await refused(second);
      expect(r.code).toBe('LOT_ON_OPEN_MANIFEST');
      expect(r.extensions.lots).toEqual([{ lotId: lot.id, manifestId: first.id }]);
    });

    it('LOT_NOT_IN_CUSTODY: another party’s lot cannot be put on a manifest', async () => {
      const [theirs] = await w.lots(recycler, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const res = await t.gql(
        `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('d'),
            receiverPartyId: recycler.id,
            legs: [leg],
            lots: [{ lotId: theirs.id, intendedMode: 'UTILISE', method: 'R9' }],
            plannedDate: today(),
            emergencyMeasures: '—',
          },
        },
        producer.token,
      );
      expect(res.body.errors[0].extensions).toMatchObject({
        code: 'LOT_NOT_IN_CUSTODY',
        field: 'input.lots.0.lotId',
      });
    });

    it('a driver may not draft (FORBIDDEN by the permission table), a malformed Basel method is BAD_USER_INPUT', async () => {
      const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
      const q = `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`;
      const i = {
        idempotencyKey: idem('d'),
        receiverPartyId: recycler.id,
        legs: [leg],
        plannedDate: today(),
        emergencyMeasures: '—',
      };
      expect(
        await errorCode(
          t,
          q,
          { i: { ...i, lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R9' }] } },
          driver,
        ),
      ).toBe('FORBIDDEN');
      const bad = await t.gql(
        q,
        { i: { ...i, lots: [{ lotId: lot.id, intendedMode: 'UTILISE', method: 'R99' }] } },
        producer.token,
      );
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('drafts', () => {
    it('a draft is amended (fields given change, the others stay); an agent without a delegation is refused', async () => {
      const [l1, l2] = await w.lots(producer, [
        { wasteCode: '900-214-08', mass: '10.000' },
        { wasteCode: '900-214-08', mass: '11.000' },
      ]);
      const m = await draft([{ lotId: l1.id }]);
      const d = await w.q<{
        amendManifestDraft: Manifest & { plannedDate: string; emergencyMeasures: string };
      }>(
        `mutation($i: AmendManifestDraftInput!) { amendManifestDraft(input: $i) { id status plannedDate emergencyMeasures lots { lotId declaredMass } } }`,
        {
          i: {
            idempotencyKey: idem('amend'),
            manifestId: m.id,
            plannedDate: addDays(today(), 3),
            lots: [
              { lotId: l1.id, intendedMode: 'UTILISE', method: 'R9' },
              { lotId: l2.id, intendedMode: 'UTILISE', method: 'R9', declaredMass: '10.500' },
            ],
          },
        },
        producer.token,
      );
      expect(d.amendManifestDraft).toMatchObject({
        status: 'DRAFT',
        plannedDate: addDays(today(), 3),
        emergencyMeasures: m.emergencyMeasures,
        lots: [
          { lotId: l1.id, declaredMass: '10.000' },
          { lotId: l2.id, declaredMass: '10.500' },
        ],
      });
      expect(await w.events(`manifest-${m.id}`)).toEqual(['ManifestDrafted', 'ManifestDraftAmended']);
      const rows = await w.sql(
        `SELECT lot_id, declared_grams FROM manifest_lot WHERE manifest_id = $1 ORDER BY position`,
        [m.id],
      );
      expect(rows).toEqual([
        { lot_id: l1.id, declared_grams: '10000' },
        { lot_id: l2.id, declared_grams: '10500' },
      ]);
      const res = await t.gql(
        `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('d'),
            onBehalfOfPartyId: producer.id,
            receiverPartyId: recycler.id,
            legs: [leg],
            lots: [{ lotId: l1.id, intendedMode: 'UTILISE', method: 'R9' }],
            plannedDate: today(),
            emergencyMeasures: '—',
          },
        },
        carrier.token,
      );
      expect(res.body.errors[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        field: 'input.onBehalfOfPartyId',
      });
    });
  });

  describe('custody', () => {
    let lots: Lot[];
    let m: Manifest;
    let code: string;
    const attempt = (extra: Record<string, unknown>) =>
      t.gql(
        TAKE,
        {
          i: {
            idempotencyKey: idem('take'),
            manifestId: m.id,
            scannedLabels: lots.map((l) => l.labelCode),
            shipperLoadingCheckPassed: true,
            handoverCode: code,
            ...extra,
          },
        },
        driver,
      );

    beforeAll(async () => {
      lots = await w.lots(producer, [
        { wasteCode: '900-214-08', mass: '20.000' },
        { wasteCode: '900-214-08', mass: '30.000' },
        { wasteCode: '900-214-08', mass: '40.000' },
      ]);
      m = await draft(lots.map((l) => ({ lotId: l.id })));
      const r = await w.submit(producer.token, m.id);
      m = r.manifest;
      code = r.handoverCode.code;
    });

    it('LABEL_MISMATCH names the missing and the extra labels; nothing is recorded', async () => {
      const before = await w.ledgerSize();
      const res = await attempt({
        scannedLabels: [lots[0].labelCode, lots[1].labelCode, 'HL-2026-XXXX-XXXX-XXXX'],
      });
      expect(res.body.errors[0].extensions).toMatchObject({
        code: 'LABEL_MISMATCH',
        missing: [lots[2].labelCode],
        extra: ['HL-2026-XXXX-XXXX-XXXX'],
      });
      expect(await w.ledgerSize()).toBe(before);
    });

    it('the carrier refuses drum 3 before departure: it stays with the producer, its capacity released', async () => {
      const capacity = await w.counter(`licence-capacity:${itemId}:${year}`);
      const d = await w.q<{ refuseContainer: Manifest }>(
        `mutation($i: RefuseContainerInput!) { refuseContainer(input: $i) { id status lots { lotId status refusedReason } } }`,
        { i: { idempotencyKey: idem('refuse'), manifestId: m.id, lotId: lots[2].id, reason: '桶体渗漏' } },
        driver,
      );
      expect(d.refuseContainer.lots.find((l) => l.lotId === lots[2].id)).toEqual({
        lotId: lots[2].id,
        status: 'REFUSED',
        refusedReason: '桶体渗漏',
      });
      expect(await w.counter(`licence-capacity:${itemId}:${year}`)).toBe(capacity - 40_000);
      const [lot] = await w.sql(
        `SELECT status, custodian_party_id, open_manifest_id FROM lot WHERE lot_id = $1`,
        [lots[2].id],
      );
      expect(lot).toEqual({ status: 'GENERATED', custodian_party_id: producer.id, open_manifest_id: null });
      lots = lots.slice(0, 2);
    });

    it('four wrong codes are refused with the tries left, the fifth locks the code, then even the right one is locked', async () => {
      const before = await w.ledgerSize();
      const wrong = code === '00000000' ? '11111111' : '00000000';
      for (let i = 1; i <= 4; i++) {
        const res = await attempt({ handoverCode: wrong });
        expect(res.body.errors[0].extensions).toMatchObject({
          code: 'HANDOVER_CODE_INVALID',
          triesLeft: 5 - i,
        });
      }
      expect((await attempt({ handoverCode: wrong })).body.errors[0].extensions.code).toBe(
        'HANDOVER_CODE_LOCKED',
      );
      expect((await attempt({})).body.errors[0].extensions.code).toBe('HANDOVER_CODE_LOCKED');
      expect(await w.ledgerSize()).toBe(before);
      const attempts = await w.q<{ custodyAttempts: { refusalCode: string; act: string }[] }>(
        `query($id: ID!) { custodyAttempts(manifestId: $id) { act refusalCode } }`,
        { id: m.id },
        henan.token,
      );
      expect(attempts.custodyAttempts.map((a) => a.refusalCode)).toEqual([
        'LABEL_MISMATCH',
        'HANDOVER_CODE_INVALID',
        'HANDOVER_CODE_INVALID',
        'HANDOVER_CODE_INVALID',
        'HANDOVER_CODE_INVALID',
        'HANDOVER_CODE_LOCKED',
        'HANDOVER_CODE_LOCKED',
      ]);
    });

    it('only the consignor reissues the code; the new one works and the old one no longer does', async () => {
      expect(
        await errorCode(
          t,
          `mutation($i: ManifestRefInput!) { reissueHandoverCode(input: $i) { manifest { id } } }`,
          { i: { idempotencyKey: idem('r'), manifestId: m.id } },
          driver,
        ),
      ).toBe('FORBIDDEN');
      const r = await w.q<{ reissueHandoverCode: { handoverCode: { code: string } } }>(
        `mutation($i: ManifestRefInput!) { reissueHandoverCode(input: $i) { handoverCode { code } } }`,
        { i: { idempotencyKey: idem('r'), manifestId: m.id } },
        producer.token,
      );
      const fresh = r.reissueHandoverCode.handoverCode.code;
      if (fresh !== code)
        expect((await attempt({})).body.errors[0].extensions.code).toBe('HANDOVER_CODE_INVALID');
      const ok = await attempt({ handoverCode: fresh });
      expect(ok.body.data.takeCustody.status).toBe('IN_TRANSIT');
      expect(await w.events(`manifest-${m.id}`)).toEqual([
        'ManifestDrafted',
        'ManifestSubmitted',
        'HandoverCodeIssued',
        'ContainerRefused',
        'HandoverCodeIssued',
        'CustodyTaken',
      ]);
    });

    it('cancelling after custody is refused with the state and the acts allowed', async () => {
      const res = await t.gql(
        `mutation($i: CancelManifestInput!) { cancelManifest(input: $i) { id } }`,
        { i: { idempotencyKey: idem('c'), manifestId: m.id } },
        producer.token,
      );
      expect(res.body.errors[0].extensions).toMatchObject({
        code: 'INVALID_TRANSITION',
        currentState: 'IN_TRANSIT',
      });
      expect(res.body.errors[0].extensions.allowedActs).toEqual(expect.arrayContaining(['relay', 'deliver']));
    });
  });

  it('a handover code expires after HANDOVER_CODE_TTL_HOURS: refused as expired, a reissued one works', async () => {
    const [lot] = await w.lots(producer, [{ wasteCode: '900-214-08', mass: '10.000' }]);
    const r = await w.submit(producer.token, (await draft([{ lotId: lot.id }])).id);
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    clock.now = () => new Date(real().getTime() + 73 * 3_600_000);
    try {
      const take = (code: string) =>
        t.gql(
          TAKE,
          {
            i: {
              idempotencyKey: idem('take'),
              manifestId: r.manifest.id,
              scannedLabels: [lot.labelCode],
              handoverCode: code,
              shipperLoadingCheckPassed: true,
            },
          },
          driver,
        );
      const expired = await take(r.handoverCode.code);
      expect(expired.body.errors[0].extensions).toMatchObject({
        code: 'HANDOVER_CODE_INVALID',
        reason: 'EXPIRED',
      });
      const fresh = await w.q<{ reissueHandoverCode: { handoverCode: { code: string } } }>(
        `mutation($i: ManifestRefInput!) { reissueHandoverCode(input: $i) { handoverCode { code } } }`,
        { i: { idempotencyKey: idem('r'), manifestId: r.manifest.id } },
        producer.token,
      );
      const ok = await take(fresh.reissueHandoverCode.handoverCode.code);
      expect(ok.body.data.takeCustody.status).toBe('IN_TRANSIT');
    } finally {
      clock.now = real;
    }
  });
});
