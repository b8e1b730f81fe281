import { type FateEdge, type FateLot, lotFate } from './lot-fate';

const lot = (lotId: string, status: string, over: Partial<FateLot> = {}): FateLot => ({
  lotId,
  status,
  initialGrams: 0,
  massGrams: 0,
  adjustmentGrams: 0,
  lostGrams: 0,
  treatedGrams: null,
  ...over,
});
const edge = (parentLotId: string, childLotId: string, grams: number, kind = 'CONSOLIDATION'): FateEdge => ({
  parentLotId,
  childLotId,
  kind,
  grams,
});
const total = (shares: { grams: number }[]) => shares.reduce((a, s) => a + s.grams, 0);

describe('final fate (最终去向)', () => {
  it('a lot still held is held, whole', () => {
    const lots = new Map([['a', lot('a', 'STORED', { initialGrams: 1000, massGrams: 1000 })]]);
    expect(lotFate('a', lots, [])).toEqual([{ kind: 'HELD', lotId: 'a', grams: 1000, path: ['a'] }]);
  });

  it('follows three clinics into a consolidated lot that is disposed of, to the gram', () => {
    const lots = new Map([
      ['a', lot('a', 'CONSOLIDATED', { initialGrams: 2500, massGrams: 2500 })],
      ['b', lot('b', 'CONSOLIDATED', { initialGrams: 1750, massGrams: 1750 })],
      ['c', lot('c', 'CONSOLIDATED', { initialGrams: 3125, massGrams: 3125 })],
      [
        'm',
        lot('m', 'DISPOSED', {
          initialGrams: 7375,
          massGrams: 7360,
          adjustmentGrams: -15,
          treatedGrams: 7360,
        }),
      ],
    ]);
    const edges = [edge('a', 'm', 2500), edge('b', 'm', 1750), edge('c', 'm', 3125)];
    const a = lotFate('a', lots, edges);
    expect(a).toEqual([
      { kind: 'WEIGHING_DIFFERENCE', lotId: 'm', grams: 5, path: ['a', 'm'] },
      { kind: 'DISPOSED', lotId: 'm', grams: 2495, path: ['a', 'm'] },
    ]);
    for (const id of ['a', 'b', 'c'])
      expect(total(lotFate(id, lots, edges))).toBe(lots.get(id)!.initialGrams);
  });

  it('follows a split into parts with different ends, and a partial loss on the way', () => {
    const lots = new Map([
      ['a', lot('a', 'SPLIT', { initialGrams: 1000, massGrams: 990, lostGrams: 10 })],
      ['p1', lot('p1', 'UTILISED', { initialGrams: 500, massGrams: 500, treatedGrams: 500 })],
      ['p2', lot('p2', 'IN_TRANSIT', { initialGrams: 490, massGrams: 490 })],
    ]);
    const shares = lotFate('a', lots, [edge('a', 'p1', 500, 'SPLIT'), edge('a', 'p2', 490, 'SPLIT')]);
    expect(shares).toEqual([
      { kind: 'UTILISED', lotId: 'p1', grams: 500, path: ['a', 'p1'] },
      { kind: 'HELD', lotId: 'p2', grams: 490, path: ['a', 'p2'] },
      { kind: 'LOST', lotId: 'a', grams: 10, path: ['a'] },
    ]);
  });

  it('accounts a gain weighed on the way, and reaches a lot by two paths once', () => {
    // a splits into p and q, which are consolidated again into m (weighed 20 g more), still held
    const lots = new Map([
      ['a', lot('a', 'SPLIT', { initialGrams: 1000, massGrams: 1000 })],
      ['p', lot('p', 'CONSOLIDATED', { initialGrams: 400, massGrams: 400 })],
      ['q', lot('q', 'CONSOLIDATED', { initialGrams: 600, massGrams: 600 })],
      ['m', lot('m', 'STORED', { initialGrams: 1000, massGrams: 1020, adjustmentGrams: 20 })],
    ]);
    const edges = [
      edge('a', 'p', 400, 'SPLIT'),
      edge('a', 'q', 600, 'SPLIT'),
      edge('p', 'm', 400),
      edge('q', 'm', 600),
    ];
    expect(lotFate('a', lots, edges)).toEqual([
      { kind: 'HELD', lotId: 'm', grams: 1000, path: ['a', 'p', 'm'] },
    ]);
    expect(lotFate('m', lots, edges)).toEqual([{ kind: 'HELD', lotId: 'm', grams: 1020, path: ['m'] }]);
  });

  it('ignores residue links (new waste, not the same grams)', () => {
    const lots = new Map([
      ['a', lot('a', 'DISPOSED', { initialGrams: 100, massGrams: 100, treatedGrams: 100 })],
      ['ash', lot('ash', 'GENERATED', { initialGrams: 30, massGrams: 30 })],
    ]);
    expect(lotFate('a', lots, [edge('a', 'ash', 0, 'RESIDUE')])).toEqual([
      { kind: 'DISPOSED', lotId: 'a', grams: 100, path: ['a'] },
    ]);
  });

  it('apportions thirds exactly: the shares always add up', () => {
    const lots = new Map([
      ['a', lot('a', 'CONSOLIDATED', { initialGrams: 1, massGrams: 1 })],
      ['b', lot('b', 'CONSOLIDATED', { initialGrams: 2, massGrams: 2 })],
      ['m', lot('m', 'SPLIT', { initialGrams: 3, massGrams: 3 })],
      ['x', lot('x', 'STORED', { initialGrams: 1, massGrams: 1 })],
      ['y', lot('y', 'STORED', { initialGrams: 1, massGrams: 1 })],
      ['z', lot('z', 'DISPOSED', { initialGrams: 1, massGrams: 1, treatedGrams: 1 })],
    ]);
    const edges = [
      edge('a', 'm', 1),
      edge('b', 'm', 2),
      edge('m', 'x', 1, 'SPLIT'),
      edge('m', 'y', 1, 'SPLIT'),
      edge('m', 'z', 1, 'SPLIT'),
    ];
    expect(total(lotFate('a', lots, edges))).toBe(1);
    expect(total(lotFate('b', lots, edges))).toBe(2);
  });
});
