import { FlowsScheduler } from '../../src/flows/flows-scheduler.service';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, idem, type RegisteredParty } from '../support/world';
import { DECLARATION, DRUMS, flowsWorld, type FlowsWorld, type Json, OIL } from './flows-world';

jest.setTimeout(120_000);

const LICENCES = `figures { licences { licenceId licenceNumber licenceKind validFrom validTo itemId scope modes
  capacityGrams settledGrams usedBasisPoints } }`;

/**
 * 持证单位年报 — a licence holder's annual operation report, 2027. The recycler (licensed 2026–2028
 * to store and utilise waste oil and oily drums, 100 t/a each) receives two drums of oil from a
 * shop, re-refines one (R9) and books the drum it leaves as a residue. In January 2028 its report
 * is generated from the ledger (received by sender, utilised by method, closing stock, and per
 * licence item the capacity and what was settled on it); in April the scheduler alerts it overdue
 * to the unit and its regulator; the recycler submits it late and the figures are frozen; a loss
 * recorded afterwards for December shows as a difference, not as a change.
 */
describe('flows: the annual operation report of a licence holder (持证单位年报)', () => {
  let t: TestApp;
  let w: FlowsWorld;
  let shop: RegisteredParty;
  let site: string;
  const lots: Record<string, string> = {};
  let residue: string;

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV });
    w = await flowsWorld(t);
    shop = await w.shop('金水区汽修厂');
    site = w.recycler.siteIds[0];
  });
  afterAll(() => t.close());

  const report = (token: string, siteId = site, period = '2027') =>
    w.q<{ declaration: Json & { figuresHash: string; figures: Json & { licences: Json[] | null } } }>(
      `query($s: ID!, $p: String!) { declaration(siteId: $s, kind: OPERATION_REPORT, period: $p) { ${DECLARATION} } }`,
      { s: siteId, p: period },
      token,
    );
  const licenceLines = async (token: string) =>
    (
      await w.q<{ declaration: { figures: { licences: Json[] } } }>(
        `query($s: ID!) { declaration(siteId: $s, kind: OPERATION_REPORT, period: "2027") { ${LICENCES} } }`,
        { s: site },
        token,
      )
    ).declaration.figures.licences;
  const submit = (
    figuresHash: string,
    idempotencyKey = idem('report'),
    siteId = site,
    token = w.recycler.token,
  ) =>
    t.gql(
      `mutation($i: SubmitDeclarationInput!) { submitDeclaration(input: $i) { kind period status owed
         submissions { submissionNo late figuresHash } } }`,
      { i: { idempotencyKey, siteId, kind: 'OPERATION_REPORT', period: '2027', figuresHash } },
      token,
    );
  const obligations = async (token: string, siteId: string) =>
    (
      await w.q<{ filingObligations: { obligations: Json[] } }>(
        `query($s: ID!) { filingObligations(siteId: $s, year: 2027) { obligations { kind period dueDate status submissions } } }`,
        { s: siteId },
        token,
      )
    ).filingObligations.obligations;

  it('May 2027: the recycler receives two drums, re-refines one (R9) and books the drum left as a residue', async () => {
    w.setNow('2027-01-15T02:00:00.000Z');
    await w.filePlan(shop.token, shop.siteIds[0], 2027, w.planContent());
    w.setNow('2027-05-10T01:00:00.000Z');
    lots.a = (await w.lot(shop, '200.000', '2027-05-10T00:30:00.000Z')).id;
    lots.b = (await w.lot(shop, '150.000', '2027-05-10T00:40:00.000Z')).id;
    const r = await w.submit(shop, [{ lotId: lots.a }, { lotId: lots.b }], '2027-05-10');
    const m = await w.carry(r.manifest, r.handoverCode.code, { [lots.a]: '200.000', [lots.b]: '149.500' });
    expect(m).toMatchObject({ status: 'RECEIVED', acceptedMass: '349.500' });
    w.setNow('2027-05-20T01:00:00.000Z');
    const d = await w.q<{ treatLots: { lots: Json[]; residues: { id: string }[] } }>(
      `mutation($i: TreatLotsInput!) { treatLots(input: $i) { lots { id status } residues { id } } }`,
      {
        i: {
          idempotencyKey: idem('treat'),
          lotIds: [lots.a],
          method: 'R9',
          facilityId: w.recycler.facilityIds[0],
          residues: [
            {
              wasteCode: DRUMS,
              mass: '12.000',
              massBasis: 'WEIGHED',
              form: 'SOLID',
              packaging: '空桶',
              mainComponents: [],
            },
          ],
        },
      },
      w.recycler.token,
    );
    expect(d.treatLots.lots).toEqual([{ id: lots.a, status: 'UTILISED' }]);
    expect(d.treatLots.residues).toHaveLength(1);
    residue = d.treatLots.residues[0].id;
  });

  it('January 2028: the report is generated from the ledger — received, utilised, generated, stock, and each licence item’s use', async () => {
    w.setNow('2028-01-20T02:00:00.000Z');
    const { declaration: r } = await report(w.recycler.token);
    expect(r).toMatchObject({
      kind: 'OPERATION_REPORT',
      period: '2027',
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      dueDate: '2028-03-31',
      owed: true,
      status: 'DUE',
      submissions: [],
      differences: [],
    });
    const line = (code: string) => (r.figures.codes as Json[]).find((c) => c.wasteCode === code);
    expect(line(OIL)).toMatchObject({
      openingGrams: '0.000',
      receivedGrams: '349.500',
      utilisedGrams: '200.000',
      closingGrams: '149.500',
    });
    expect(line(DRUMS)).toMatchObject({ generatedGrams: '12.000', closingGrams: '12.000' });
    expect(r.figures.received).toEqual([
      {
        wasteCode: OIL,
        fromPartyId: shop.id,
        fromPartyName: '金水区汽修厂',
        viaManifest: true,
        grams: '349.500',
      },
    ]);
    expect(r.figures.treatedInHouse).toEqual([
      { wasteCode: OIL, mode: 'UTILISED', method: 'R9', grams: '200.000' },
    ]);
    const licences = await licenceLines(w.recycler.token);
    expect(
      licences.map((l) => [l.scope, l.modes, l.capacityGrams, l.settledGrams, l.usedBasisPoints]),
    ).toEqual(
      expect.arrayContaining([
        [OIL, ['STORE', 'UTILISE'], '100000.000', '349.500', 34],
        [DRUMS, ['STORE', 'UTILISE'], '100000.000', '0.000', 0],
      ]),
    );
    expect(licences).toHaveLength(2);
    expect(licences[0]).toMatchObject({
      validFrom: '2026-01-01',
      validTo: '2028-12-31',
      licenceKind: 'COMPREHENSIVE',
    });
    // the settled figure is the licence item's capacity counter, as the receiver check reads it
    const [{ settled }] = await w.sql<{ settled: string }>(
      `SELECT sum((payload->>'delta')::bigint) AS settled FROM ledger_event
        WHERE stream_id = $1 AND payload->>'reason' = 'SETTLED'`,
      [`counter:licence-capacity:${String(licences.find((l) => l.scope === OIL)!.itemId)}:2027`],
    );
    expect(settled).toBe('349500');
    // the recycler owes the report, not a plan or producer declarations; the shop owes no report
    expect(await obligations(w.recycler.token, site)).toEqual([
      { kind: 'PLAN', period: '2027', dueDate: '2027-03-31', status: 'NOT_OWED', submissions: 0 },
      { kind: 'ANNUAL', period: '2027', dueDate: '2028-03-31', status: 'NOT_OWED', submissions: 0 },
      { kind: 'OPERATION_REPORT', period: '2027', dueDate: '2028-03-31', status: 'DUE', submissions: 0 },
    ]);
    expect((await obligations(shop.token, shop.siteIds[0])).map((o) => o.kind)).not.toContain(
      'OPERATION_REPORT',
    );
    const shopReport = (await report(shop.token, shop.siteIds[0])).declaration;
    expect(shopReport).toMatchObject({ owed: false, status: 'NOT_OWED' });
    const refused = await submit(shopReport.figuresHash, idem('shop-report'), shop.siteIds[0], shop.token);
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].extensions.field).toBe('input.kind');
    expect(await w.events(`declaration-${shop.siteIds[0]}-operation-2027`)).toEqual([]);
  });

  it('April 2028: not filed by 31 March — the scheduler alerts it once; the unit and its regulator see it', async () => {
    w.setNow('2028-04-02T02:00:00.000Z');
    const scheduler = t.app.get(FlowsScheduler);
    await scheduler.runOnce(new Date('2028-04-02T02:00:00.000Z'));
    await scheduler.runOnce(new Date('2028-04-02T02:00:00.000Z'));
    const alerts = await w.alerts('DECLARATION_OVERDUE', site);
    expect(alerts.map((a) => a.period)).toEqual(['OPERATION_REPORT:2027']);
    expect(alerts[0].party_ids).toEqual([w.recycler.id]);
    const overdue = async (token: string) =>
      (
        await w.q<{ overdueFilings: { nodes: Json[] } }>(
          `{ overdueFilings(outstandingOnly: true) { nodes { rule siteId kind period dueDate outstanding } } }`,
          {},
          token,
        )
      ).overdueFilings.nodes.filter((n) => n.siteId === site);
    const expected = {
      rule: 'DECLARATION_OVERDUE',
      siteId: site,
      kind: 'OPERATION_REPORT',
      period: '2027',
      dueDate: '2028-03-31',
      outstanding: true,
    };
    expect(await overdue(w.recycler.token)).toEqual([expected]);
    expect(await overdue(w.henan.token)).toEqual([expected]);
    expect((await report(w.henan.token)).declaration.status).toBe('OVERDUE');
  });

  it('the recycler submits late: the figures are frozen with their hash as a ledger event; a stale hash is refused', async () => {
    expect((await submit('0'.repeat(64))).body.errors[0].extensions.code).toBe('CONFLICT');
    const { declaration: r } = await report(w.recycler.token);
    const key = idem('report');
    const res = await submit(r.figuresHash, key);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.submitDeclaration).toMatchObject({
      kind: 'OPERATION_REPORT',
      period: '2027',
      status: 'SUBMITTED_LATE',
      submissions: [{ submissionNo: 1, late: true, figuresHash: r.figuresHash }],
    });
    expect((await submit(r.figuresHash, key)).body.data.submitDeclaration.submissions).toHaveLength(1);
    expect(await w.events(`declaration-${site}-operation-2027`)).toEqual(['DeclarationSubmitted']);
    const [e] = await w.sql<{ payload: { kind: string; figures: { licences: Json[] } } }>(
      `SELECT payload FROM ledger_event WHERE stream_id = $1`,
      [`declaration-${site}-operation-2027`],
    );
    expect(e.payload.kind).toBe('OPERATION_REPORT');
    expect(e.payload.figures.licences).toHaveLength(2);
    const overdue = await w.q<{ overdueFilings: { nodes: Json[] } }>(
      `{ overdueFilings(outstandingOnly: true) { nodes { siteId kind } } }`,
      {},
      w.recycler.token,
    );
    expect(overdue.overdueFilings.nodes.filter((n) => n.siteId === site)).toEqual([]);
    expect((await obligations(w.henan.token, site)).at(-1)).toMatchObject({
      kind: 'OPERATION_REPORT',
      status: 'SUBMITTED_LATE',
      submissions: 1,
    });
  });

  it('a loss recorded afterwards for December 2027 does not change the frozen figures: the difference shows', async () => {
    await w.q(
      `mutation($i: RecordLossInput!) { recordLoss(input: $i) { id } }`,
      {
        i: {
          idempotencyKey: idem('loss'),
          lotId: residue,
          kind: 'SPILL',
          mass: '0.500',
          occurredAt: '2027-12-20T02:00:00.000Z',
          reason: '桶底渗漏',
        },
      },
      w.recycler.token,
    );
    const { declaration: r } = await report(w.recycler.token);
    expect(r.submissions).toHaveLength(1);
    expect(r.figuresHash).not.toBe((r.submissions as Json[])[0].figuresHash);
    expect(r.differences).toEqual(
      expect.arrayContaining([
        { path: `codes.${DRUMS}.lostGrams`, submittedGrams: '0.000', currentGrams: '0.500' },
        { path: `codes.${DRUMS}.closingGrams`, submittedGrams: '12.000', currentGrams: '11.500' },
      ]),
    );
  });

  it('the read models rebuild from the ledger alone, equal to the live tables', async () => {
    const rebuilt = await w.rebuild();
    expect(rebuilt.differences).toEqual([]);
    expect(rebuilt.tables).toEqual(expect.arrayContaining(['declaration_submission', 'ledger_book_entry']));
  });
});
