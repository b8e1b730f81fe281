import fc from 'fast-check';
import type { PoolClient } from 'pg';
import { PgSql } from '../../src/database/sql';
import { DeclarationsService } from '../../src/flows/declarations.service';
import { periodOfLabel } from '../../src/flows/domain/declaration';
import { lineImbalance, type DeclarationFigures } from '../../src/flows/domain/declaration-figures';
import { LedgerBookService } from '../../src/flows/ledger-book.service';
import { LedgerService } from '../../src/ledger/ledger.service';
import { rebuildAndCompare } from '../../src/ledger/projections/rebuild';
import { LotLedger } from '../../src/lots/lot-ledger';
import { shanghaiDayEnd, shanghaiDayStart } from '../../src/shared/domain/time';
import { createTestApp, type TestApp } from '../support/app';
import { CODES, EVERY_ACT, history, MONTHS, opArb, OPS } from './flows-history';

jest.setTimeout(300_000);

/**
 * 多流合一, as a property: for random valid histories of lot acts across several sites (generation,
 * storage, moves, transfers with accepted, partly accepted and rejected receipts, exempt handovers,
 * consolidation, split, treatment with residues, losses), spread over two months, every monthly
 * declaration's totals equal the ledger's own sums — raw events where they carry the figure, a
 * model of the history where they do not, and the lots' read model for stock — and every ledger
 * book closes at opening + ins − outs, to the gram, the second month opening where the first
 * closed. Transfers here carry no manifest read model, so "transferred out" is the booked mass;
 * the e2e year (flows.e2e-spec.ts) checks the declared masses of real manifests.
 */
describe('flows: declarations and ledger books equal the ledger, for any history (property)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let lots: LotLedger;
  let declarations: DeclarationsService;
  let books: LedgerBookService;
  const exercised: Record<string, number> = {};
  const refused: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ SYSTEM_ADMIN_USERNAME: 'sysadmin', SYSTEM_ADMIN_PASSWORD: 'Sysadmin-pass-1' });
    ledger = t.app.get(LedgerService);
    lots = t.app.get(LotLedger);
    declarations = t.app.get(DeclarationsService);
    books = t.app.get(LedgerBookService);
  });
  afterAll(() => t.close());

  const line = (f: DeclarationFigures, code: string) => f.codes.find((c) => c.wasteCode === code);

  it('every monthly declaration and ledger book of every site equals the ledger, to the gram', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 6, maxLength: 40 }), async (ops) => {
        const { sites, model, tally } = await history({ ledger, lots, exercised, refused }, ops);
        for (const site of sites) {
          let previousClosing = new Map<string, number>();
          for (const month of MONTHS) {
            const p = periodOfLabel('MONTHLY', month);
            const f = await declarations.figures(site, p);
            const start = shanghaiDayStart(p.periodStart);
            const end = shanghaiDayEnd(p.periodEnd);
            const balances = await books.balances(site, start, end);
            for (const b of balances) {
              expect(b.closing).toBe(b.opening + b.ins - b.outs);
              expect(b.opening).toBe(previousClosing.get(b.wasteCode) ?? 0);
            }
            previousClosing = new Map(balances.map((b) => [b.wasteCode, b.closing]));
            // raw events: generated (LotGenerated, residues) and in-house treatment carry site and mass
            const raw = await t.db.owner.query<{ code: string; kind: string; g: string }>(
              `SELECT payload->>'wasteCode' AS code, 'generated' AS kind, sum((payload->>'massGrams')::bigint) AS g FROM ledger_event
                WHERE event_type IN ('LotGenerated', 'LotCreatedAsResidue') AND payload->>'siteId' = $1
                  AND (payload->>'at')::timestamptz >= $2 AND (payload->>'at')::timestamptz < $3 GROUP BY 1
               UNION ALL
               SELECT l.waste_code, CASE WHEN e.payload->>'mode' = 'UTILISE' THEN 'utilised' ELSE 'disposed' END,
                      sum((e.payload->>'treatedMassGrams')::bigint) FROM ledger_event e JOIN lot l ON l.lot_id = e.payload->>'lotId'
                WHERE e.event_type = 'LotTreated' AND e.payload->>'siteId' = $1
                  AND (e.payload->>'at')::timestamptz >= $2 AND (e.payload->>'at')::timestamptz < $3 GROUP BY 1, 2`,
              [site, start, end],
            );
            for (const code of [...CODES, '772-002-18']) {
              const expected = tally[`${site}|${month}|${code}`] ?? {};
              const l = line(f, code);
              const got = (k: keyof NonNullable<typeof l>) => (l ? Number(l[k]) : 0);
              const rawOf = (kind: string) =>
                Number(raw.rows.find((r) => r.code === code && r.kind === kind)?.g ?? 0);
              expect(got('generatedGrams')).toBe(rawOf('generated'));
              expect(got('generatedGrams')).toBe(expected.generated ?? 0);
              expect(got('utilisedGrams')).toBe(rawOf('utilised'));
              expect(got('disposedGrams')).toBe(rawOf('disposed'));
              expect(got('utilisedGrams')).toBe(expected.utilised ?? 0);
              expect(got('disposedGrams')).toBe(expected.disposed ?? 0);
              expect(got('receivedGrams')).toBe(expected.received ?? 0);
              expect(got('transferredOutGrams')).toBe(expected.sent ?? 0);
              expect(got('transferredOutBookedGrams')).toBe(expected.sent ?? 0);
              expect(got('repackagedInGrams')).toBe(expected.repackagedIn ?? 0);
              expect(got('repackagedOutGrams')).toBe(expected.repackagedOut ?? 0);
              expect(got('lostGrams')).toBe(expected.lost ?? 0);
              if (l) expect(lineImbalance(l)).toBe(0);
              expect(got('closingGrams')).toBe(balances.find((b) => b.wasteCode === code)?.closing ?? 0);
            }
          }
          // the last closing is the stock now: as the model says, and as the lots' own read model says
          const stock = await t.db.owner.query<{ code: string; g: string }>(
            `SELECT waste_code AS code, sum(mass_grams) AS g FROM lot WHERE site_id = $1 AND status IN ('GENERATED', 'STORED') GROUP BY 1`,
            [site],
          );
          for (const code of [...CODES, '772-002-18']) {
            const modelled = [...model.values()]
              .filter((l) => l.site === site && l.code === code)
              .reduce((a, l) => a + l.mass, 0);
            expect(previousClosing.get(code) ?? 0).toBe(modelled);
            expect(Number(stock.rows.find((r) => r.code === code)?.g ?? 0)).toBe(modelled);
          }
        }
      }),
      { numRuns: 25, examples: [[EVERY_ACT]] },
    );
  });

  it('the histories exercised every kind of act, and none was refused (they are valid histories)', () => {
    expect(Object.keys(exercised).sort()).toEqual([...OPS].sort());
    expect(refused).toEqual([]);
  });

  it('after all those histories the read models still equal a rebuild from the ledger alone', async () => {
    const c: PoolClient = await t.db.owner.connect();
    try {
      await c.query('BEGIN');
      const report = await rebuildAndCompare(new PgSql(c), ledger.projections);
      expect(report.differences).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });
});
