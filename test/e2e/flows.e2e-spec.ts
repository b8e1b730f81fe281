import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, idem, type RegisteredParty } from '../support/world';
import { DECLARATION, flowsWorld, type FlowsWorld, type Json, OIL } from './flows-world';
import type { Lot, Manifest } from './manifests-world';

jest.setTimeout(120_000);

/**
 * 多流合一 — a small producer’s year, 2027. An auto-repair shop (登记管理, < 10 t/a) has delegated its
 * plans and declarations to a collector. The collector files the shop’s 2027 plan in January; the
 * shop generates waste oil through the year and ships it to a licensed recycler on two manifests
 * (the first declaring 181 kg for a drum its book holds at 180.5 kg); a drum spills a little. In
 * January 2028 the collector generates the annual declaration from the ledger, checks it against
 * the ledger book and the manifests, and submits it: the figures are frozen with their hash. Then
 * a drum of December 2027 is recorded late: the submitted figures do not change, the difference
 * shows, and a correction is submitted citing the first submission.
 */
describe('flows: a small producer’s year — plan, ledger book, manifests, annual declaration', () => {
  let t: TestApp;
  let w: FlowsWorld;
  let shop: RegisteredParty;
  let site: string;
  let viewer: string;
  const lots: Record<string, Lot> = {};
  let m1: Manifest;
  let filingNumber: string;
  let submitted: Json & { figuresHash: string };

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, PLAN_ENFORCEMENT: 'REFUSE' });
    w = await flowsWorld(t);
    shop = await w.shop('中原区汽修厂');
    site = shop.siteIds[0];
    viewer = await w.user(shop, 'VIEWER');
    await w.delegate(shop, w.collector, ['PLANS', 'DECLARATIONS', 'MANIFESTS']);
  });
  afterAll(() => t.close());

  const book = (token: string, from: string, to: string, first = 50, after?: string) =>
    w.q<{
      ledgerBook: {
        balances: Json[];
        csvPath: string;
        entries: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Json[] };
      };
    }>(
      `query($s: ID!, $f: LocalDate, $t: LocalDate, $n: Int, $a: String) { ledgerBook(siteId: $s, from: $f, to: $t) {
         balances { wasteCode opening ins outs closing } csvPath
         entries(first: $n, after: $a) { totalCount pageInfo { hasNextPage endCursor }
           nodes { id at kind direction lotId labelCode wasteCode mass counterpartyPartyId counterpartyName manifestNumber method } } } }`,
      { s: site, f: from, t: to, n: first, a: after },
      token,
    );

  it('January 2027: the agent files the shop’s 2027 plan on time; the filing number comes back; the event names both', async () => {
    w.setNow('2027-01-10T02:00:00.000Z');
    const r = await w.filePlan(w.collector.token, site, 2027, w.planContent(), shop.id);
    filingNumber = r.filingNumber;
    expect(filingNumber).toMatch(/^HLP-2027-4101-\d{6}$/);
    expect(r.plan).toMatchObject({
      siteId: site,
      year: 2027,
      partyId: shop.id,
      managementClass: 'REGISTRATION',
      requiredSections: ['GENERATION', 'TRANSFERS'],
      revision: 1,
      dueDate: '2027-03-31',
      late: false,
      agentPartyId: w.collector.id,
      basicInfo: { partyName: '中原区汽修厂', uscc: shop.uscc, divisionCode: '410102' },
    });
    const [e] = await w.sql<{ event_type: string; actor: Json; payload: Json }>(
      `SELECT event_type, actor, payload FROM ledger_event WHERE stream_id = $1`,
      [`plan-${site}-2027`],
    );
    expect(e).toMatchObject({
      event_type: 'ManagementPlanFiled',
      actor: { partyId: w.collector.id, onBehalfOfPartyId: shop.id },
    });
    expect(e.payload).toMatchObject({ filingNumber, partyId: shop.id, late: false });
    const [row] = await w.sql(
      `SELECT filing_number, agent_party_id, revision FROM management_plan WHERE site_id = $1`,
      [site],
    );
    expect(row).toEqual({ filing_number: filingNumber, agent_party_id: w.collector.id, revision: 1 });
    // the shop's own viewer reads it; another producer does not even learn that it exists
    const seen = await w.q<{ managementPlan: Json }>(
      `query($s: ID!) { managementPlan(siteId: $s, year: 2027) { filingNumber } }`,
      { s: site },
      viewer,
    );
    expect(seen.managementPlan).toEqual({ filingNumber });
    const stranger = await w.shop('隔壁汽修厂');
    expect(
      await errorCode(
        t,
        `query($s: ID!) { managementPlan(siteId: $s, year: 2027) { filingNumber } }`,
        { s: site },
        stranger.token,
      ),
    ).toBe('NOT_FOUND');
  });

  it('the shop generates and stores oil through the year: one ledger entry per movement', async () => {
    w.setNow('2027-03-01T01:00:00.000Z');
    lots.a = await w.lot(shop, '180.500', '2027-01-15T02:00:00.000Z');
    lots.b = await w.lot(shop, '200.000', '2027-02-10T02:00:00.000Z');
    lots.c = await w.lot(shop, '50.000', '2027-02-20T02:00:00.000Z');
    for (const l of Object.values(lots)) await w.store(shop, l.id, '2027-02-28T02:00:00.000Z');
    const b = await book(shop.token, '2027-01-01', '2027-02-28');
    expect(b.ledgerBook.entries.nodes.map((e) => e.kind)).toEqual([
      'GENERATED',
      'GENERATED',
      'GENERATED',
      'STORED_IN',
      'STORED_IN',
      'STORED_IN',
    ]);
    expect(b.ledgerBook.balances).toEqual([
      { wasteCode: OIL, opening: '0.000', ins: '430.500', outs: '0.000', closing: '430.500' },
    ]);
  });

  it('March: two drums leave on a manifest (181 kg declared for the 180.5 kg drum); the recycler measures and accepts', async () => {
    const r = await w.submit(
      shop,
      [{ lotId: lots.a.id, declaredMass: '181.000' }, { lotId: lots.b.id }],
      '2027-03-01',
    );
    m1 = await w.carry(r.manifest, r.handoverCode.code, { [lots.a.id]: '180.000', [lots.b.id]: '200.000' });
    expect(m1).toMatchObject({ status: 'RECEIVED', declaredMass: '381.000', acceptedMass: '380.000' });
    const b = await book(shop.token, '2027-03-01', '2027-03-01');
    expect(b.ledgerBook.entries.nodes).toEqual([
      expect.objectContaining({
        kind: 'SENT_OUT',
        lotId: lots.a.id,
        mass: '180.500',
        manifestNumber: m1.number,
        counterpartyPartyId: w.recycler.id,
        method: 'R9',
      }),
      expect.objectContaining({
        kind: 'SENT_OUT',
        lotId: lots.b.id,
        mass: '200.000',
        manifestNumber: m1.number,
        counterpartyName: '中牟再生油厂',
      }),
    ]);
    const received = await w.sql<{ kind: string; mass_grams: string; counterparty_party_id: string }>(
      `SELECT kind, mass_grams, counterparty_party_id FROM ledger_book_entry WHERE site_id = $1 ORDER BY position`,
      [w.recycler.siteIds[0]],
    );
    expect(received).toEqual([
      { kind: 'RECEIVED', mass_grams: '180000', counterparty_party_id: shop.id },
      { kind: 'RECEIVED', mass_grams: '200000', counterparty_party_id: shop.id },
    ]);
  });

  it('June: the last drum leaves on a second manifest; August: a drum spills 1 kg', async () => {
    w.setNow('2027-06-10T01:00:00.000Z');
    const r = await w.submit(shop, [{ lotId: lots.c.id }], '2027-06-10');
    await w.carry(r.manifest, r.handoverCode.code, { [lots.c.id]: '50.000' });
    w.setNow('2027-08-02T01:00:00.000Z');
    lots.d = await w.lot(shop, '30.000', '2027-08-01T02:00:00.000Z');
    await w.q(
      `mutation($i: RecordLossInput!) { recordLoss(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('loss'),
          lotId: lots.d.id,
          kind: 'SPILL',
          mass: '1.000',
          reason: '倒油时洒落',
        },
      },
      shop.token,
    );
  });

  it('September: the plan shows planned against actual to date, and the deviation', async () => {
    w.setNow('2027-09-01T01:00:00.000Z');
    const p = await w.q<{ managementPlan: Json }>(
      `query($s: ID!) { managementPlan(siteId: $s, year: 2027) { actualsAsOf generation { wasteCode planned actual deviation deviationPercent } transfers { receiverName planned actual deviation } } }`,
      { s: site },
      w.collector.token,
    );
    expect(p.managementPlan).toEqual({
      actualsAsOf: '2027-09-01',
      generation: [
        {
          wasteCode: OIL,
          planned: '500.000',
          actual: '460.500',
          deviation: '-39.500',
          deviationPercent: '-7.9',
        },
      ],
      transfers: [
        { receiverName: '中牟再生油厂', planned: '500.000', actual: '431.000', deviation: '-69.000' },
      ],
    });
  });

  it('January 2028: the annual declaration is generated from the ledger and equals the book and the manifests (SPEC 9)', async () => {
    w.setNow('2028-01-20T02:00:00.000Z');
    const d = await w.declaration(w.collector.token, site, 'ANNUAL', '2027');
    expect(d).toMatchObject({
      kind: 'ANNUAL',
      period: '2027',
      dueDate: '2028-03-31',
      managementClass: 'REGISTRATION',
      owed: true,
      status: 'DUE',
    });
    expect(d.figures.codes).toEqual([
      expect.objectContaining({
        wasteCode: OIL,
        openingGrams: '0.000',
        generatedGrams: '460.500',
        transferredOutGrams: '431.000',
        transferredOutBookedGrams: '430.500',
        lostGrams: '1.000',
        closingGrams: '29.000',
      }),
    ]);
    // the ledger book over the same period
    const b = await book(shop.token, '2027-01-01', '2027-12-31');
    expect(b.ledgerBook.balances).toEqual([
      { wasteCode: OIL, opening: '0.000', ins: '460.500', outs: '431.500', closing: '29.000' },
    ]);
    // the consignor's transferred out = declared masses on its manifests whose lots left in 2027
    const [declared] = await w.sql<{ g: string }>(
      `SELECT sum(ml.declared_grams) AS g FROM manifest m JOIN manifest_lot ml ON ml.manifest_id = m.manifest_id
        WHERE m.consignor_party_id = $1 AND ml.status IN ('CARRIED', 'RECEIVED')
          AND m.custody_taken_at >= '2027-01-01T00:00:00+08:00' AND m.custody_taken_at < '2028-01-01T00:00:00+08:00'`,
      [shop.id],
    );
    expect(declared.g).toBe('431000');
    // by receiver as the national tables list it: name, the receiving site's division, licence number
    const [licence] = await w.sql<{ number: string }>(
      `SELECT number FROM licence WHERE holder_party_id = $1`,
      [w.recycler.id],
    );
    expect(d.figures.transfersOut).toEqual([
      {
        wasteCode: OIL,
        receiverPartyId: w.recycler.id,
        receiverName: '中牟再生油厂',
        receiverDivisionCode: '410122',
        receiverLicenceNumbers: [licence.number],
        method: 'R9',
        viaManifest: true,
        declaredGrams: '431.000',
        bookedGrams: '430.500',
      },
    ]);
    // the receiver's received = the masses it measured and accepted
    const r = await w.declaration(w.recycler.token, w.recycler.siteIds[0], 'ANNUAL', '2027');
    const [accepted] = await w.sql<{ g: string }>(
      `SELECT sum(ml.accepted_grams) AS g FROM manifest m JOIN manifest_lot ml ON ml.manifest_id = m.manifest_id WHERE m.receiver_party_id = $1`,
      [w.recycler.id],
    );
    expect(accepted.g).toBe('430000');
    expect(r.figures.totals).toMatchObject({ receivedGrams: '430.000', closingGrams: '430.000' });
    expect(r.figures.received).toEqual([
      {
        wasteCode: OIL,
        fromPartyId: shop.id,
        fromPartyName: '中原区汽修厂',
        viaManifest: true,
        grams: '430.000',
      },
    ]);
    // a recycler (a licence holder) files its annual operation report, not a producer's declaration
    expect(r).toMatchObject({ owed: false, status: 'NOT_OWED' });
  });

  it('the agent submits what it reviewed: figures frozen with their hash as a ledger event; a stale hash is refused', async () => {
    const d = await w.declaration(w.collector.token, site, 'ANNUAL', '2027');
    const submit = (figuresHash: string, key = idem('declare'), reason?: string) =>
      t.gql(
        `mutation($i: SubmitDeclarationInput!) { submitDeclaration(input: $i) { ${DECLARATION} } }`,
        {
          i: {
            idempotencyKey: key,
            siteId: site,
            kind: 'ANNUAL',
            period: '2027',
            figuresHash,
            reason,
            onBehalfOfPartyId: shop.id,
          },
        },
        w.collector.token,
      );
    expect((await submit('0'.repeat(64))).body.errors[0].extensions.code).toBe('CONFLICT');
    const key = idem('declare');
    const res = await submit(d.figuresHash, key);
    submitted = res.body.data.submitDeclaration;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', differences: [] });
    expect(submitted.submissions).toEqual([
      expect.objectContaining({
        submissionNo: 1,
        correctsSubmissionNo: null,
        figuresHash: d.figuresHash,
        late: false,
        partyId: shop.id,
        agentPartyId: w.collector.id,
      }),
    ]);
    expect((await submit(d.figuresHash, key)).body.data.submitDeclaration.submissions).toHaveLength(1);
    const events = await w.sql<{
      event_type: string;
      actor: Json;
      payload: { figuresHash: string; figures: Json };
    }>(`SELECT event_type, actor, payload FROM ledger_event WHERE stream_id = $1 ORDER BY version`, [
      `declaration-${site}-2027`,
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_type: 'DeclarationSubmitted',
      actor: { partyId: w.collector.id, onBehalfOfPartyId: shop.id },
    });
    expect(events[0].payload.figuresHash).toBe(d.figuresHash);
    // the shop itself may not submit a second time without a reason
    expect(
      await errorCode(
        t,
        `mutation($i: SubmitDeclarationInput!) { submitDeclaration(input: $i) { status } }`,
        {
          i: {
            idempotencyKey: idem('again'),
            siteId: site,
            kind: 'ANNUAL',
            period: '2027',
            figuresHash: d.figuresHash,
          },
        },
        shop.token,
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('a drum of December 2027 recorded late does not change the submitted figures: the difference shows, to review', async () => {
    w.setNow('2028-01-25T02:00:00.000Z');
    lots.e = await w.lot(shop, '10.000', '2027-12-15T02:00:00.000Z');
    const d = await w.declaration(viewer, site, 'ANNUAL', '2027');
    expect(d.status).toBe('SUBMITTED');
    expect((d.submissions as Json[])[0]).toMatchObject({ figuresHash: submitted.figuresHash });
    const [frozen] = await w.sql<{ figures_hash: string; figures: { codes: Json[] } }>(
      `SELECT figures_hash, figures FROM declaration_submission WHERE site_id = $1 AND submission_no = 1`,
      [site],
    );
    expect(frozen.figures_hash).toBe(submitted.figuresHash);
    expect(frozen.figures.codes[0]).toMatchObject({ generatedGrams: 460_500, closingGrams: 29_000 });
    expect(d.figures.codes[0]).toMatchObject({ generatedGrams: '470.500', closingGrams: '39.000' });
    expect(d.differences).toEqual([
      { path: `codes.${OIL}.closingGrams`, submittedGrams: '29.000', currentGrams: '39.000' },
      { path: `codes.${OIL}.generatedGrams`, submittedGrams: '460.500', currentGrams: '470.500' },
    ]);
  });

  it('a correction is a new submission that cites the first, with its reason', async () => {
    const d = await w.declaration(w.collector.token, site, 'ANNUAL', '2027');
    const res = await w.q<{ submitDeclaration: Json & { submissions: Json[]; differences: Json[] } }>(
      `mutation($i: SubmitDeclarationInput!) { submitDeclaration(input: $i) { ${DECLARATION} } }`,
      {
        i: {
          idempotencyKey: idem('correct'),
          siteId: site,
          kind: 'ANNUAL',
          period: '2027',
          figuresHash: d.figuresHash,
          reason: '补录 12 月产生的一桶废机油',
          onBehalfOfPartyId: shop.id,
        },
      },
      w.collector.token,
    );
    expect(
      res.submitDeclaration.submissions.map((s) => [s.submissionNo, s.correctsSubmissionNo, s.reason]),
    ).toEqual([
      [1, null, null],
      [2, 1, '补录 12 月产生的一桶废机油'],
    ]);
    expect(res.submitDeclaration.differences).toEqual([]);
  });

  it('the ledger book pages by cursor and every entry’s running balance closes to the gram', async () => {
    const all: Json[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await book(w.collector.token, '2027-01-01', '2027-12-31', 4, after)).ledgerBook.entries;
      all.push(...page.nodes);
      expect(page.totalCount).toBe(12);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(all).toHaveLength(12);
    expect(new Set(all.map((e) => e.id)).size).toBe(12);
    const kg = (s: unknown) => Math.round(Number(s) * 1000);
    const net = all.reduce(
      (a, e) => a + (e.direction === 'IN' ? kg(e.mass) : e.direction === 'OUT' ? -kg(e.mass) : 0),
      0,
    );
    expect(net).toBe(39_000);
    const dates = all.map((e) => String(e.at));
    expect([...dates].sort()).toEqual(dates);
  });

  it('the read models rebuild from the ledger alone, equal to the live tables', async () => {
    const report = await w.rebuild();
    expect(report.differences).toEqual([]);
    expect(report.tables).toEqual(
      expect.arrayContaining(['ledger_book_entry', 'management_plan', 'declaration_submission']),
    );
  });
});
