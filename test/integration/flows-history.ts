import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { LedgerService } from '../../src/ledger/ledger.service';
import type { ReceiptDecision } from '../../src/lots/domain';
import type { LotLedger } from '../../src/lots/lot-ledger';
import { shanghaiDayStart } from '../../src/shared/domain/time';
import * as act from './flows-acts';

/**
 * Random valid histories of lot acts for the flows property test (`flows.int-spec.ts`): each
 * operation is interpreted against the current state (which lot, which site) so that the pure lot
 * deciders accept it (`flows-acts.ts`), appended through the ledger, and mirrored in a model that
 * says, per site, month and code, what was generated, received, sent, treated, repackaged and lost,
 * and where every lot is.
 */
export const CODES = ['900-214-08', '900-041-49'] as const;
export const MONTHS = ['2025-05', '2025-06'] as const;
export type Month = (typeof MONTHS)[number];

export interface ModelLot {
  code: string;
  mass: number;
  site: string | null;
  facility: string | null;
  party: string | null;
  stored: boolean;
}

/** What the model expects per site, month and code. */
export type Tally = Record<string, number>;

export const OPS = [
  'generate',
  'store',
  'move',
  'send',
  'handover',
  'consolidate',
  'split',
  'treat',
  'loss',
] as const;
export const opArb = fc.record({
  op: fc.constantFrom(...OPS),
  a: fc.nat(1000),
  b: fc.nat(1000),
  grams: fc.integer({ min: 1_000, max: 400_000 }),
  decision: fc.constantFrom('ACCEPTED', 'ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED'),
});

export type Op = { op: (typeof OPS)[number]; a: number; b: number; grams: number; decision: string };

/**
 * A history that exercises every kind of act (fast-check runs it first, as an example): two lots of
 * one code stored at one site, consolidated, split, moved, sent, handed over, treated with a residue,
 * and a loss. Random histories reach consolidation only now and then; this one always does.
 */
export const EVERY_ACT: Op[] = (
  [
    ['generate', 0, 0],
    ['store', 0, 0],
    ['generate', 0, 2],
    ['store', 0, 0],
    ['consolidate', 0, 0],
    ['split', 0, 0],
    ['move', 0, 0],
    ['send', 0, 0],
    ['handover', 0, 0],
    ['treat', 0, 0],
    ['loss', 0, 0],
  ] as const
).map(([op, a, b]) => ({ op, a, b, grams: 3_000 * (a + b + 1), decision: 'ACCEPTED' }));

export interface HistoryDeps {
  ledger: LedgerService;
  lots: LotLedger;
  exercised: Record<string, number>;
  refused: string[];
}

/** One run: three fresh sites (two facilities each, one party each) and a carrier. */
export async function history(d: HistoryDeps, ops: readonly Op[]) {
  const { ledger, lots, exercised, refused } = d;
  const run = randomUUID().slice(0, 8);
  const sites = [0, 1, 2].map((i) => `site-${run}-${i}`);
  const carrier = `carrier-${run}`;
  const model = new Map<string, ModelLot>();
  const tally: Record<string, Tally> = {};
  const add = (site: string, month: Month, code: string, key: string, g: number) => {
    const k = `${site}|${month}|${code}`;
    tally[k] = tally[k] ?? {};
    tally[k][key] = (tally[k][key] ?? 0) + g;
  };
  let clock = 0;
  /** One ledger command by `actorParty` in `month` on the lots named, deciding with `build`. */
  const exec = async (actorParty: string, month: Month, lotIds: string[], build: act.Build) => {
    const occurredAt = new Date(shanghaiDayStart(`${month}-02`).getTime() + ++clock * 60_000);
    const actor = { kind: 'USER' as const, userId: `u-${actorParty}`, partyId: actorParty };
    await ledger.execute({ act: 'propertyHistory', actor, occurredAt }, async (tx) => {
      const loaded = await lots.load(tx, lotIds, { mustExist: true });
      await lots.commit(tx, loaded, build(loaded, tx.meta()));
    });
  };
  const recent: string[] = [];
  const held = (pred: (l: ModelLot) => boolean = () => true) =>
    [...model.entries()].filter(([, l]) => l.site !== null && pred(l));
  const gone = (l: ModelLot): ModelLot => ({ ...l, site: null, facility: null, party: null });
  const at = (l: ModelLot, site: string, k: 0 | 1, stored = true): ModelLot => ({
    ...l,
    site,
    facility: act.facility(site, k).facilityId,
    party: act.partyOf(site),
    stored,
  });

  for (const [i, o] of ops.entries()) {
    const before = clock;
    const month: Month = i < ops.length / 2 ? MONTHS[0] : MONTHS[1];
    const pick = <T>(xs: T[], n: number) => xs[n % xs.length];
    try {
      if (o.op === 'generate' || held().length === 0) {
        const site = pick(sites, o.a);
        const lot = act.newLot(pick([...CODES], o.b), o.grams);
        await exec(act.partyOf(site), month, [], act.generate(lot, site));
        model.set(
          lot.lotId,
          at(
            { code: lot.wasteCode, mass: lot.massGrams, site, facility: null, party: null, stored: false },
            site,
            0,
            false,
          ),
        );
        recent.push(lot.lotId);
        add(site, month, lot.wasteCode, 'generated', lot.massGrams);
        exercised.generate = (exercised.generate ?? 0) + 1;
        continue;
      }
      // half the time act on the lot touched last, so that histories go deep (receipt, then treatment…)
      const lastHeld = recent.filter((id) => model.get(id)?.site).at(-1);
      const [lotId, l] = o.b % 2 === 0 && lastHeld ? [lastHeld, model.get(lastHeld)!] : pick(held(), o.a);
      recent.push(lotId);
      const site = l.site!;
      const party = l.party!;
      const other = pick(
        sites.filter((s) => s !== site),
        o.b,
      );
      if (o.op === 'store' || o.op === 'move') {
        const k = l.facility === act.facility(site, 1).facilityId ? 0 : 1;
        if (!l.stored || o.op === 'move') {
          await exec(party, month, [lotId], act.store(lotId, act.facility(site, k)));
          model.set(lotId, at(l, site, k));
        }
      } else if (o.op === 'send') {
        const manifestId = `man-${randomUUID()}`;
        await exec(party, month, [lotId], act.reserve(lotId, manifestId));
        await exec(carrier, month, [lotId], act.takeCustody(lotId, manifestId, carrier));
        add(site, month, l.code, 'sent', l.mass);
        model.set(lotId, gone(l));
        await exec(carrier, month, [lotId], act.deliver(lotId, manifestId, other));
        const measured = Math.max(1, l.mass + ((o.b % 7) - 3) * 100);
        const partial = o.decision === 'PARTIALLY_ACCEPTED' && measured > 1;
        const rejected = partial ? Math.max(1, Math.floor(measured / 3)) : 0;
        const decision = (
          o.decision === 'PARTIALLY_ACCEPTED' && !partial ? 'ACCEPTED' : o.decision
        ) as ReceiptDecision;
        await exec(
          act.partyOf(other),
          month,
          [lotId],
          act.receive(lotId, manifestId, other, decision, measured, partial ? rejected : null),
        );
        if (decision !== 'REJECTED') {
          const accepted = measured - rejected;
          model.set(lotId, { ...at(l, other, 1), mass: accepted });
          add(other, month, l.code, 'received', accepted);
        }
      } else if (o.op === 'handover') {
        await exec(party, month, [lotId], act.handOver(lotId, other));
        add(site, month, l.code, 'sent', l.mass);
        add(other, month, l.code, 'received', l.mass);
        model.set(lotId, at(l, other, 1));
      } else if (o.op === 'consolidate') {
        const mates = held((m) => m.site === site && m.code === l.code && m.stored).map(([id]) => id);
        if (mates.length < 2) continue;
        const sources = mates.slice(0, 2);
        const sum = sources.reduce((a, id) => a + model.get(id)!.mass, 0);
        const target = act.newLot(l.code, sum - Math.floor(sum / 200)); // within the 1 % tolerance
        await exec(party, month, sources, act.consolidate(sources, target, site));
        for (const id of sources) model.set(id, gone(model.get(id)!));
        add(site, month, l.code, 'repackagedOut', sum);
        add(site, month, l.code, 'repackagedIn', target.massGrams);
        model.set(target.lotId, at({ ...l, mass: target.massGrams }, site, 1));
        recent.push(target.lotId);
      } else if (o.op === 'split') {
        if (!l.stored || l.mass < 2) continue;
        const half = Math.floor(l.mass / 2);
        const parts = [half, l.mass - half].map((massGrams) => ({ lotId: randomUUID(), massGrams }));
        await exec(party, month, [lotId], act.split(lotId, parts));
        model.set(lotId, gone(l));
        add(site, month, l.code, 'repackagedOut', l.mass);
        add(site, month, l.code, 'repackagedIn', l.mass);
        for (const p of parts) model.set(p.lotId, { ...l, mass: p.massGrams, stored: true });
        recent.push(parts[0].lotId);
      } else if (o.op === 'treat') {
        const method = o.b % 2 === 0 ? 'D10' : 'R9';
        const residue =
          o.grams % 3 === 0 ? act.newLot('772-002-18', Math.max(1, Math.floor(l.mass / 10)), 'SOLID') : null;
        await exec(party, month, [lotId], act.treat(lotId, l.code, site, method, residue));
        model.set(lotId, gone(l));
        add(site, month, l.code, method === 'D10' ? 'disposed' : 'utilised', l.mass);
        if (residue) {
          model.set(
            residue.lotId,
            at(
              {
                code: residue.wasteCode,
                mass: residue.massGrams,
                site,
                facility: null,
                party,
                stored: false,
              },
              site,
              1,
              false,
            ),
          );
          add(site, month, residue.wasteCode, 'generated', residue.massGrams);
        }
      } else if (o.op === 'loss') {
        const total = o.b % 3 === 0 || l.mass < 2;
        const lost = total ? l.mass : 1 + (o.grams % (l.mass - 1));
        await exec(party, month, [lotId], act.loss(lotId, total ? null : lost));
        model.set(lotId, total ? { ...gone(l), mass: 0 } : { ...l, mass: l.mass - lost });
        add(site, month, l.code, 'lost', lost);
      }
      if (clock > before) exercised[o.op] = (exercised[o.op] ?? 0) + 1;
    } catch (e) {
      // a refused act is not part of a valid history: the model is left as it was
      if (!(e instanceof Error) || !('code' in e)) throw e;
      refused.push(`${o.op}: ${e.message}`);
    }
  }
  return { sites, model, tally };
}
