import { shanghaiDate } from '../../src/shared/domain/time';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, ok } from '../support/auth';
import { today } from '../support/world';
import type { Manifest } from './manifests-world';
import { OIL, oversightWorld, type OversightWorld } from './oversight-world';

jest.setTimeout(60_000);

interface Conn<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/**
 * 检索与统计 — a regulator's searches over lots, manifests, parties and licences, and its figures
 * (quantities by stage, region, code, category and month; open manifests by age; the carriers'
 * discrepancy rates), always within its jurisdiction. The world: a collector in 金水区 generated
 * a drum last year and two today; the two went to the disposer in 中原区 on one manifest (one
 * weighed 20 % heavier at receipt: a discrepancy), one was incinerated; last year's drum is on a
 * second manifest, submitted only.
 */
describe('oversight: searches and statistics', () => {
  let t: TestApp;
  let w: OversightWorld;
  let old: { id: string; labelCode: string };
  let drums: { id: string; labelCode: string }[];
  let own: { id: string; labelCode: string };
  let received: Manifest;
  let open: Manifest;
  const lastYear = `${Number(today().slice(0, 4)) - 1}-06-15`;
  const thisMonth = shanghaiDate(new Date()).slice(0, 7);

  interface SearchArgs {
    filter?: Record<string, unknown>;
    sort?: string;
    direction?: 'ASC' | 'DESC';
    first?: number;
    after?: string | null;
  }
  const search = <T>(token: string, op: string, hit: string, args: SearchArgs, type: string) =>
    ok<Record<string, Conn<T>>>(
      t,
      `query($f: ${type}, $first: Int, $after: String, $d: SortDirection) {
         ${op}(filter: $f, first: $first, after: $after, direction: $d${args.sort ? `, sort: ${args.sort}` : ''}) {
           totalCount pageInfo { hasNextPage endCursor } nodes { ${hit} } } }`,
      {
        f: args.filter ?? null,
        first: args.first ?? null,
        after: args.after ?? null,
        d: args.direction ?? null,
      },
      token,
    ).then((d) => d[op]);

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await oversightWorld(t);
    [old] = await w.generate(w.collector, ['10.000'], `${lastYear}T10:00:00+08:00`);
    drums = await w.generate(w.collector, ['20.000', '30.000']);
    [own] = await w.generate(w.disposer, ['5.000']);
    received = await w.ship(w.collector, w.disposer, [
      { ...drums[0], measured: '20.000' },
      { ...drums[1], measured: '36.000' },
    ]);
    await w.treat(w.disposer, [drums[0].id]);
    open = await w.draft(w.collector.token, {
      receiverPartyId: w.disposer.id,
      legs: [
        {
          carrierPartyId: w.carrier.id,
          vehicleId: w.crew.vehicleId,
          driverId: w.crew.driverId,
          escortId: w.crew.escortId,
        },
      ],
      lots: [{ lotId: old.id, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
    });
    await w.submit(w.collector.token, open.id);
  });
  afterAll(() => t.close());

  it('searches lots by region, code, party, discrepancy and date, sorted and paged with cursors', async () => {
    const hit = 'id labelCode mass status region discrepancy custodian { id } producer { id }';
    const all = await search<{ id: string; mass: string }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { wasteCode: OIL }, sort: 'MASS', direction: 'ASC', first: 2 },
      'LotSearchInput',
    );
    expect(all.totalCount).toBe(4);
    expect(all.nodes.map((n) => n.mass)).toEqual(['5.000', '10.000']);
    const next = await search<{ mass: string }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { wasteCode: OIL }, sort: 'MASS', direction: 'ASC', first: 2, after: all.pageInfo.endCursor },
      'LotSearchInput',
    );
    expect(next.nodes.map((n) => n.mass)).toEqual(['20.000', '36.000']);
    expect(next.pageInfo.hasNextPage).toBe(false);

    const flagged = await search<{ id: string; discrepancy: boolean }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { discrepancy: true } },
      'LotSearchInput',
    );
    expect(flagged.nodes).toEqual([expect.objectContaining({ id: drums[1].id, discrepancy: true })]);
    const carried = await search<{ id: string }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { partyId: w.carrier.id } },
      'LotSearchInput',
    );
    expect(carried.nodes.map((n) => n.id).sort()).toEqual(w.lotIds(drums).sort());
    const lastYears = await search<{ id: string }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { to: `${lastYear.slice(0, 4)}-12-31` } },
      'LotSearchInput',
    );
    expect(lastYears.nodes.map((n) => n.id)).toEqual([old.id]);
    const byLabel = await search<{ id: string }>(
      w.henan.token,
      'searchLots',
      hit,
      { filter: { labelCode: own.labelCode } },
      'LotSearchInput',
    );
    expect(byLabel.nodes.map((n) => n.id)).toEqual([own.id]);

    // 中原区 sees the drums delivered to it and the disposer's own, not the drum still at the collector
    const district = await search<{ id: string }>(w.zhongyuan.token, 'searchLots', hit, {}, 'LotSearchInput');
    expect(district.nodes.map((n) => n.id).sort()).toEqual([...w.lotIds(drums), own.id].sort());
    const other = await search<{ id: string }>(w.hubei.token, 'searchLots', hit, {}, 'LotSearchInput');
    expect(other.totalCount).toBe(0);
    const q = `{ searchLots { totalCount } }`;
    expect(await errorCode(t, q, {}, w.collector.token)).toBe('FORBIDDEN');
    expect(await errorCode(t, `{ searchLots(after: "garbage") { totalCount } }`, {}, w.henan.token)).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await errorCode(t, `{ searchLots(filter: { regionPrefix: "4" }) { totalCount } }`, {}, w.henan.token),
    ).toBe('BAD_USER_INPUT');
  });

  it('searches manifests by status, discrepancy, category, party and number', async () => {
    const hit =
      'id number status discrepancy lotCount declaredMass acceptedMass consignor { id name } receiver { id } carrier { id } startDivisionCode endDivisionCode';
    const receivedOnes = await search<{ id: string; acceptedMass: string; discrepancy: boolean }>(
      w.henan.token,
      'searchManifests',
      hit,
      { filter: { status: ['RECEIVED'], discrepancy: true, category: 'HW08' } },
      'ManifestSearchInput',
    );
    expect(receivedOnes.nodes).toEqual([
      expect.objectContaining({
        id: received.id,
        acceptedMass: '56.000',
        discrepancy: true,
        startDivisionCode: '410105',
        endDivisionCode: '410102',
      }),
    ]);
    const byNumber = await search<{ id: string }>(
      w.jinshui.token,
      'searchManifests',
      hit,
      { filter: { number: open.number } },
      'ManifestSearchInput',
    );
    expect(byNumber.nodes.map((n) => n.id)).toEqual([open.id]);
    const ofCarrier = await search<{ id: string }>(
      w.zhongyuan.token,
      'searchManifests',
      hit,
      { filter: { partyId: w.carrier.id }, sort: 'NUMBER', direction: 'ASC' },
      'ManifestSearchInput',
    );
    expect(ofCarrier.nodes.map((n) => n.id)).toEqual([received.id, open.id]); // numbered in that order
    expect((await search(w.hubei.token, 'searchManifests', hit, {}, 'ManifestSearchInput')).totalCount).toBe(
      0,
    );
  });

  it('searches parties and licences within the jurisdiction', async () => {
    const party = 'id name uscc types status divisionCodes';
    const carriers = await search<{ id: string; divisionCodes: string[] }>(
      w.henan.token,
      'searchParties',
      party,
      { filter: { type: 'TRANSPORTER' } },
      'PartySearchInput',
    );
    expect(carriers.nodes).toEqual([
      expect.objectContaining({ id: w.carrier.id, divisionCodes: ['410105'] }),
    ]);
    const byName = await search<{ id: string }>(
      w.henan.token,
      'searchParties',
      party,
      { filter: { text: '金水区' } },
      'PartySearchInput',
    );
    expect(byName.nodes.map((n) => n.id)).toEqual([w.collector.id]);
    const byUscc = await search<{ id: string }>(
      w.henan.token,
      'searchParties',
      party,
      { filter: { text: w.disposer.uscc } },
      'PartySearchInput',
    );
    expect(byUscc.nodes.map((n) => n.id)).toEqual([w.disposer.id]);
    const district = await search<{ id: string }>(
      w.zhongyuan.token,
      'searchParties',
      party,
      { sort: 'NAME', direction: 'ASC' },
      'PartySearchInput',
    );
    expect(district.nodes.map((n) => n.id)).toEqual([w.disposer.id]);

    const licence = 'id number kind status holder { id } validTo divisionCodes scopes';
    const oil = await search<{ holder: { id: string }; scopes: string[] }>(
      w.henan.token,
      'searchLicences',
      licence,
      { filter: { wasteCode: OIL } },
      'LicenceSearchInput',
    );
    expect(oil.nodes.map((n) => n.holder.id).sort()).toEqual([w.collector.id, w.disposer.id].sort());
    const collection = await search<{ holder: { id: string } }>(
      w.henan.token,
      'searchLicences',
      licence,
      { filter: { kind: 'COLLECTION', category: 'HW08' } },
      'LicenceSearchInput',
    );
    expect(collection.nodes.map((n) => n.holder.id)).toEqual([w.collector.id]);
    const district2 = await search<{ holder: { id: string } }>(
      w.zhongyuan.token,
      'searchLicences',
      licence,
      {},
      'LicenceSearchInput',
    );
    expect(district2.nodes.map((n) => n.holder.id)).toEqual([w.disposer.id]);
  });

  it('counts quantities by stage, region, category and month, within the jurisdiction', async () => {
    const q = `query($f: QuantityFilterInput!, $g: [QuantityDimension!]) {
      wasteQuantities(filter: $f, groupBy: $g) { stage region wasteCode category month mass lotCount } }`;
    const period = { from: `${lastYear.slice(0, 4)}-01-01`, to: today() };
    const province = (
      await ok<{ wasteQuantities: Record<string, unknown>[] }>(
        t,
        q,
        { f: period, g: ['REGION', 'MONTH'] },
        w.henan.token,
      )
    ).wasteQuantities;
    expect(province).toEqual([
      {
        stage: 'GENERATED',
        region: '410102',
        wasteCode: null,
        category: null,
        month: thisMonth,
        mass: '5.000',
        lotCount: 1,
      },
      {
        stage: 'GENERATED',
        region: '410105',
        wasteCode: null,
        category: null,
        month: lastYear.slice(0, 7),
        mass: '10.000',
        lotCount: 1,
      },
      {
        stage: 'GENERATED',
        region: '410105',
        wasteCode: null,
        category: null,
        month: thisMonth,
        mass: '50.000',
        lotCount: 2,
      },
      {
        stage: 'TRANSFERRED',
        region: '410105',
        wasteCode: null,
        category: null,
        month: thisMonth,
        mass: '50.000',
        lotCount: 2,
      },
      {
        stage: 'RECEIVED',
        region: '410102',
        wasteCode: null,
        category: null,
        month: thisMonth,
        mass: '56.000',
        lotCount: 2,
      },
      {
        stage: 'DISPOSED',
        region: '410102',
        wasteCode: null,
        category: null,
        month: thisMonth,
        mass: '20.000',
        lotCount: 1,
      },
    ]);
    const byCity = (
      await ok<{ wasteQuantities: Record<string, unknown>[] }>(
        t,
        q,
        { f: { ...period, regionLevel: 'CITY', stages: ['GENERATED'] }, g: ['REGION', 'CATEGORY'] },
        w.henan.token,
      )
    ).wasteQuantities;
    expect(byCity).toEqual([
      {
        stage: 'GENERATED',
        region: '4101',
        wasteCode: null,
        category: 'HW08',
        month: null,
        mass: '65.000',
        lotCount: 4,
      },
    ]);
    const district = (
      await ok<{ wasteQuantities: { region: string; stage: string }[] }>(
        t,
        q,
        { f: period, g: ['REGION'] },
        w.zhongyuan.token,
      )
    ).wasteQuantities;
    expect(district.map((r) => [r.stage, r.region])).toEqual([
      ['GENERATED', '410102'],
      ['RECEIVED', '410102'],
      ['DISPOSED', '410102'],
    ]);
    expect(
      await errorCode(t, q, { f: { from: today(), to: `${lastYear.slice(0, 4)}-01-01` } }, w.henan.token),
    ).toBe('BAD_USER_INPUT');
  });

  it('open manifests by age, and the carriers’ discrepancy rates', async () => {
    const open2 = (
      await ok<{ openManifestsByAge: Record<string, unknown>[] }>(
        t,
        `{ openManifestsByAge { status age manifestCount declaredMass } }`,
        {},
        w.jinshui.token,
      )
    ).openManifestsByAge;
    // received but not closed (one drum is not treated yet) is still open
    expect(open2).toEqual([
      { status: 'RECEIVED', age: 'UNDER_1_DAY', manifestCount: 1, declaredMass: '50.000' },
      { status: 'SUBMITTED', age: 'UNDER_1_DAY', manifestCount: 1, declaredMass: '10.000' },
    ]);
    const rates = (
      await ok<{ carrierDiscrepancyRates: Record<string, unknown>[] }>(
        t,
        `query($p: PeriodInput!) { carrierDiscrepancyRates(period: $p) { carrier { id name } manifestCount lotsReceived lotsWithDiscrepancy rate discrepancyMass } }`,
        { p: { from: today(), to: today() } },
        w.zhongyuan.token,
      )
    ).carrierDiscrepancyRates;
    expect(rates).toEqual([
      {
        carrier: { id: w.carrier.id, name: '豫危运输' },
        manifestCount: 1,
        lotsReceived: 2,
        lotsWithDiscrepancy: 1,
        rate: 0.5,
        discrepancyMass: '6.000',
      },
    ]);
    const none = (
      await ok<{ carrierDiscrepancyRates: unknown[] }>(
        t,
        `query($p: PeriodInput!) { carrierDiscrepancyRates(period: $p) { rate } }`,
        { p: { from: today(), to: today() } },
        w.hubei.token,
      )
    ).carrierDiscrepancyRates;
    expect(none).toEqual([]);
  });
});
