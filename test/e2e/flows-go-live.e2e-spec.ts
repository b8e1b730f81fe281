import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, idem, type RegisteredParty, today } from '../support/world';
import { DRUMS, flowsWorld, type FlowsWorld, type Json, OIL } from './flows-world';

jest.setTimeout(120_000);

/**
 * 上线导入 — a shop joins HazLedger in November 2026 with waste already in its store and three
 * years behind it. It imports, once, its opening stock (each container a lot whose storage clock
 * runs from the day it was stored) and its past amounts (its management class follows them). The
 * ledger book opens with that stock at go-live; its CSV export streams with a BOM for spreadsheets.
 * Here the plan rule only alerts (PLAN_ENFORCEMENT=ALERT).
 */
describe('flows: go-live import and the ledger book as CSV', () => {
  let t: TestApp;
  let w: FlowsWorld;
  let unit: RegisteredParty;
  let site: string;
  const goLiveAt = '2026-11-01T00:00:00.000+08:00';

  beforeAll(async () => {
    // this suite runs with the plan rule set to alert only (PLAN_ENFORCEMENT=ALERT)
    t = await createTestApp({ ...AUTH_ENV, PLAN_ENFORCEMENT: 'ALERT' });
    w = await flowsWorld(t);
    unit = await w.shop('管城区汽修连锁', '410104');
    site = unit.siteIds[0];
  });
  afterAll(() => t.close());

  const managementClass = async (year: number) =>
    (
      await w.q<{ managementClass: Json }>(
        `query($s: ID!, $y: Int!) { managementClass(siteId: $s, year: $y) { managementClass basis amount } }`,
        { s: site, y: year },
        unit.token,
      )
    ).managementClass;

  const importGoLive = (token: string, input: Json) =>
    t.gql(
      `mutation($i: ImportGoLiveInput!) { importGoLive(input: $i) { siteId goLiveAt
         openingStock { lotId labelCode wasteCode facilityId mass storedSince } pastAnnualAmounts { year amount } } }`,
      { i: { idempotencyKey: idem('golive'), siteId: site, ...input } },
      token,
    );

  const stock = () => [
    {
      wasteCode: OIL,
      mass: '300.000',
      massBasis: 'WEIGHED',
      form: 'LIQUID',
      packaging: '200 L 钢桶',
      facilityId: unit.facilityIds[1],
      storedSince: '2026-03-02T09:00:00.000+08:00',
    },
    {
      wasteCode: DRUMS,
      mass: '40.000',
      massBasis: 'ESTIMATED',
      form: 'SOLID',
      packaging: '空桶堆放',
      facilityId: unit.facilityIds[1],
      storedSince: '2026-10-20T09:00:00.000+08:00',
    },
  ];

  it('before go-live the class is the declared one (5 t/a: REGISTRATION)', async () => {
    expect(await managementClass(2026)).toEqual({
      managementClass: 'REGISTRATION',
      basis: 'DECLARED',
      amount: '5000.000',
    });
  });

  it('imports opening stock and past years once: lots with their clocks, marked events, and the class follows', async () => {
    const res = await importGoLive(unit.token, {
      goLiveAt,
      openingStock: stock(),
      pastAnnualAmounts: [
        { year: 2023, amount: '12000.000' },
        { year: 2024, amount: '8000.000' },
        { year: 2025, amount: '15000.000' },
      ],
    });
    const g = res.body.data.importGoLive as {
      goLiveAt: string;
      openingStock: Json[];
      pastAnnualAmounts: Json[];
    };
    expect(g.goLiveAt).toBe('2026-10-31T16:00:00.000Z');
    expect(g.openingStock.map((l) => [l.wasteCode, l.mass, l.storedSince])).toEqual(
      expect.arrayContaining([
        [OIL, '300.000', '2026-03-02T01:00:00.000Z'],
        [DRUMS, '40.000', '2026-10-20T01:00:00.000Z'],
      ]),
    );
    const lotId = g.openingStock.find((l) => l.wasteCode === OIL)!.lotId as string;
    const lot = await w.q<{ lot: Json }>(
      `query($id: ID!) { lot(id: $id) { status facilityId clockStartsAt producerPartyId } }`,
      { id: lotId },
      unit.token,
    );
    expect(lot.lot).toEqual({
      status: 'STORED',
      facilityId: unit.facilityIds[1],
      clockStartsAt: '2026-03-02T01:00:00.000Z',
      producerPartyId: unit.id,
    });
    const events = await w.sql<{ stream_id: string; event_type: string; command_id: string }>(
      `SELECT stream_id, event_type, command_id FROM ledger_event WHERE stream_id = $1 OR stream_id = $2 ORDER BY position`,
      [`golive-${site}`, `lot-${lotId}`],
    );
    expect(events.map((e) => e.event_type)).toEqual(['GoLiveImported', 'LotGenerated', 'LotStored']);
    expect(new Set(events.map((e) => e.command_id)).size).toBe(1);
    expect(await managementClass(2026)).toEqual({
      managementClass: 'SIMPLIFIED',
      basis: 'LEDGER',
      amount: '15000.000',
    });
    expect(await managementClass(2027)).toEqual({
      managementClass: 'SIMPLIFIED',
      basis: 'LEDGER',
      amount: '15000.000',
    });
  });

  it('the ledger book opens with the stock at go-live (OPENING_STOCK, not generated); nothing before it', async () => {
    const b = await w.q<{ ledgerBook: { balances: Json[]; entries: { nodes: Json[] } } }>(
      `query($s: ID!, $f: LocalDate) { ledgerBook(siteId: $s, from: $f) { balances { wasteCode opening ins outs closing }
         entries { nodes { kind at mass imported } } } }`,
      { s: site, f: '2026-10-01' },
      unit.token,
    );
    expect(b.ledgerBook.balances).toEqual([
      { wasteCode: OIL, opening: '0.000', ins: '300.000', outs: '0.000', closing: '300.000' },
      { wasteCode: DRUMS, opening: '0.000', ins: '40.000', outs: '0.000', closing: '40.000' },
    ]);
    expect(b.ledgerBook.entries.nodes).toEqual([
      { kind: 'OPENING_STOCK', at: '2026-10-31T16:00:00.000Z', mass: expect.any(String), imported: true },
      { kind: 'OPENING_STOCK', at: '2026-10-31T16:00:00.000Z', mass: expect.any(String), imported: true },
    ]);
  });

  it('a second import is refused, and so is one at a site that already keeps its book here', async () => {
    expect((await importGoLive(unit.token, { openingStock: stock() })).body.errors[0].extensions.code).toBe(
      'INVALID_TRANSITION',
    );
    const busy = await w.shop('已上线的修理厂', '410104');
    await w.lot(busy, '10.000', new Date().toISOString());
    const res = await t.gql(
      `mutation($i: ImportGoLiveInput!) { importGoLive(input: $i) { siteId } }`,
      {
        i: {
          idempotencyKey: idem('golive-busy'),
          siteId: busy.siteIds[0],
          openingStock: [{ ...stock()[0], facilityId: busy.facilityIds[1] }],
        },
      },
      busy.token,
    );
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.siteId' });
  });

  it('after go-live the unit keeps going: generation is GENERATED; the quarter’s declaration previews the imported stock', async () => {
    await w.lot(unit, '25.500', new Date().toISOString());
    const d = await w.declaration(unit.token, site, 'QUARTERLY', '2026-Q4');
    expect(d).toMatchObject({ managementClass: 'SIMPLIFIED', owed: true, status: 'PERIOD_OPEN' });
    expect(d.figures.codes).toEqual([
      expect.objectContaining({
        wasteCode: OIL,
        openingGrams: '0.000',
        importedOpeningGrams: '300.000',
        generatedGrams: '25.500',
        closingGrams: '325.500',
      }),
      expect.objectContaining({ wasteCode: DRUMS, importedOpeningGrams: '40.000', closingGrams: '40.000' }),
    ]);
    const early = await t.gql(
      `mutation($i: SubmitDeclarationInput!) { submitDeclaration(input: $i) { status } }`,
      {
        i: {
          idempotencyKey: idem('early'),
          siteId: site,
          kind: 'QUARTERLY',
          period: '2026-Q4',
          figuresHash: d.figuresHash,
        },
      },
      unit.token,
    );
    expect(early.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.period' });
  });

  const csv = (path: string, token?: string) => {
    const req = t
      .http()
      .get(path)
      .buffer(true)
      .parse((res, cb) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => cb(null, body));
      });
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  it('GET /ledger-books/<site>.csv streams the book: UTF-8 with a BOM, Chinese headers, one row per entry', async () => {
    const path = `/ledger-books/${site}.csv?from=2026-01-01&to=${today()}`;
    const res = await csv(path, unit.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toContain(`ledger-book-${site}-2026-01-01-${today()}.csv`);
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse<Record<string, string>>(text.slice(1), { columns: true });
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r['类型 kind'])).toEqual([
      '期初库存 OPENING_STOCK',
      '期初库存 OPENING_STOCK',
      '产生 GENERATED',
    ]);
    expect(rows[0]['时间 time']).toBe('2026-11-01 00:00:00');
    expect(rows.map((r) => r['重量(kg) mass']).sort()).toEqual(['25.500', '300.000', '40.000']);
    expect(rows[0]['上线导入 imported']).toBe('是');
  });

  it('the CSV is scoped like the query: anonymous 401, a stranger 404, a bad date 400, the regulator of the region 200', async () => {
    const path = `/ledger-books/${site}.csv`;
    expect((await csv(path)).status).toBe(401);
    const stranger = await w.shop('陌生单位', '410104');
    expect((await csv(path, stranger.token)).status).toBe(404);
    expect((await csv(`${path}?from=2026-13-01`, unit.token)).status).toBe(400);
    expect((await csv(`${path}?from=2026-01-01`, w.henan.token)).status).toBe(200);
  });

  it('with PLAN_ENFORCEMENT=ALERT a manifest outside the plan is submitted, and NOT_IN_PLAN is alerted naming the lots', async () => {
    const lot = await w.lot(unit, '12.000', new Date().toISOString());
    const r = await w.submit(unit, [{ lotId: lot.id }], today());
    expect(r.manifest.status).toBe('SUBMITTED');
    const [alert] = await w.alerts('NOT_IN_PLAN', r.manifest.id);
    expect(alert.evidence).toMatchObject({ lotIds: [lot.id] });
    expect(String(alert.evidence.reason)).toContain('no management plan');
    expect(alert.party_ids).toContain(unit.id);
  });

  it('the read models rebuild from the ledger alone', async () => {
    expect((await w.rebuild()).differences).toEqual([]);
  });
});
