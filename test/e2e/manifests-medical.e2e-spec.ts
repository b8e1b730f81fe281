import { createTestApp, type TestApp } from '../support/app';
import { login, newUscc, verify } from '../support/auth';
import { type Agency, AUTH_ENV, idem, item, type RegisteredParty, today } from '../support/world';
import { type Manifest, manifestWorld, type ManifestWorld } from './manifests-world';

jest.setTimeout(120_000);

/**
 * 电子转移联单 (b) — medical waste (医疗废物) of the township consolidation: three village clinics
 * (≤ 19 beds, exemption #2) hand their infectious waste to the township health centre without a
 * manifest; the centre consolidates it and ships it on a manifest relayed between two carriers
 * (联运: both with medical-waste vehicles, GB 19217) to the county disposal centre, which
 * incinerates it (D10). Every clinic then sees the final fate of its own waste.
 */
describe('manifests (b): medical waste relayed between two carriers to the disposal centre, incinerated', () => {
  let t: TestApp;
  let w: ManifestWorld;
  let city: Agency;
  let county: Agency;
  const clinics: (RegisteredParty & { lotId: string })[] = [];
  let centre: RegisteredParty;
  let disposer: RegisteredParty;
  let carrier1: RegisteredParty;
  let carrier2: RegisteredParty;
  let driver1: string;
  let driver2: string;
  let crew1: { vehicleId: string; driverId: string; escortId: string };
  let crew2: { vehicleId: string; driverId: string; escortId: string };
  let merged: string;
  let m: Manifest;
  let code: string;
  let seq = 0;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  /** A medical institution of 中牟县 with a temporary store (暂时贮存). */
  async function institution(name: string, bedCount: number): Promise<RegisteredParty> {
    const admin = `inst-${process.pid}-${++seq}`;
    const d = await w.q<{
      registerParty: { id: string; sites: { id: string; facilities: { id: string }[] }[] };
    }>(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { id facilities { id } } } }`,
      {
        i: {
          idempotencyKey: idem('register'),
          uscc: newUscc(),
          name,
          types: ['MEDICAL_INSTITUTION'],
          bedCount,
          sites: [
            {
              name: `${name} site`,
              divisionCode: '410122',
              address: `${name}, 中牟县`,
              facilities: [{ type: 'MEDICAL_TEMP_STORAGE', name: 'waste point' }],
            },
          ],
          admin: { username: admin, password: 'Party-pass-1', displayName: name },
        },
      },
      '',
    );
    await verify(t, county.token, d.registerParty.id);
    return {
      id: d.registerParty.id,
      uscc: '',
      admin,
      token: await login(t, admin, 'Party-pass-1'),
      siteIds: d.registerParty.sites.map((s) => s.id),
      facilityIds: d.registerParty.sites[0].facilities.map((f) => f.id),
    };
  }

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await manifestWorld(t);
    city = await w.regulator({ level: 'CITY', divisionCode: '410100', jurisdiction: ['4101'] });
    county = await w.regulator({ level: 'COUNTY', divisionCode: '410122', jurisdiction: ['410122'] });
    for (const [name, beds] of [
      ['东村卫生室', 5],
      ['西村卫生室', 8],
      ['南村卫生室', 12],
    ] as const) {
      clinics.push({ ...(await institution(name, beds)), lotId: '' });
    }
    centre = await institution('官渡镇卫生院', 60);
    disposer = await w.verifiedParty(city, {
      name: '中牟县医疗废物处置中心',
      types: ['DISPOSER'],
      divisionCode: '410122',
    });
    await w.issueLicence(city, {
      holder: disposer,
      kind: 'MEDICAL_DISPOSAL',
      items: [item('HW01', ['STORE', 'DISPOSE'], '500')],
    });
    carrier1 = await w.verifiedParty(city, {
      name: '乡镇医废转运',
      types: ['TRANSPORTER'],
      divisionCode: '410122',
    });
    carrier2 = await w.verifiedParty(city, {
      name: '县医废运输',
      types: ['TRANSPORTER'],
      divisionCode: '410122',
    });
    crew1 = await w.equipCarrier(city, carrier1, { medicalWasteVehicle: true });
    crew2 = await w.equipCarrier(city, carrier2, { medicalWasteVehicle: true });
    driver1 = await w.user(carrier1, 'DRIVER');
    driver2 = await w.user(carrier2, 'DRIVER');
  });
  afterAll(() => t.close());

  it('the clinics’ waste is handed over exempt and consolidated by the township health centre', async () => {
    for (const [i, c] of clinics.entries()) {
      const [lot] = await w
        .q<{ generateLots: { id: string }[] }>(
          `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
          {
            i: {
              idempotencyKey: idem('gen'),
              facilityId: c.facilityIds[0],
              occurredAt: hoursAgo(6),
              containers: [
                {
                  wasteCode: '841-001-01',
                  mass: ['2.500', '1.750', '3.125'][i],
                  massBasis: 'WEIGHED',
                  form: 'SOLID',
                  packaging: '黄色医疗废物包装袋',
                  mainComponents: ['棉签', '纱布'],
                  medicalClass: 'INFECTIOUS',
                },
              ],
            },
          },
          c.token,
        )
        .then((d) => d.generateLots);
      c.lotId = lot.id;
      await w.q(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: idem('handover'),
            lotIds: [lot.id],
            toPartyId: centre.id,
            toFacilityId: centre.facilityIds[0],
            occurredAt: hoursAgo(5),
          },
        },
        c.token,
      );
    }
    const d = await w.q<{ consolidateLots: { id: string; mass: string } }>(
      `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id mass } }`,
      {
        i: {
          idempotencyKey: idem('merge'),
          sourceLotIds: clinics.map((c) => c.lotId),
          facilityId: centre.facilityIds[0],
          mass: '7.375',
          massBasis: 'WEIGHED',
          packaging: '医疗废物周转箱',
          occurredAt: hoursAgo(4),
        },
      },
      centre.token,
    );
    merged = d.consolidateLots.id;
    expect(d.consolidateLots.mass).toBe('7.375');
  });

  it('the centre drafts and submits a manifest relayed over two legs', async () => {
    m = await w.draft(centre.token, {
      receiverPartyId: disposer.id,
      legs: [
        {
          carrierPartyId: carrier1.id,
          vehicleId: crew1.vehicleId,
          driverId: crew1.driverId,
          escortId: crew1.escortId,
        },
        {
          carrierPartyId: carrier2.id,
          vehicleId: crew2.vehicleId,
          driverId: crew2.driverId,
          escortId: crew2.escortId,
        },
      ],
      lots: [{ lotId: merged, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
      emergencyMeasures: '医疗废物泄漏：消毒、收集、报告卫生健康与生态环境部门',
    });
    expect(m.legs).toHaveLength(2);
    const r = await w.submit(centre.token, m.id);
    m = r.manifest;
    code = r.handoverCode.code;
    expect(m.status).toBe('SUBMITTED');
  });

  it('leg 1 takes custody; the disposer cannot yet receive and leg 2 is still to come', async () => {
    m = await w.takeCustody(driver1, m, code);
    expect(m).toMatchObject({ status: 'IN_TRANSIT', currentLeg: 1 });
    const early = await t.gql(
      `mutation($i: DeliverManifestInput!) { deliverManifest(input: $i) { id } }`,
      { i: { idempotencyKey: idem('early'), manifestId: m.id } },
      driver1,
    );
    expect(early.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
    const turn = await w.q<{ allowedActions: { waitingFor: string[] } }>(
      `query($id: ID!) { allowedActions(manifestId: $id) { waitingFor } }`,
      { id: m.id },
      centre.token,
    );
    expect(turn.allowedActions.waitingFor[0]).toMatch(/^relay: .*县医废运输/);
  });

  it('leg 2 takes it over at the transfer station (联运): the lot follows to the second carrier', async () => {
    const d = await w.q<{ relayCustody: Manifest }>(
      `mutation($i: RelayCustodyInput!) { relayCustody(input: $i) { id status currentLeg custodySteps { leg carrier { id } place } } }`,
      {
        i: {
          idempotencyKey: idem('relay'),
          manifestId: m.id,
          scannedLabels: m.lots.map((l) => l.labelCode),
          place: '中牟县转运站',
        },
      },
      driver2,
    );
    expect(d.relayCustody).toMatchObject({
      status: 'IN_TRANSIT',
      currentLeg: 2,
      custodySteps: [
        { leg: 1, carrier: { id: carrier1.id } },
        { leg: 2, carrier: { id: carrier2.id }, place: '中牟县转运站' },
      ],
    });
    const [lot] = await w.sql(`SELECT status, custodian_party_id FROM lot WHERE lot_id = $1`, [merged]);
    expect(lot).toEqual({ status: 'IN_TRANSIT', custodian_party_id: carrier2.id });
    expect(await w.events(`lot-${merged}`)).toEqual([
      'LotCreatedByConsolidation',
      'LotReservedOnManifest',
      'LotCustodyTaken',
      'LotRelayed',
    ]);
  });

  it('the second carrier delivers, the disposal centre accepts, incinerates (D10) and closes', async () => {
    m = await w.deliver(driver2, m.id);
    m = await w.receive(disposer.token, m.id, disposer.facilityIds[0], [
      { lotId: merged, measuredMass: '7.370', decision: 'ACCEPTED' },
    ]);
    expect(m).toMatchObject({ status: 'RECEIVED', discrepancy: false });
    await w.treat(disposer, [merged], 'D10');
    m = await w.close(disposer.token, m.id);
    expect(m.status).toBe('CLOSED');
    expect(await w.events(`manifest-${m.id}`)).toEqual([
      'ManifestDrafted',
      'ManifestSubmitted',
      'HandoverCodeIssued',
      'CustodyTaken',
      'CustodyRelayed',
      'ManifestDelivered',
      'LotReceiptRecorded',
      'ManifestReceived',
      'ManifestClosed',
    ]);
  });

  it('each clinic sees the final fate of its own waste: disposed at the disposal centre', async () => {
    for (const c of clinics) {
      const d = await w.q<{
        lotFate: { complete: boolean; outcomes: { kind: string; partyId: string | null }[] };
      }>(
        `query($id: ID!) { lotFate(lotId: $id) { complete outcomes { kind partyId } } }`,
        { id: c.lotId },
        c.token,
      );
      expect(d.lotFate.complete).toBe(true);
      expect(d.lotFate.outcomes).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'DISPOSED', partyId: disposer.id })]),
      );
    }
  });

  it('both carriers, the centre and the county regulator see the manifest; a clinic is not named on it', async () => {
    for (const token of [driver1, driver2, centre.token, county.token]) {
      expect((await w.manifest(token, m.id)).status).toBe('CLOSED');
    }
    const res = await t.gql(`query($id: ID!) { manifest(id: $id) { id } }`, { id: m.id }, clinics[0].token);
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
