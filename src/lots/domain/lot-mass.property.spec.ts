import fc from 'fast-check';
import { isDomainError } from '../../shared/domain/domain-error';
import { decideConsolidation, decideSplit, decideTreatment } from './lot-lineage.decider';
import { decideReceipt } from './lot-receipt.decider';
import type { FacilityFact, LotCommand } from './lot.commands';
import { decide } from './lot.decider';
import type { LotDecision, LotEvent } from './lot.events';
import {
  by,
  CARRIER,
  CODE,
  consolidate,
  deliver,
  flyAsh,
  generateLot,
  loss,
  PRODUCER,
  receipt,
  RECEIVER,
  replay,
  reserve,
  split,
  store,
  takeCustody,
  treat,
} from './lot.fixtures';
import { isLive, type LiveLotState, type LotState } from './lot.state';

/**
 * Mass is conserved to the gram over random histories of generation, storage, consolidation,
 * split, treatment with residues, loss and shipment with receipt:
 *   live lots + treated + lost − booked gains/losses (consolidation, split, receipt) = generated + residues.
 * Every decided event also replays, and is plain JSON (the ledger hashes its canonical form).
 */

const CODES = [CODE, '900-047-49'];
const MAX = 1_000_000_000;

type Op =
  | { kind: 'generate'; mass: number; code: number }
  | { kind: 'store'; pick: number }
  | { kind: 'consolidate'; pick: number; count: number; k: number; beyond: boolean }
  | { kind: 'split'; pick: number; weights: number[]; k: number }
  | { kind: 'treat'; pick: number; count: number; residues: number[]; utilise: boolean }
  | { kind: 'loss'; pick: number; total: boolean; share: number }
  | {
      kind: 'ship';
      pick: number;
      measuredK: number;
      decision: 'ACCEPTED' | 'PARTIALLY_ACCEPTED' | 'REJECTED';
      pickup: boolean;
      share: number;
    };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('generate' as const),
      mass: fc.integer({ min: 1, max: 500_000 }),
      code: fc.constantFrom(0, 0, 0, 1),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('store' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('consolidate' as const),
      pick: fc.nat(),
      count: fc.integer({ min: 2, max: 4 }),
      k: fc.integer({ min: -100, max: 100 }),
      beyond: fc.constantFrom(false, false, false, true),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('split' as const),
      pick: fc.nat(),
      weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 4 }),
      k: fc.integer({ min: -100, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('treat' as const),
      pick: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
      residues: fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 2 }),
      utilise: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('loss' as const),
      pick: fc.nat(),
      total: fc.boolean(),
      share: fc.integer({ min: 1, max: 99 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('ship' as const),
      pick: fc.nat(),
      measuredK: fc.integer({ min: -2_000, max: 2_000 }),
      decision: fc.constantFrom('ACCEPTED' as const, 'PARTIALLY_ACCEPTED' as const, 'REJECTED' as const),
      pickup: fc.boolean(),
      share: fc.integer({ min: 1, max: 99 }),
    }),
  },
);

/** An in-memory ledger of lot streams. */
class World {
  readonly streams = new Map<string, LotEvent[]>();
  private n = 0;
  minute = 0;

  id(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.n}`;
  }
  state(lotId: string): LotState {
    return replay(this.streams.get(lotId) ?? []);
  }
  live(): LiveLotState[] {
    return [...this.streams.keys()].map((id) => this.state(id)).filter(isLive);
  }
  append(lotId: string, events: readonly LotEvent[]): void {
    this.streams.set(lotId, [...(this.streams.get(lotId) ?? []), ...events]);
    replay(this.streams.get(lotId) ?? []); // must replay
  }
  run(c: LotCommand): void {
    this.append(c.data.lotId, decide(c, this.state(c.data.lotId)));
  }
  apply(d: LotDecision): void {
    for (const s of d.sourceEvents) this.append(s.lotId, s.events);
    for (const s of d.newLotEvents) {
      expect(this.streams.has(s.lotId)).toBe(false);
      this.append(s.lotId, s.events);
    }
  }
  meta(party: string) {
    this.minute += 1;
    return by(party, this.minute);
  }
}

const facilityAt = (l: { siteId: string; custodianPartyId: string }, name: string): FacilityFact => ({
  facilityId: `${name}@${l.siteId}`,
  siteId: l.siteId,
  partyId: l.custodianPartyId,
  type: 'STORAGE_WAREHOUSE',
});

/** Groups of lots sharing custodian, site (and code, when asked). */
function groups<L extends LiveLotState & { siteId: string }>(lots: L[], byCode: boolean): L[][] {
  const m = new Map<string, L[]>();
  for (const l of lots) {
    const key = `${l.custodianPartyId}|${l.siteId}|${byCode ? l.wasteCode : ''}`;
    m.set(key, [...(m.get(key) ?? []), l]);
  }
  return [...m.values()];
}

const freeHeld = (w: World, statuses: readonly string[]) =>
  w
    .live()
    .filter(
      (l): l is Extract<LiveLotState, { openManifestId: string | null }> =>
        statuses.includes(l.status) && 'openManifestId' in l && l.openManifestId === null,
    );

function step(w: World, op: Op): void {
  switch (op.kind) {
    case 'generate': {
      const lotId = w.id('g');
      const code = CODES[op.code];
      w.run(
        generateLot(
          {
            lotId,
            labelCode: `L-${lotId}`,
            wasteCode: code,
            massGrams: op.mass,
            facts: { ...generateLot().data.facts, maxLotMassGrams: MAX },
          },
          w.meta(PRODUCER),
        ),
      );
      return;
    }
    case 'store': {
      const lots = freeHeld(w, ['GENERATED']);
      if (lots.length === 0) return;
      const l = lots[op.pick % lots.length];
      w.run(store(l.lotId, facilityAt(l, 'store'), w.meta(l.custodianPartyId)));
      return;
    }
    case 'consolidate': {
      const gs = groups(freeHeld(w, ['STORED']), true).filter((g) => g.length >= 2);
      if (gs.length === 0) return;
      const lots = gs[op.pick % gs.length].slice(0, op.count);
      const sum = lots.reduce((a, l) => a + l.massGrams, 0);
      const mass = op.beyond ? sum + Math.floor(sum / 100) + 1 : sum + Math.trunc((sum * op.k) / 10_000);
      const fac = facilityAt(lots[0], 'merge');
      const c = consolidate(
        lots.map((l) => l.lotId),
        mass,
        { facility: fac, maxLotMassGrams: MAX, code: { codeExists: true, category: lots[0].category } },
        w.meta(lots[0].custodianPartyId),
        w.id('c'),
        fac,
      );
      const d = () =>
        decideConsolidation(
          { ...c, data: { ...c.data, newLot: { ...c.data.newLot, wasteCode: lots[0].wasteCode } } },
          lots.map((l) => ({ lotId: l.lotId, state: l })),
        );
      if (op.beyond) expect(d).toThrow(expect.objectContaining({ code: 'MASS_MISMATCH' }));
      else w.apply(d());
      return;
    }
    case 'split': {
      const lots = freeHeld(w, ['STORED']).filter((l) => l.massGrams >= 4 * op.weights.length);
      if (lots.length === 0) return;
      const l = lots[op.pick % lots.length];
      const target = l.massGrams + Math.trunc((l.massGrams * op.k) / 10_000);
      const total = op.weights.reduce((a, b) => a + b, 0);
      const masses = op.weights.map((wt) => Math.max(1, Math.floor((target * wt) / total)));
      masses[0] += target - masses.reduce((a, b) => a + b, 0);
      if (masses[0] < 1) return;
      const parts = masses.map((m): [string, number] => [w.id('s'), m]);
      w.apply(
        decideSplit(
          {
            ...split(parts, w.meta(l.custodianPartyId), l.lotId),
            data: {
              ...split(parts, by(PRODUCER), l.lotId).data,
              facts: { toleranceBasisPoints: 100, maxLotMassGrams: MAX },
            },
          },
          l,
        ),
      );
      return;
    }
    case 'treat': {
      const gs = groups(freeHeld(w, ['GENERATED', 'STORED']), false);
      if (gs.length === 0) return;
      const lots = gs[op.pick % gs.length].slice(0, op.count);
      const fac = { ...facilityAt(lots[0], 'kiln'), type: 'DISPOSAL' };
      const residues = op.residues.map((m) => flyAsh(w.id('r'), m));
      const licensedModes = Object.fromEntries(
        [...CODES, '772-002-18'].map((code) => [code, ['UTILISE', 'DISPOSE'] as const]),
      );
      const c = treat(
        lots.map((l) => l.lotId),
        {
          method: op.utilise ? 'R4' : 'D10',
          facilityId: fac.facilityId,
          residues,
          facts: { facility: fac, licensedModes, maxLotMassGrams: MAX },
        },
        w.meta(lots[0].custodianPartyId),
      );
      w.apply(
        decideTreatment(
          c,
          lots.map((l) => ({ lotId: l.lotId, state: l })),
        ),
      );
      return;
    }
    case 'loss': {
      const lots = w.live();
      if (lots.length === 0) return;
      const l = lots[op.pick % lots.length];
      const mass = op.total ? null : Math.max(1, Math.floor((l.massGrams * op.share) / 100));
      w.run(loss(mass, w.meta(l.custodianPartyId), l.lotId));
      return;
    }
    case 'ship': {
      const lots = freeHeld(w, ['GENERATED', 'STORED']).filter((l) => l.custodianPartyId === PRODUCER);
      if (lots.length === 0) return;
      const l = lots[op.pick % lots.length];
      const manifestId = w.id('m');
      const lotId = l.lotId;
      const withLot = <C extends LotCommand>(c: C): C => ({ ...c, data: { ...c.data, lotId } });
      w.run(reserve(manifestId, w.meta(PRODUCER), lotId));
      w.run(
        withLot(
          takeCustody({ manifestId, pickupMassGrams: op.pickup ? l.massGrams + 7 : null }, w.meta(CARRIER)),
        ),
      );
      w.run(withLot(deliver(w.meta(CARRIER), RECEIVER, manifestId)));
      const measured = Math.max(2, l.massGrams + op.measuredK);
      const rejected = Math.max(1, Math.floor((measured * op.share) / 100));
      const decision = op.decision;
      const c = receipt(
        decision === 'PARTIALLY_ACCEPTED'
          ? {
              lotId,
              manifestId,
              decision,
              measuredMassGrams: measured,
              rejectedMassGrams: rejected,
              rejectedPart: { lotId: w.id('rj'), labelCode: 'RJ' },
              reason: 'wet',
            }
          : {
              lotId,
              manifestId,
              decision,
              measuredMassGrams: measured,
              reason: decision === 'REJECTED' ? 'wrong waste' : null,
            },
        w.meta(RECEIVER),
      );
      w.apply(decideReceipt(c, w.state(lotId)));
      return;
    }
  }
}

function isPlainJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isSafeInteger(v);
  if (Array.isArray(v)) return v.every(isPlainJson);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.values(v).every((x) => x !== undefined && isPlainJson(x));
  return false;
}

function ledgerTotals(w: World) {
  const events = [...w.streams.values()].flat();
  const sum = <T extends LotEvent['type']>(type: T, f: (e: Extract<LotEvent, { type: T }>) => number) =>
    events.filter((e): e is Extract<LotEvent, { type: T }> => e.type === type).reduce((a, e) => a + f(e), 0);
  return {
    generated:
      sum('LotGenerated', (e) => e.data.massGrams) + sum('LotCreatedAsResidue', (e) => e.data.massGrams),
    live: w.live().reduce((a, l) => a + l.massGrams, 0),
    treated: sum('LotTreated', (e) => e.data.treatedMassGrams),
    lost: sum('LotLossRecorded', (e) => e.data.massGrams),
    booked:
      sum('LotCreatedByConsolidation', (e) => e.data.gainOrLossGrams) +
      sum('LotSplit', (e) => e.data.gainOrLossGrams) +
      sum('LotReceived', (e) => e.data.massAdjustmentGrams),
    events,
  };
}

describe('mass conservation over random lot histories (property)', () => {
  it('live + treated + lost − booked gains = generated, to the gram; every event replays and is plain JSON', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40, size: 'max' }), (ops) => {
        const w = new World();
        for (const op of ops) {
          try {
            step(w, op);
          } catch (e) {
            if (isDomainError(e)) throw new Error(`${op.kind} refused: ${e.code} ${e.message}`);
            throw e;
          }
        }
        const t = ledgerTotals(w);
        expect(t.live + t.treated + t.lost - t.booked).toBe(t.generated);
        expect(t.events.every((e) => isPlainJson(e))).toBe(true);
        t.events.forEach((e) => seen.set(e.type, (seen.get(e.type) ?? 0) + 1));
      }),
      { numRuns: 300 },
    );
    // the random histories did reach every mass-moving act
    const acts = [
      'LotCreatedByConsolidation',
      'LotSplit',
      'LotReceived',
      'LotRejectedPartCreated',
      'LotTreated',
      'LotCreatedAsResidue',
      'LotLossRecorded',
    ];
    expect(acts.filter((type) => (seen.get(type) ?? 0) < 50)).toEqual([]);
  });
});
