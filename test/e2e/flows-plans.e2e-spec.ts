import { FlowsScheduler } from '../../src/flows/flows-scheduler.service';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, idem, item, type RegisteredParty } from '../support/world';
import { DRUMS, flowsWorld, type FlowsWorld, type Json, OIL, PLAN, PLAN_CONTENT } from './flows-world';

jest.setTimeout(120_000);

/**
 * 管理计划 governs transfers (SPEC section 6.1, PLAN_ENFORCEMENT=REFUSE): a manifest may name only a
 * receiver and codes of the consignor site's plan in force — the year's plan once filed; until
 * then, up to 31 March, last year's. Plans carry the sections their management class requires,
 * are amended with a reason, and are filed by the unit or its agent (scope PLANS). Plans and
 * declarations not filed in time are overdue: visible to the unit and its regulator, and alerted.
 */
describe('flows: management plans and NOT_IN_PLAN; overdue filings', () => {
  let t: TestApp;
  let w: FlowsWorld;
  let shop: RegisteredParty;
  let other: RegisteredParty;
  let idle: RegisteredParty;

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, PLAN_ENFORCEMENT: 'REFUSE' });
    w = await flowsWorld(t);
    shop = await w.shop('二七区汽修厂', '410103');
    idle = await w.shop('金水区汽修厂', '410105');
    other = await w.party('荥阳再生资源', ['UTILISER'], '410182', [
      { type: 'STORAGE_WAREHOUSE', name: 'yard' },
    ]);
    await w.issueLicence(w.henan, {
      holder: other,
      kind: 'COMPREHENSIVE',
      items: [item(OIL, ['STORE', 'UTILISE'], '100')],
      validFrom: '2026-01-01',
      validTo: '2028-12-31',
    });
  });
  afterAll(() => t.close());

  const submitCode = async (lots: { lotId: string }[], today: string, receiverPartyId?: string) => {
    try {
      await w.submit(shop, lots, today, receiverPartyId);
      return 'SUBMITTED';
    } catch (e) {
      const m = /"code":"([A-Z_]+)"/.exec(String(e));
      return m ? m[1] : String(e);
    }
  };

  it('November 2026: the shop files its 2026 plan itself, late (after 31 March), planning oil to the recycler', async () => {
    w.setNow('2026-12-01T02:00:00.000Z');
    const r = await w.filePlan(shop.token, shop.siteIds[0], 2026, w.planContent([OIL]));
    expect(r.plan).toMatchObject({ year: 2026, late: true, agentPartyId: null, revision: 1 });
  });

  it('a manifest to a receiver the plan does not name, or with a code it does not plan, is refused (NOT_IN_PLAN)', async () => {
    const oil = await w.lot(shop, '100.000', '2026-12-01T01:00:00.000Z');
    const drums = await w.lot(shop, '20.000', '2026-12-01T01:00:00.000Z', DRUMS);
    expect(await submitCode([{ lotId: oil.id }], '2026-12-01', other.id)).toBe('NOT_IN_PLAN');
    const res = await t.gql(
      `mutation($i: SubmitManifestInput!) { submitManifest(input: $i) { manifest { id } } }`,
      {
        i: {
          idempotencyKey: idem('submit'),
          manifestId: (
            await w.draft(shop.token, {
              receiverPartyId: w.recycler.id,
              legs: [
                {
                  carrierPartyId: w.carrier.id,
                  vehicleId: w.crew.vehicleId,
                  driverId: w.crew.driverId,
                  escortId: w.crew.escortId,
                },
              ],
              lots: [{ lotId: drums.id, intendedMode: 'UTILISE', method: 'R9' }],
              plannedDate: '2026-12-01',
            })
          ).id,
        },
      },
      shop.token,
    );
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'NOT_IN_PLAN', lotIds: [drums.id] });
    expect(await submitCode([{ lotId: oil.id }], '2026-12-01')).toBe('SUBMITTED');
  });

  it('January to 31 March 2027: without a 2027 plan, the 2026 plan still applies', async () => {
    w.setNow('2027-01-05T02:00:00.000Z');
    const a = await w.lot(shop, '100.000', '2027-01-05T01:00:00.000Z');
    expect(await submitCode([{ lotId: a.id }], '2027-01-05')).toBe('SUBMITTED');
    w.setNow('2027-03-31T15:00:00.000Z'); // 23:00 on 31 March in Asia/Shanghai
    const b = await w.lot(shop, '100.000', '2027-03-31T14:00:00.000Z');
    expect(await submitCode([{ lotId: b.id }], '2027-03-31')).toBe('SUBMITTED');
  });

  it('from 1 April 2027 the 2026 plan no longer applies: refused until the 2027 plan is filed', async () => {
    w.setNow('2027-04-01T01:00:00.000Z'); // 09:00 on 1 April in Asia/Shanghai
    const c = await w.lot(shop, '100.000', '2027-04-01T00:30:00.000Z');
    expect(await submitCode([{ lotId: c.id }], '2027-04-01')).toBe('NOT_IN_PLAN');
    const r = await w.filePlan(shop.token, shop.siteIds[0], 2027, w.planContent([OIL]));
    expect(r.plan).toMatchObject({ year: 2027, late: true });
    expect(await submitCode([{ lotId: c.id }], '2027-04-01')).toBe('SUBMITTED');
  });

  it('an amendment is a new revision with its reason; the receiver it adds may then be named', async () => {
    const content = {
      generation: [{ wasteCode: OIL, expectedAmount: '800.000', process: '机修换油' }],
      transfers: [
        { wasteCode: OIL, receiverPartyId: w.recycler.id, method: 'R9', expectedAmount: '500.000' },
        { wasteCode: OIL, receiverPartyId: other.id, method: 'R9', expectedAmount: '300.000' },
      ],
    };
    const amend = (reason: string) =>
      t.gql(
        `mutation($i: AmendManagementPlanInput!) { amendManagementPlan(input: $i) { ${PLAN} ${PLAN_CONTENT} } }`,
        { i: { idempotencyKey: idem('amend'), siteId: shop.siteIds[0], year: 2027, reason, content } },
        shop.token,
      );
    expect((await amend('')).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const plan = (await amend('新增荥阳再生资源为接收单位')).body.data.amendManagementPlan as Json & {
      content: { transfers: Json[] };
      revisions: Json[];
    };
    expect(plan).toMatchObject({ revision: 2, lastReason: '新增荥阳再生资源为接收单位' });
    expect(plan.revisions).toEqual([
      { revision: 1, reason: null, agentPartyId: null },
      { revision: 2, reason: '新增荥阳再生资源为接收单位', agentPartyId: null },
    ]);
    expect(plan.content.transfers).toHaveLength(2);
    expect(await w.events(`plan-${shop.siteIds[0]}-2027`)).toEqual([
      'ManagementPlanFiled',
      'ManagementPlanAmended',
    ]);
    const d = await w.lot(shop, '50.000', '2027-04-01T00:40:00.000Z');
    expect(await submitCode([{ lotId: d.id }], '2027-04-01', other.id)).toBe('SUBMITTED');
  });

  it('a KEY site’s plan must fill every section; REGISTRATION content is refused naming the first missing one', async () => {
    const key = await w.shop('郑州化工厂', '410102');
    await w.q(
      `mutation($i: OverrideManagementClassInput!) { overrideManagementClass(input: $i) { managementClass } }`,
      {
        i: {
          idempotencyKey: idem('override'),
          siteId: key.siteIds[0],
          year: 2027,
          managementClass: 'KEY',
          reason: '自建焚烧设施，列入重点监管',
        },
      },
      w.henan.token,
    );
    const file = (content: Json) =>
      t.gql(
        `mutation($i: FileManagementPlanInput!) { fileManagementPlan(input: $i) { filingNumber plan { managementClass requiredSections } } }`,
        { i: { idempotencyKey: idem('key-plan'), siteId: key.siteIds[0], year: 2027, content } },
        key.token,
      );
    const refused = await file(w.planContent([OIL]));
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.content.facilities',
    });
    const full = {
      ...w.planContent([OIL]),
      facilities: [{ facilityId: key.facilityIds[0], description: '机修车间，年换油 2000 车次' }],
      storage: [
        {
          facilityId: key.facilityIds[1],
          wasteCodes: [OIL],
          packaging: '200 L 钢桶',
          expectedYearEndStock: '100.000',
        },
      ],
      ownTreatment: [],
      reduction: [{ measure: '油液回收再生', wasteCodes: [OIL] }],
    };
    const ok = await file(full);
    expect(ok.body.data.fileManagementPlan.plan).toEqual({
      managementClass: 'KEY',
      requiredSections: ['FACILITIES', 'GENERATION', 'STORAGE', 'OWN_TREATMENT', 'REDUCTION', 'TRANSFERS'],
    });
  });

  it('an agent needs a PLANS delegation; a driver of the unit may not file at all', async () => {
    await w.delegate(idle, w.collector, ['MANIFESTS']);
    const q = `mutation($i: FileManagementPlanInput!) { fileManagementPlan(input: $i) { filingNumber } }`;
    const input = {
      idempotencyKey: idem('agent-plan'),
      siteId: idle.siteIds[0],
      year: 2027,
      content: w.planContent([OIL]),
      onBehalfOfPartyId: idle.id,
    };
    expect(await errorCode(t, q, { i: input }, w.collector.token)).toBe('NOT_FOUND');
    const driver = await w.user(idle, 'DRIVER');
    expect(await errorCode(t, q, { i: { ...input, onBehalfOfPartyId: undefined } }, driver)).toBe(
      'FORBIDDEN',
    );
  });

  it('April 2027: what the idle shop owes is overdue; the scheduler alerts it once; the unit and its regulator see it', async () => {
    w.setNow('2027-04-02T02:00:00.000Z');
    const o = await w.q<{ filingObligations: { managementClass: string; obligations: Json[] } }>(
      `query($s: ID!) { filingObligations(siteId: $s, year: 2027) { managementClass obligations { kind period dueDate status reference } } }`,
      { s: idle.siteIds[0] },
      idle.token,
    );
    expect(o.filingObligations.obligations).toEqual([
      { kind: 'PLAN', period: '2027', dueDate: '2027-03-31', status: 'OVERDUE', reference: null },
      { kind: 'ANNUAL', period: '2027', dueDate: '2028-03-31', status: 'PERIOD_OPEN', reference: null },
    ]);
    const scheduler = t.app.get(FlowsScheduler);
    const run = await scheduler.runOnce(new Date('2027-04-02T02:00:00.000Z'));
    expect(run.raised).toBeGreaterThan(0);
    expect((await scheduler.runOnce(new Date('2027-04-02T02:00:00.000Z'))).raised).toBe(0);
    const alerts = await w.alerts('PLAN_OVERDUE', idle.siteIds[0]);
    expect(alerts.map((a) => a.period)).toEqual(['2027']);
    expect(await w.alerts('DECLARATION_OVERDUE', idle.siteIds[0])).toEqual([
      expect.objectContaining({ period: 'ANNUAL:2026' }),
    ]);
    // the shop filed its 2027 plan late, but it is filed: nothing outstanding to alert
    expect(await w.alerts('PLAN_OVERDUE', shop.siteIds[0])).toEqual([]);
    const overdue = (token: string) =>
      w.q<{ overdueFilings: { nodes: Json[] } }>(
        `{ overdueFilings(outstandingOnly: true) { nodes { rule siteId kind period dueDate outstanding } } }`,
        {},
        token,
      );
    const mine = (await overdue(idle.token)).overdueFilings.nodes;
    expect(mine).toEqual(
      expect.arrayContaining([
        {
          rule: 'PLAN_OVERDUE',
          siteId: idle.siteIds[0],
          kind: 'PLAN',
          period: '2027',
          dueDate: '2027-03-31',
          outstanding: true,
        },
        {
          rule: 'DECLARATION_OVERDUE',
          siteId: idle.siteIds[0],
          kind: 'ANNUAL',
          period: '2026',
          dueDate: '2027-03-31',
          outstanding: true,
        },
      ]),
    );
    expect(mine.every((n) => n.siteId === idle.siteIds[0])).toBe(true);
    expect((await overdue(w.henan.token)).overdueFilings.nodes.map((n) => n.siteId)).toEqual(
      expect.arrayContaining([idle.siteIds[0]]),
    );
    // another party sees none of the shop's: only its own (a licensed recycler owes its 2026 operation report)
    expect((await overdue(other.token)).overdueFilings.nodes).toEqual([
      expect.objectContaining({ siteId: other.siteIds[0], kind: 'OPERATION_REPORT', period: '2026' }),
    ]);
    await w.filePlan(idle.token, idle.siteIds[0], 2027, w.planContent([OIL]));
    const after = (await overdue(idle.token)).overdueFilings.nodes;
    expect(after.map((n) => n.kind)).toEqual(['ANNUAL']);
  });
});
