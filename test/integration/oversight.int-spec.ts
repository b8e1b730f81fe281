import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PgSql } from '../../src/database/sql';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { LotFactsService } from '../../src/lots/lot-facts.service';
import { LotLineageService } from '../../src/lots/lot-lineage.service';
import { LotsService } from '../../src/lots/lots.service';
import { CustodyChainService } from '../../src/oversight/custody-chain.service';
import { SearchService } from '../../src/oversight/search.service';
import type { Principal } from '../../src/shared/auth/principal';
import { PrincipalService } from '../../src/shared/auth/principal.service';
import { formatKg } from '../../src/shared/domain/mass';
import { OIL, type Actor, oversightWorld, type OversightWorld } from '../e2e/oversight-world';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, idem } from '../support/auth';

/**
 * 溯源链 at scale, against a real PostgreSQL: 2,000 source lots (1,000 from a collector in 金水区,
 * 1,000 from a disposer in 中原区) written in-process through the lot services and the ledger's
 * batch path, consolidated over three levels (100 → 1 per lot of level one, 10 → 1, then the two
 * parties' lots after a manifest), and incinerated. The chain comes back whole in a constant number
 * of queries, with the right masses; a district regulator sees the other district's lots
 * redacted; another province sees nothing. The regulator searches use their indexes.
 */
const PER_PARTY = 1000;
const PER_LEVEL_ONE = 100;

jest.setTimeout(600_000);

describe('oversight at scale: a 2,000-source custody chain and indexed searches', () => {
  let t: TestApp;
  let w: OversightWorld;
  let chains: CustodyChainService;
  let final: string;
  const sourceGrams = new Map<string, number>();
  const levelOne = new Map<string, string[]>();
  let who: (token: string) => Promise<Principal>;

  /** Generates lots in-process (200 containers per command); grams 1,000 + i. */
  async function generate(p: Actor, principal: Principal, offset: number): Promise<string[]> {
    const lots = t.app.get(LotsService);
    const ids: string[] = [];
    for (let start = 0; start < PER_PARTY; start += 200) {
      const containers = Array.from({ length: 200 }, (_, k) => ({
        wasteCode: OIL,
        mass: 1000 + offset + start + k,
        massBasis: 'WEIGHED',
        form: 'LIQUID',
        packaging: '200 L 钢桶',
        mainComponents: ['废机油'],
      }));
      const made = await lots.generateLots(principal, {
        idempotencyKey: idem('bulk-gen'),
        facilityId: p.facility.workshop,
        containers,
      } as never);
      made.forEach((id, k) => sourceGrams.set(id, 1000 + offset + start + k));
      ids.push(...made);
    }
    return ids;
  }

  /** Stores lots through `ledger.executeBatch`: one transaction per 250 lots, a savepoint each. */
  async function store(p: Actor, principal: Principal, ids: string[]): Promise<void> {
    const lots = t.app.get(LotsService);
    const facility = await t.app.get(LotFactsService).facility(p.facility.warehouse);
    const ledger = t.app.get(LedgerService);
    for (let start = 0; start < ids.length; start += 250) {
      const items = [];
      for (const lotId of ids.slice(start, start + 250)) {
        const input = { idempotencyKey: idem('bulk-store'), lotId, facilityId: p.facility.warehouse };
        const { at, acting } = await lots.begin(principal, input);
        items.push({
          envelope: lots.envelope('storeLot', acting, input, at),
          handler: (tx: Parameters<LotsService['onLot']>[0]) =>
            lots.onLot(tx, lotId, (meta) => ({
              type: 'StoreLot',
              meta,
              data: { lotId, facilityId: p.facility.warehouse, facts: { facility } },
            })),
        });
      }
      const outcomes = await ledger.executeBatch(items);
      const failed = outcomes.filter((o) => !o.ok);
      if (failed.length) throw new Error(`store failed: ${JSON.stringify(failed[0])}`);
    }
  }

  async function consolidate(p: Actor, principal: Principal, sourceLotIds: string[], grams: number) {
    return t.app.get(LotLineageService).consolidateLots(principal, {
      idempotencyKey: idem('bulk-merge'),
      sourceLotIds,
      facilityId: p.facility.warehouse,
      mass: grams,
      massBasis: 'WEIGHED',
      packaging: 'IBC 吨桶',
    } as never);
  }

  /** Two levels at one party: 1,000 → 10 (100 each) → 1. */
  async function twoLevels(
    p: Actor,
    principal: Principal,
    sources: string[],
  ): Promise<{ id: string; grams: number }> {
    const ones: string[] = [];
    let total = 0;
    for (let i = 0; i < sources.length; i += PER_LEVEL_ONE) {
      const group = sources.slice(i, i + PER_LEVEL_ONE);
      const grams = group.reduce((a, id) => a + sourceGrams.get(id)!, 0);
      const id = await consolidate(p, principal, group, grams);
      levelOne.set(id, group);
      ones.push(id);
      total += grams;
    }
    return { id: await consolidate(p, principal, ones, total), grams: total };
  }

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await oversightWorld(t);
    chains = t.app.get(CustodyChainService);
    const principals = t.app.get(PrincipalService);
    who = (token: string) => principals.resolve(`Bearer ${token}`);
    const [y, x] = [await who(w.collector.token), await who(w.disposer.token)];
    const ySources = await generate(w.collector, y, 0);
    const xSources = await generate(w.disposer, x, PER_PARTY);
    await store(w.collector, y, ySources);
    await store(w.disposer, x, xSources);
    const yTop = await twoLevels(w.collector, y, ySources);
    const xTop = await twoLevels(w.disposer, x, xSources);
    const labels = await w.sql<{ label_code: string }>(`SELECT label_code FROM lot WHERE lot_id = $1`, [
      yTop.id,
    ]);
    await w.ship(w.collector, w.disposer, [
      { id: yTop.id, labelCode: labels[0].label_code, measured: formatKg(yTop.grams) },
    ]);
    final = await consolidate(w.disposer, x, [yTop.id, xTop.id], yTop.grams + xTop.grams);
    await w.treat(w.disposer, [final]);
    await t.db.owner.query('ANALYZE');
  }, 600_000);
  afterAll(() => t.close());

  it('walks back from the incinerated lot to all 2,000 sources in a constant number of queries, masses exact', async () => {
    const province = await who(w.henan.token);
    const spy = jest.spyOn(t.app.get(DataSource), 'query');
    const started = performance.now();
    const c = await chains.byLot(province, final, 'BACKWARD', true);
    const ms = performance.now() - started;
    const queries = spy.mock.calls.length;
    spy.mockRestore();
    expect(queries).toBe(3); // the asked lot's scope, the walk, the events
    expect(c.nodeCount).toBe(1 + 2 + 20 + 2 * PER_PARTY);
    expect(c.edgeCount).toBe(c.nodeCount - 1);
    expect(c.redactedCount).toBe(0);
    expect(new Set(c.sourceLotIds)).toEqual(new Set(sourceGrams.keys()));
    const total = [...sourceGrams.values()].reduce((a, b) => a + b, 0);
    expect(c.sourceMass).toBe(total);
    const root = c.nodes.find((n) => n.lotId === final)!;
    expect(root).toMatchObject({ level: 0, fate: 'DISPOSED', treatedMass: total, initialMass: total });
    const byId = new Map(c.nodes.map((n) => [n.lotId, n]));
    for (const [id, group] of levelOne) {
      expect(byId.get(id)!.level).toBe(-2);
      expect(byId.get(id)!.initialMass).toBe(group.reduce((a, s) => a + sourceGrams.get(s)!, 0));
    }
    expect(c.nodes.filter((n) => n.level === -3)).toHaveLength(2 * PER_PARTY);
    const edgeMass = c.edges.filter((e) => sourceGrams.has(e.fromLotId)).reduce((a, e) => a + e.mass, 0);
    expect(edgeMass).toBe(total);
    expect(c.nodes.every((n) => n.events.length > 0)).toBe(true);
    console.log(
      `custody chain of ${c.nodeCount} lots with their events: ${ms.toFixed(0)} ms, ${queries} queries`,
    );
  });

  it('a district regulator gets the other district’s lots redacted; another province, NOT_FOUND', async () => {
    const c = await chains.byLot(await who(w.zhongyuan.token), final, 'BACKWARD', false);
    expect(c.nodeCount).toBe(2023);
    // the collector's 1,000 drums and its 10 level-one lots never left 金水区; its top lot was delivered here
    expect(c.redactedCount).toBe(PER_PARTY + 10);
    const hidden = c.nodes.filter((n) => n.redacted);
    expect(hidden.every((n) => n.region === '410105' && n.wasteCode === OIL && n.labelCode === null)).toBe(
      true,
    );
    expect(
      hidden.filter((n) => sourceGrams.has(n.lotId)).every((n) => n.mass === sourceGrams.get(n.lotId)),
    ).toBe(true);
    await expect(chains.byLot(await who(w.hubei.token), final, 'BACKWARD', false)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('forward from one drum to its disposal: one path through three consolidations', async () => {
    const [first] = levelOne.values().next().value!;
    const c = await chains.byLot(await who(w.collector.token), first, 'FORWARD', false);
    expect(c.nodes.map((n) => n.level)).toEqual([0, 1, 2, 3]);
    expect(c.outcomes).toEqual([{ kind: 'DISPOSED', lotId: final, mass: sourceGrams.get(first) }]);
  });

  it('searches over thousands of lots use their indexes: no sequential scan of the ledger or of the lots', async () => {
    const search = t.app.get(SearchService);
    const regulator = await who(w.henan.token);
    const [label] = (
      await w.sql<{ label_code: string }>(`SELECT label_code FROM lot ORDER BY lot_id LIMIT 1`)
    ).map((r) => r.label_code);
    const plans: [string, ReturnType<SearchService['plan']>][] = [
      ['lot by label', search.plan(regulator, 'lots', { labelCode: label }, 'GENERATED_AT')],
      ['lots of a party', search.plan(regulator, 'lots', { partyId: w.carrier.id }, 'GENERATED_AT')],
      [
        'lots with a discrepancy',
        search.plan(regulator, 'lots', { discrepancy: true, regionPrefix: '4101' }, 'MASS'),
      ],
      [
        'manifests of a party',
        search.plan(regulator, 'manifests', { partyId: w.collector.id }, 'PLANNED_DATE'),
      ],
      ['licences by code', search.plan(regulator, 'licences', { wasteCode: OIL }, 'VALID_TO')],
      [
        'parties by type',
        search.plan(regulator, 'parties', { type: 'DISPOSER', regionPrefix: '41' }, 'NAME'),
      ],
    ];
    const c: PoolClient = await t.db.owner.connect();
    try {
      for (const [what, sql] of plans) {
        for (const q of [sql.page, sql.count]) {
          const { rows } = await c.query<{ 'QUERY PLAN': unknown }>(
            `EXPLAIN (FORMAT JSON) ${q.text}`,
            q.params,
          );
          const scans = seqScans(rows[0]['QUERY PLAN']);
          expect({ what, scans: scans.filter((s) => s === 'ledger_event') }).toEqual({ what, scans: [] });
          if (what === 'lot by label' || what === 'lots of a party') {
            expect({ what, scans: scans.filter((s) => s === 'lot') }).toEqual({ what, scans: [] });
          }
        }
      }
    } finally {
      c.release();
    }
    const page = await search.lots(regulator, { labelCode: label }, 'GENERATED_AT', {});
    expect(page.nodes.map((n) => n.labelCode)).toEqual([label]);
  });

  it('keyset pages walk the whole result once, in order', async () => {
    const search = t.app.get(SearchService);
    const regulator = await who(w.zhongyuan.token);
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const page = await search.lots(regulator, { status: ['CONSOLIDATED'] }, 'MASS', {
        first: 500,
        after,
        direction: 'ASC',
      });
      total = page.totalCount;
      seen.push(...page.nodes.map((n) => `${n.mass}:${n.id}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    // 中原区 sees the disposer's 1,000 drums and 10 level-one lots, and the collector's top lot
    expect(total).toBe(PER_PARTY + 10 + 2);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const masses = seen.map((s) => Number(s.split(':')[0]));
    expect(masses).toEqual([...masses].sort((a, b) => a - b));
  });

  it('every read model rebuilt from the events equals the live one (the status notifier owns no table)', async () => {
    const c: PoolClient = await t.db.owner.connect();
    try {
      await c.query('BEGIN');
      const report = await rebuildAndCompare(new PgSql(c), t.app.get(LedgerService).projections);
      expect(report.differences).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});

/** Relations read by a sequential scan anywhere in an EXPLAIN (FORMAT JSON) plan. */
function seqScans(plan: unknown): string[] {
  const out: string[] = [];
  const visit = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o['Node Type'] === 'Seq Scan') out.push(String(o['Relation Name']));
    for (const v of Object.values(o)) if (typeof v === 'object') visit(v);
  };
  visit(plan);
  return out;
}
