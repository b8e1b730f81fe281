/**
 * 溯源链 — the shape of a custody chain (SPEC sections 5 and 10), pure: which way to walk, how far
 * each lot lies from the asked ones, which lots are sources, and what became of each lot.
 * Custody is a directed acyclic graph of lots (`lot_lineage`: parent → child with grams) through
 * consolidations, splits, rejected parts and residues.
 */

/** BACKWARD to every source, FORWARD to every outcome, or BOTH from the asked lots. */
export const CHAIN_DIRECTIONS = ['BACKWARD', 'FORWARD', 'BOTH'] as const;
export type ChainDirection = (typeof CHAIN_DIRECTIONS)[number];

export const walksOf = (d: ChainDirection): { up: boolean; down: boolean } => ({
  up: d !== 'FORWARD',
  down: d !== 'BACKWARD',
});

export interface ChainEdge {
  readonly parentLotId: string;
  readonly childLotId: string;
}

/**
 * Steps from the asked lots (level 0): upstream lots negative (−1 their direct sources),
 * downstream lots positive. Breadth first, so a lot reached by paths of several lengths gets the
 * shortest; a lot reachable neither way (cannot happen in a walked chain) is left out.
 */
export function chainLevels(
  roots: readonly string[],
  edges: readonly ChainEdge[],
  direction: ChainDirection,
): Map<string, number> {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, key: string, value: string) => {
    const list = m.get(key);
    if (list) list.push(value);
    else m.set(key, [value]);
  };
  for (const e of edges) {
    add(parents, e.childLotId, e.parentLotId);
    add(children, e.parentLotId, e.childLotId);
  }
  const level = new Map<string, number>(roots.map((r) => [r, 0]));
  const walk = (next: Map<string, string[]>, step: number) => {
    let frontier = [...roots];
    for (let depth = step; frontier.length > 0; depth += step) {
      const following: string[] = [];
      for (const id of frontier) {
        for (const n of next.get(id) ?? []) {
          if (level.has(n)) continue;
          level.set(n, depth);
          following.push(n);
        }
      }
      frontier = following;
    }
  };
  const { up, down } = walksOf(direction);
  if (up) walk(parents, -1);
  if (down) walk(children, 1);
  return level;
}

/** Lots of the chain that no other lot of the chain feeds: the sources (产生源头) of a backward chain. */
export function sourcesOf(lotIds: readonly string[], edges: readonly ChainEdge[]): string[] {
  const fed = new Set(edges.map((e) => e.childLotId));
  return lotIds.filter((id) => !fed.has(id));
}

/** What became of one lot (最终去向 of this node; where the grams went next is in the edges). */
export type NodeFate = 'HELD' | 'IN_TRANSIT' | 'CONSOLIDATED' | 'SPLIT' | 'UTILISED' | 'DISPOSED' | 'LOST';

const FATES: Record<string, NodeFate> = {
  GENERATED: 'HELD',
  STORED: 'HELD',
  REJECTED: 'HELD',
  IN_TRANSIT: 'IN_TRANSIT',
  DELIVERED: 'IN_TRANSIT',
  CONSOLIDATED: 'CONSOLIDATED',
  SPLIT: 'SPLIT',
  UTILISED: 'UTILISED',
  DISPOSED: 'DISPOSED',
  LOST: 'LOST',
};

/** A lot status → its fate; an unknown status is a bug in the caller (the statuses are closed). */
export function fateOf(status: string): NodeFate {
  const f = FATES[status];
  if (!f) throw new Error(`unknown lot status ${status}`);
  return f;
}
