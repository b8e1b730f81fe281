/**
 * 最终去向 — where every gram of a lot ended, through consolidations and splits (SPEC section 5:
 * "from a producer's lot forward to where each gram ended"). Pure, exact: shares are rationals of
 * big integers, and the final grams are apportioned by largest remainder so that they add up to the
 * lot's mass to the gram.
 *
 * Each lot balances: what came in (its initial mass, plus any net weighing gain) equals what went
 * out (into child lots, lost, a net weighing loss, treated) plus what it still holds. A share of a
 * lot's mass follows each outflow in proportion.
 */
export interface FateLot {
  readonly lotId: string;
  readonly status: string;
  readonly initialGrams: number;
  readonly massGrams: number;
  /** Net weighing differences booked on this lot (receipt, split): positive a gain. */
  readonly adjustmentGrams: number;
  readonly lostGrams: number;
  readonly treatedGrams: number | null;
}

export interface FateEdge {
  readonly parentLotId: string;
  readonly childLotId: string;
  readonly kind: string;
  readonly grams: number;
}

export type FateOutcomeKind = 'HELD' | 'UTILISED' | 'DISPOSED' | 'LOST' | 'WEIGHING_DIFFERENCE';

export interface FateShare {
  readonly kind: FateOutcomeKind;
  readonly lotId: string;
  readonly grams: number;
  /** Lots from the asked one to `lotId`. */
  readonly path: readonly string[];
}

const LIVE = new Set(['GENERATED', 'STORED', 'IN_TRANSIT', 'DELIVERED', 'REJECTED']);

interface Ratio {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
};
const norm = (r: Ratio): Ratio => {
  const g = gcd(r.n, r.d);
  return { n: r.n / g, d: r.d / g };
};
const times = (r: Ratio, num: number, den: number): Ratio =>
  norm({ n: r.n * BigInt(num), d: r.d * BigInt(den) });
const plus = (a: Ratio, b: Ratio): Ratio => norm({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });

/** What a lot's mass balance takes in: its initial mass plus a net gain. */
export const inflowOf = (l: FateLot): number => l.initialGrams + Math.max(l.adjustmentGrams, 0);

/** Shares of `rootId`'s mass (its inflow) by outcome and lot, summing exactly to the inflow. */
export function lotFate(
  rootId: string,
  lots: ReadonlyMap<string, FateLot>,
  edges: readonly FateEdge[],
): FateShare[] {
  const root = lots.get(rootId);
  if (!root) throw new Error(`lot ${rootId} not supplied`);
  const children = new Map<string, FateEdge[]>();
  for (const e of edges) {
    if (e.kind === 'RESIDUE' || e.grams <= 0) continue; // residues are new waste, not the same grams
    children.set(e.parentLotId, [...(children.get(e.parentLotId) ?? []), e]);
  }
  const found = new Map<string, { kind: FateOutcomeKind; lotId: string; share: Ratio; path: string[] }>();
  const add = (kind: FateOutcomeKind, lotId: string, share: Ratio, path: string[]) => {
    if (share.n === 0n) return;
    const key = `${kind}|${lotId}`;
    const prior = found.get(key);
    found.set(key, prior ? { ...prior, share: plus(prior.share, share) } : { kind, lotId, share, path });
  };
  const walk = (lotId: string, share: Ratio, path: string[], depth: number) => {
    const l = lots.get(lotId);
    if (!l) throw new Error(`lot ${lotId} not supplied`);
    if (depth > 10_000) throw new Error('lineage too deep');
    const total = inflowOf(l);
    if (total <= 0) return;
    const part = (grams: number): Ratio => times(share, grams, total);
    let accounted = 0;
    for (const e of children.get(lotId) ?? []) {
      walk(e.childLotId, part(e.grams), [...path, e.childLotId], depth + 1);
      accounted += e.grams;
    }
    const out = (kind: FateOutcomeKind, grams: number) => {
      if (grams <= 0) return;
      add(kind, lotId, part(grams), path);
      accounted += grams;
    };
    out('LOST', l.lostGrams);
    out('WEIGHING_DIFFERENCE', Math.max(-l.adjustmentGrams, 0));
    if (l.status === 'UTILISED' || l.status === 'DISPOSED') out(l.status, l.treatedGrams ?? 0);
    if (LIVE.has(l.status)) out('HELD', l.massGrams);
    // a history the balance cannot explain is shown as held where it is, never dropped
    if (accounted < total) add('HELD', lotId, part(total - accounted), path);
  };
  const inflow = inflowOf(root);
  walk(rootId, { n: BigInt(inflow), d: 1n }, [rootId], 0);
  return apportion([...found.values()], inflow);
}

/** Integer grams by largest remainder: floors first, then one gram each to the largest remainders. */
function apportion(
  shares: { kind: FateOutcomeKind; lotId: string; share: Ratio; path: string[] }[],
  total: number,
): FateShare[] {
  const floors = shares.map((s) => {
    const n = s.share.n / s.share.d;
    return { ...s, grams: Number(n), rest: { n: s.share.n - n * s.share.d, d: s.share.d } };
  });
  let left = total - floors.reduce((a, s) => a + s.grams, 0);
  const order = floors
    .map((s, i) => ({ i, rest: s.rest }))
    .sort((a, b) => {
      const diff = b.rest.n * a.rest.d - a.rest.n * b.rest.d;
      return diff > 0n ? 1 : diff < 0n ? -1 : a.i - b.i;
    });
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i].grams += 1;
    left -= 1;
  }
  return floors
    .filter((s) => s.grams > 0)
    .map(({ kind, lotId, grams, path }) => ({ kind, lotId, grams, path }));
}
