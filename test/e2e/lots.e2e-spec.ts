import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, createAgency, login, newUscc, verify } from '../support/auth';

/**
 * 批次 — lots as the regulation tells it: three village clinics (≤ 19 beds, exemption #2) hand
 * their infectious waste to the township health centre without a manifest; the centre consolidates
 * it; a clinic prints its label and scans it back; each clinic sees where its waste now is.
 */
const LOT = `id labelCode batchCode wasteCode category medicalClass status mass initialMass originKind producerPartyId
  custodianPartyId custodianName siteId facilityId exemptSource emergency clockStartsAt storageDeadline storageLimit version`;

interface Party {
  id: string;
  token: string;
  facility: Record<string, string>;
}

// building a world of agencies and parties takes a few seconds on a busy machine
jest.setTimeout(60_000);

describe('lots: village clinics → township health centre (exemption #2)', () => {
  let t: TestApp;
  let seq = 0;
  const key = (what: string) => `${what}-${++seq}`;
  const T0 = Date.now() - 3 * 3600_000;
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
  async function gql(query: string, variables: Record<string, unknown>, token?: string) {
    const res = await t.gql(query, variables, token);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  /** A medical institution of 中牟县 with named facilities and a contact (printed on labels). */
  async function register(name: string, bedCount: number, facilities: [string, string][]): Promise<Party> {
    const username = `admin${++seq}`;
    const d = await gql(
      `mutation($i: RegisterPartyInput!) { registerParty(input: $i) { id sites { facilities { id name } } } }`,
      {
        i: {
          idempotencyKey: key('register'),
          uscc: newUscc(),
          name,
          types: ['MEDICAL_INSTITUTION'],
          bedCount,
          contacts: [{ name: `${name} 联系人`, phone: '0371-6200000' }],
          sites: [
            {
              name: `${name} site`,
              divisionCode: '410122',
              address: `${name}, 中牟县`,
              facilities: facilities.map(([type, fname]) => ({ type, name: fname })),
            },
          ],
          admin: { username, password: 'Party-pass-1', displayName: name },
        },
      },
    );
    const fs = d.registerParty.sites[0].facilities as { id: string; name: string }[];
    return {
      id: d.registerParty.id,
      token: await login(t, username, 'Party-pass-1'),
      facility: Object.fromEntries(fs.map((f) => [f.name, f.id])),
    };
  }
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.owner.query<{ n: string }>(sql, params)).rows[0].n);
  const ledgerSize = () => count(`SELECT count(*) AS n FROM ledger_event`);

  let regulator: string;
  let clinics: Party[];
  let centre: Party;
  const clinicLots: string[] = [];
  let merged: string;

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    const sys = await login(t, AUTH_ENV.SYSTEM_ADMIN_USERNAME, AUTH_ENV.SYSTEM_ADMIN_PASSWORD);
    const agency = {
      name: '中牟县生态环境分局',
      level: 'COUNTY',
      divisionCode: '410122',
      jurisdiction: ['410122'],
    };
    regulator = (await createAgency(t, sys, { ...agency, username: 'zhongmou' })).token;
    const clinic = (name: string, beds: number) =>
      register(name, beds, [
        ['PRODUCTION', 'treatment room'],
        ['MEDICAL_TEMP_STORAGE', 'waste point'],
        ['OWN_TREATMENT', 'steriliser'],
      ]);
    clinics = [await clinic('东村卫生室', 5), await clinic('西村卫生室', 8), await clinic('南村卫生室', 12)];
    centre = await register('官渡镇卫生院', 60, [
      ['MEDICAL_TEMP_STORAGE', 'centre store'],
      ['OWN_TREATMENT', 'centre steriliser'],
    ]);
    for (const p of [...clinics, centre]) await verify(t, regulator, p.id);
  });
  afterAll(() => t.close());

  it('each clinic generates its infectious waste: an exempt lot with a label code, in the ledger', async () => {
    const masses = ['2.500', '1.750', '3.125'];
    for (const [i, c] of clinics.entries()) {
      const d = await gql(
        `mutation($i: GenerateLotsInput!) { generateLots(input: $i) { ${LOT} } }`,
        {
          i: {
            idempotencyKey: key('gen'),
            facilityId: c.facility['treatment room'],
            occurredAt: at(0),
            containers: [
              {
                wasteCode: '841-001-01',
                mass: masses[i],
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
      );
      const [lot] = d.generateLots;
      expect(lot).toMatchObject({
        status: 'GENERATED',
        wasteCode: '841-001-01',
        category: 'HW01',
        medicalClass: 'INFECTIOUS',
        mass: masses[i],
        exemptSource: true,
        emergency: false,
        producerPartyId: c.id,
        custodianPartyId: c.id,
        storageLimit: '48 HOURS',
      });
      expect(lot.labelCode).toMatch(/^HL-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(Date.parse(lot.storageDeadline) - Date.parse(lot.clockStartsAt)).toBe(48 * 3600_000);
      clinicLots.push(lot.id);
      const { rows } = await t.db.owner.query(
        `SELECT event_type, payload, actor FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
        [`lot-${lot.id}`],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        event_type: 'LotGenerated',
        payload: {
          producerPartyId: c.id,
          massGrams: [2500, 1750, 3125][i],
          exemptSource: true,
          medicalClass: 'INFECTIOUS',
        },
      });
    }
    const labels = await t.db.owner.query(`SELECT DISTINCT label_code FROM lot WHERE lot_id = ANY($1)`, [
      clinicLots,
    ]);
    expect(labels.rows).toHaveLength(3);
  });

  it('a clinic stores its lot at its waste point, and the stock follows', async () => {
    const [east] = clinics;
    const d = await gql(
      `mutation($i: StoreLotInput!) { storeLot(input: $i) { ${LOT} } }`,
      {
        i: {
          idempotencyKey: key('store'),
          lotId: clinicLots[0],
          facilityId: east.facility['waste point'],
          occurredAt: at(10),
        },
      },
      east.token,
    );
    expect(d.storeLot).toMatchObject({ status: 'STORED', facilityId: east.facility['waste point'] });
    expect(d.storeLot.clockStartsAt).toBe(at(0)); // moving in does not reset the clock
    const stock = await t.db.owner.query(
      `SELECT facility_id, stock_grams, lot_count FROM facility_stock WHERE facility_id = ANY($1)`,
      [[east.facility['treatment room'], east.facility['waste point']]],
    );
    const byId = Object.fromEntries(
      stock.rows.map((r) => [r.facility_id, [Number(r.stock_grams), r.lot_count]]),
    );
    expect(byId[east.facility['waste point']]).toEqual([2500, 1]);
    expect(byId[east.facility['treatment room']]).toEqual([0, 0]);
  });

  it('prints the label (SVG with the code and a QR) and scans it back; others may not', async () => {
    const [east, west] = clinics;
    const d = await gql(
      `query($id: ID!) { lot(id: $id) { labelCode label { labelCode qrPayload title wasteName category formZh hazardsZh producerName contactPhone date mass medicalClassZh warning svgPath } } }`,
      { id: clinicLots[0] },
      east.token,
    );
    const label = d.lot.label;
    expect(label).toMatchObject({
      labelCode: d.lot.labelCode,
      qrPayload: d.lot.labelCode,
      title: '医疗废物',
      wasteName: '感染性废物',
      category: 'HW01',
      formZh: '固态',
      hazardsZh: ['感染性'],
      producerName: '东村卫生室',
      contactPhone: '0371-6200000',
      mass: '2.500',
      medicalClassZh: '感染性废物',
    });
    const svgOf = (token?: string) => {
      const req = t
        .http()
        .get(label.svgPath)
        .buffer(true)
        .parse((res, cb) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => cb(null, body));
        });
      return token ? req.set('authorization', `Bearer ${token}`) : req;
    };
    const res = await svgOf(east.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = res.body as string;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(label.labelCode);
    expect(svg).toMatch(
      new RegExp(`<g id="qr" data-payload="${label.labelCode}"[^>]*><path fill="#000" d="M\\d`),
    );
    expect(svg).toContain('感染性废物');
    const anon = await svgOf();
    expect(anon.status).toBe(401);
    expect((await svgOf(west.token)).status).toBe(404);

    const typed = label.labelCode.toLowerCase().replace(/-/g, ' ');
    const scanned = await gql(`query($c: String!) { lotByLabel(code: $c) { id } }`, { c: typed }, east.token);
    expect(scanned.lotByLabel.id).toBe(clinicLots[0]);
    const hidden = await t.gql(
      `query($c: String!) { lotByLabel(code: $c) { id } }`,
      { c: label.labelCode },
      centre.token,
    );
    expect(hidden.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('the clinics hand their waste to the township health centre without a manifest', async () => {
    const before = await ledgerSize();
    for (const [i, c] of clinics.entries()) {
      const d = await gql(
        `mutation($i: HandOverExemptInput!) { handOverExempt(input: $i) { ${LOT} } }`,
        {
          i: {
            idempotencyKey: key('handover'),
            lotIds: [clinicLots[i]],
            toPartyId: centre.id,
            toFacilityId: centre.facility['centre store'],
            occurredAt: at(60 + i),
          },
        },
        c.token,
      );
      expect(d.handOverExempt[0]).toMatchObject({
        status: 'STORED',
        custodianPartyId: centre.id,
        facilityId: centre.facility['centre store'],
        clockStartsAt: at(60 + i), // the centre's clock starts at its receipt
        exemptSource: true,
      });
    }
    expect(await ledgerSize()).toBe(before + 3);
    const manifests = await count(
      `SELECT count(*) AS n FROM ledger_event WHERE stream_id = ANY($1) AND event_type LIKE '%Manifest%'`,
      [clinicLots.map((id) => `lot-${id}`)],
    );
    expect(manifests).toBe(0);
    const stock = await t.db.owner.query(
      `SELECT stock_grams, lot_count FROM facility_stock WHERE facility_id = $1`,
      [centre.facility['centre store']],
    );
    expect(stock.rows[0]).toEqual({ stock_grams: '7375', lot_count: 3 });
    const listed = await gql(
      `{ lots(filter: {status: [STORED]}) { totalCount nodes { id } } }`,
      {},
      centre.token,
    );
    expect(listed.lots.totalCount).toBe(3);
  });

  it('the centre consolidates them into one lot; the weighing difference is booked', async () => {
    const d = await gql(
      `mutation($i: ConsolidateLotsInput!) { consolidateLots(input: $i) { ${LOT} } }`,
      {
        i: {
          idempotencyKey: key('merge'),
          sourceLotIds: clinicLots,
          facilityId: centre.facility['centre store'],
          mass: '7.360',
          massBasis: 'WEIGHED',
          packaging: '医疗废物周转箱',
          occurredAt: at(90),
        },
      },
      centre.token,
    );
    const lot = d.consolidateLots;
    merged = lot.id;
    expect(lot).toMatchObject({
      status: 'STORED',
      originKind: 'CONSOLIDATION',
      producerPartyId: null,
      custodianPartyId: centre.id,
      wasteCode: '841-001-01',
      mass: '7.360',
      initialMass: '7.375',
      clockStartsAt: at(60), // the earliest clock of its sources
    });
    const lineage = await t.db.owner.query(
      `SELECT parent_lot_id, grams FROM lot_lineage WHERE child_lot_id = $1 ORDER BY grams`,
      [merged],
    );
    expect(lineage.rows).toEqual([
      { parent_lot_id: clinicLots[1], grams: '1750' },
      { parent_lot_id: clinicLots[0], grams: '2500' },
      { parent_lot_id: clinicLots[2], grams: '3125' },
    ]);
    const events = await t.db.owner.query(
      `SELECT event_type, payload FROM ledger_event WHERE stream_id = ANY($1) AND event_type IN ('LotConsolidatedInto', 'LotCreatedByConsolidation')`,
      [[...clinicLots, merged].map((id) => `lot-${id}`)],
    );
    expect(events.rows.filter((r) => r.event_type === 'LotConsolidatedInto')).toHaveLength(3);
    expect(events.rows.find((r) => r.event_type === 'LotCreatedByConsolidation')!.payload).toMatchObject({
      gainOrLossGrams: -15,
      toleranceBasisPoints: 100,
    });
    const states = await t.db.owner.query(`SELECT DISTINCT status FROM lot WHERE lot_id = ANY($1)`, [
      clinicLots,
    ]);
    expect(states.rows).toEqual([{ status: 'CONSOLIDATED' }]);
  });

  it('each clinic sees where its waste now is, to the gram', async () => {
    const expected = [
      [2500, '2.495', '0.005'],
      [1750, '1.746', '0.004'],
      [3125, '3.119', '0.006'],
    ];
    for (const [i, c] of clinics.entries()) {
      const d = await gql(
        `query($id: ID!) { lotFate(lotId: $id) { mass complete outcomes { kind mass lotId partyId partyName facilityId divisionCode path } } }`,
        { id: clinicLots[i] },
        c.token,
      );
      const fate = d.lotFate;
      expect(fate.complete).toBe(false);
      expect(fate.mass).toBe((Number(expected[i][0]) / 1000).toFixed(3));
      const held = fate.outcomes.find((o: { kind: string }) => o.kind === 'HELD');
      const diff = fate.outcomes.find((o: { kind: string }) => o.kind === 'WEIGHING_DIFFERENCE');
      expect(held).toMatchObject({
        lotId: merged,
        partyId: centre.id,
        partyName: '官渡镇卫生院',
        facilityId: centre.facility['centre store'],
        divisionCode: '410122',
        path: [clinicLots[i], merged],
      });
      expect([held.mass, diff.mass]).toEqual([expected[i][1], expected[i][2]]);
    }
  });

  it('the regulator of the county sees the lots and their history', async () => {
    const d = await gql(
      `query($id: ID!) { lots(filter: {category: "HW01"}) { totalCount } lotHistory(id: $id) { type version data } }`,
      { id: clinicLots[0] },
      regulator,
    );
    expect(d.lots.totalCount).toBe(4);
    expect(d.lotHistory.map((e: { type: string }) => e.type)).toEqual([
      'LotGenerated',
      'LotStored',
      'LotHandedOverExempt',
      'LotConsolidatedInto',
    ]);
  });
});
