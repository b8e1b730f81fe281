import type { DemoWorld } from './demo-world';

/**
 * Scenarios that make the demo world a living ledger, all through the API as their users would:
 * licences and a carrier's documents; three village clinics' infectious waste handed over without
 * a manifest (exemption #2) to their township health centre and consolidated there; a closed
 * manifest of waste oil from the repair shop to the recycler (utilised); and an open manifest of
 * the consolidated medical waste on its way to the disposal centre.
 */
const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const plusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
const key = (k: string) => `demo-${k}`;

export interface DemoCarrier {
  vehicleId: string;
  medicalVehicleId: string;
  driverId: string;
  escortId: string;
}

async function licence(
  w: DemoWorld,
  by: string,
  holder: string,
  kind: string,
  number: string,
  items: { scope: string; modes: string[]; tonnes: string }[],
) {
  const p = w.parties[holder];
  await w.gql(
    `mutation($i: IssueLicenceInput!) { issueLicence(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key(`licence-${holder}`),
        number,
        holderPartyId: p.id,
        kind,
        validFrom: `${today().slice(0, 4)}-01-01`,
        validTo: `${Number(today().slice(0, 4)) + 2}-12-31`,
        facilitySiteIds: [p.siteId],
        items: items.map((i) => ({ scope: i.scope, modes: i.modes, annualCapacityTonnes: i.tonnes })),
      },
    },
    w.agencies[by].token,
  );
}

export async function seedLicencesAndCarrier(w: DemoWorld): Promise<DemoCarrier> {
  await licence(w, 'province', 'recycler', 'COMPREHENSIVE', '豫环许可危废字[2026]008号', [
    { scope: 'HW08', modes: ['STORE', 'UTILISE'], tonnes: '20000' },
  ]);
  await licence(w, 'province', 'incinerator', 'COMPREHENSIVE', '豫环许可危废字[2026]003号', [
    { scope: 'HW49', modes: ['STORE', 'DISPOSE'], tonnes: '30000' },
    { scope: 'HW08', modes: ['STORE', 'DISPOSE'], tonnes: '10000' },
    { scope: 'HW18', modes: ['STORE', 'DISPOSE'], tonnes: '5000' },
  ]);
  await licence(w, 'city', 'medDisposal', 'MEDICAL_DISPOSAL', '郑环医废许可[2026]001号', [
    { scope: 'HW01', modes: ['COLLECT', 'STORE', 'DISPOSE'], tonnes: '15000' },
  ]);
  await licence(w, 'province', 'collector', 'PILOT_COLLECTION', '豫环收集试点[2026]002号', [
    { scope: 'HW08', modes: ['COLLECT', 'STORE'], tonnes: '3000' },
    { scope: 'HW49', modes: ['COLLECT', 'STORE'], tonnes: '1000' },
  ]);
  const t = w.parties.transporter;
  const validTo = plusYears(today(), 1);
  const data = <T>(r: Record<string, unknown>, k: string) => r[k] as T;
  const permit = data<{ id: string }>(
    await w.gql(
      `mutation($i: RegisterTransportPermitInput!) { registerTransportPermit(input: $i) { id } }`,
      { i: { idempotencyKey: key('permit'), number: '豫交运管许可郑字410100008888号', validTo } },
      t.token,
    ),
    'registerTransportPermit',
  );
  const vehicle = async (plate: string, medical: boolean) =>
    data<{ id: string }>(
      await w.gql(
        `mutation($i: RegisterVehicleInput!) { registerVehicle(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key(`vehicle-${medical ? 'medical' : 'general'}`),
            permitId: permit.id,
            plate,
            certificateNumber: `豫交运证${plate.slice(2)}`,
            certificateValidTo: validTo,
            medicalWasteVehicle: medical,
          },
        },
        t.token,
      ),
      'registerVehicle',
    ).id;
  const vehicleId = await vehicle('豫AD8866', false);
  const medicalVehicleId = await vehicle('豫AY1201', true);
  const crew = async (role: string, name: string) =>
    data<{ id: string }>(
      await w.gql(
        `mutation($i: RegisterCrewMemberInput!) { registerCrewMember(input: $i) { id } }`,
        {
          i: {
            idempotencyKey: key(`crew-${role}`),
            role,
            name,
            certificateNumber: `410100${role === 'DRIVER' ? '1' : '2'}99001`,
            certificateValidTo: validTo,
          },
        },
        t.token,
      ),
      'registerCrewMember',
    ).id;
  const driverId = await crew('DRIVER', '王师傅');
  const escortId = await crew('ESCORT', '李押运');
  for (const [op, id] of [
    ['verifyTransportPermit', permit.id],
    ['verifyVehicle', vehicleId],
    ['verifyVehicle', medicalVehicleId],
  ]) {
    await w.gql(
      `mutation($i: RefInput!) { ${op}(input: $i) { id } }`,
      { i: { idempotencyKey: key(`verify-${id}`), id } },
      w.agencies.city.token,
    );
  }
  return { vehicleId, medicalVehicleId, driverId, escortId };
}

/** Three clinics (≤ 19 beds) hand their infectious waste to the township health centre, which consolidates it. */
export async function seedClinicConsolidation(w: DemoWorld): Promise<{ consolidatedLotId: string }> {
  const centre = w.parties.township;
  const store = centre.facilities['医疗废物暂存间'];
  const sources: string[] = [];
  for (const [i, clinic] of ['clinicA', 'clinicB', 'clinicC'].entries()) {
    const c = w.parties[clinic];
    const r = await w.gql(
      `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key(`clinic-lot-${clinic}`),
          facilityId: c.facilities['暂存箱'],
          containers: [
            {
              wasteCode: '841-001-01',
              medicalClass: 'INFECTIOUS',
              mass: `${2 + i}.${i}50`,
              massBasis: 'WEIGHED',
              form: 'SOLID',
              packaging: '黄色医疗废物包装袋',
              mainComponents: ['棉签', '纱布'],
            },
          ],
        },
      },
      c.token,
    );
    const [lot] = r.generateLots as { id: string }[];
    await w.gql(
      `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: key(`handover-${clinic}`),
          lotIds: [lot.id],
          toPartyId: centre.id,
          toFacilityId: store,
        },
      },
      c.token,
    );
    sources.push(lot.id);
  }
  const merged = await w.gql(
    `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key('township-merge'),
        sourceLotIds: sources,
        facilityId: store,
        mass: '9.420',
        massBasis: 'WEIGHED',
        packaging: '医疗废物周转箱',
      },
    },
    centre.token,
  );
  return { consolidatedLotId: (merged.consolidateLots as { id: string }).id };
}

const draftSubmit = async (
  w: DemoWorld,
  k: string,
  consignor: string,
  receiver: string,
  carrier: DemoCarrier,
  vehicleId: string,
  lots: { lotId: string; intendedMode: string; method: string }[],
) => {
  const c = w.parties[consignor];
  const d = await w.gql(
    `mutation($i: DraftManifestInput!) { draftManifest(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key(`draft-${k}`),
        receiverPartyId: w.parties[receiver].id,
        legs: [
          {
            carrierPartyId: w.parties.transporter.id,
            vehicleId,
            driverId: carrier.driverId,
            escortId: carrier.escortId,
          },
        ],
        lots,
        plannedDate: today(),
        emergencyMeasures: '泄漏时用吸附棉围堵，疏散人员，报告 12369',
      },
    },
    c.token,
  );
  const manifestId = (d.draftManifest as { id: string }).id;
  const s = await w.gql(
    `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { handoverCode { code } } }`,
    { i: { idempotencyKey: key(`submit-${k}`), manifestId } },
    c.token,
  );
  const code = (s.submitManifest as { handoverCode: { code: string } }).handoverCode.code;
  const m = await w.gql(
    `query($id: ID!) { manifest(id: $id) { lots { labelCode } } }`,
    { id: manifestId },
    c.token,
  );
  const labels = (m.manifest as { lots: { labelCode: string }[] }).lots.map((l) => l.labelCode);
  await w.gql(
    `mutation($i: TakeCustodyInput!) { takeCustody(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key(`custody-${k}`),
        manifestId,
        scannedLabels: labels,
        handoverCode: code,
        shipperLoadingCheckPassed: true,
        place: '装车区',
      },
    },
    w.parties.transporter.token,
  );
  return manifestId;
};

/** A closed manifest (waste oil, utilised) and an open one (the consolidated medical waste, in transit). */
export async function seedManifests(
  w: DemoWorld,
  carrier: DemoCarrier,
  consolidatedLotId: string,
): Promise<void> {
  const shop = w.parties.repair;
  const g = await w.gql(
    `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key('oil-lot'),
        facilityId: shop.facilities['维修车间'],
        containers: [
          {
            wasteCode: '900-214-08',
            mass: '180.500',
            massBasis: 'WEIGHED',
            form: 'LIQUID',
            packaging: '200 L 钢桶',
            mainComponents: ['废机油'],
          },
        ],
      },
    },
    shop.token,
  );
  const oil = (g.generateLots as { id: string }[])[0].id;
  const closed = await draftSubmit(w, 'oil', 'repair', 'recycler', carrier, carrier.vehicleId, [
    { lotId: oil, intendedMode: 'UTILISE', method: 'R9' },
  ]);
  const recycler = w.parties.recycler;
  await w.gql(
    `mutation($i: DeliverManifestInput!) { deliverManifest(input: $i) { id } }`,
    { i: { idempotencyKey: key('deliver-oil'), manifestId: closed, place: '地磅' } },
    w.parties.transporter.token,
  );
  await w.gql(
    `mutation($i: RecordReceiptInput!) { recordReceipt(input: $i) { id } }`,
    {
      i: {
        idempotencyKey: key('receipt-oil'),
        manifestId: closed,
        facilityId: recycler.facilities['废矿物油储罐'],
        receipts: [{ lotId: oil, measuredMass: '180.200', decision: 'ACCEPTED' }],
      },
    },
    recycler.token,
  );
  await w.gql(
    `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id } } }`,
    {
      i: {
        idempotencyKey: key('treat-oil'),
        lotIds: [oil],
        method: 'R9',
        facilityId: recycler.facilities['废矿物油储罐'],
        residues: [],
      },
    },
    recycler.token,
  );
  await w.gql(
    `mutation($i: ManifestRefInput!) { closeManifest(input: $i) { id } }`,
    { i: { idempotencyKey: key('close-oil'), manifestId: closed } },
    recycler.token,
  );
  await draftSubmit(w, 'medical', 'township', 'medDisposal', carrier, carrier.medicalVehicleId, [
    { lotId: consolidatedLotId, intendedMode: 'DISPOSE', method: 'D10' },
  ]);
}
