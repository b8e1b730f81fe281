import { FACILITIES, H, consolidate, generateLot, play, store } from './domain/lot.fixtures';
import { decideConsolidation, initialLotState, type LotState } from './domain';
import { replay } from './domain/lot.fixtures';
import { stockDeltas, stockPlace } from './lot-stock';

describe('stock deltas', () => {
  it('a store-in moves the lot from its production facility to the store', () => {
    const before = replay(H.generated());
    const after = replay(H.stored());
    expect(stockPlace(before)).toEqual({ facilityId: 'fac-prod', siteId: 'site-clinic', grams: 12_345 });
    expect(stockDeltas([{ before, after }])).toEqual(
      new Map([
        ['fac-prod', -12_345],
        ['fac-store', 12_345],
      ]),
    );
  });

  it('a lot in transit counts nowhere; a new lot counts where it is made', () => {
    const before = replay(H.reserved());
    const after = replay(H.inTransit());
    expect(stockDeltas([{ before, after }])).toEqual(new Map([['fac-store', -12_345]]));
    const none: LotState = initialLotState();
    expect(stockDeltas([{ before: none, after: before }])).toEqual(new Map([['fac-store', 12_345]]));
  });

  it('a consolidation within one facility changes the stock by the weighing difference only', () => {
    const a = play(H.generated(), store());
    const bHistory = play(
      play([], generateLot({ lotId: 'lot-2', labelCode: 'L2' })),
      store('lot-2', FACILITIES.store),
    );
    const sources = [
      { lotId: 'lot-1', state: replay(a) },
      { lotId: 'lot-2', state: replay(bHistory) },
    ];
    const d = decideConsolidation(consolidate(['lot-1', 'lot-2'], 24_600), sources);
    const changes = [
      ...sources.map((s) => ({
        before: s.state,
        after: replay([
          ...(s.lotId === 'lot-1' ? a : bHistory),
          ...d.sourceEvents.find((x) => x.lotId === s.lotId)!.events,
        ]),
      })),
      { before: initialLotState(), after: replay([...d.newLotEvents[0].events]) },
    ];
    expect(stockDeltas(changes)).toEqual(new Map([['fac-store', 24_600 - 2 * 12_345]]));
  });
});
