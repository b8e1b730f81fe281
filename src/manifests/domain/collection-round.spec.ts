import type { Actor } from '../../shared/domain/actor';
import { isDomainError } from '../../shared/domain/domain-error';
import { collectionRoundDecider, MAX_ROUND_STOPS, type PlanCollectionRound } from './collection-round';

const collector: Actor = { kind: 'USER', userId: 'u-col', partyId: 'party-collector' };
const plan = (
  over: Partial<PlanCollectionRound['data']> = {},
  actor: Actor = collector,
): PlanCollectionRound => ({
  type: 'PlanCollectionRound',
  data: {
    roundId: 'round-1',
    collectorPartyId: 'party-collector',
    carrierPartyId: 'party-collector',
    vehicleId: 'veh-1',
    driverId: 'drv-1',
    escortId: 'esc-1',
    receiverPartyId: 'party-collector',
    receiverSiteId: 'site-store',
    plannedDate: '2026-03-03',
    stops: [
      { consignorPartyId: 'shop-1', siteId: 'site-1' },
      { consignorPartyId: 'shop-2', siteId: 'site-2' },
    ],
    ...over,
  },
  meta: { actor, occurredAt: new Date('2026-03-02T01:00:00Z'), now: new Date('2026-03-02T01:00:00Z') },
});

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  return 'NO_ERROR';
};

describe('collection round (集中收集): the collector plans one trip visiting its producers in order', () => {
  const { decide, evolve, initialState } = collectionRoundDecider;

  it('numbers the stops in the order given and becomes PLANNED', () => {
    const events = decide(plan(), initialState());
    expect(events).toHaveLength(1);
    expect(events[0].data.stops).toEqual([
      { stopNo: 1, consignorPartyId: 'shop-1', siteId: 'site-1' },
      { stopNo: 2, consignorPartyId: 'shop-2', siteId: 'site-2' },
    ]);
    const s = events.reduce(evolve, initialState());
    expect(s).toMatchObject({ status: 'PLANNED', roundId: 'round-1', vehicleId: 'veh-1' });
  });

  it('is planned once', () => {
    const s = decide(plan(), initialState()).reduce(evolve, initialState());
    expect(codeOf(() => decide(plan(), s))).toBe('INVALID_TRANSITION');
  });

  it('only the collector plans it', () => {
    const other: Actor = { kind: 'USER', userId: 'u-x', partyId: 'party-x' };
    expect(codeOf(() => decide(plan({}, other), initialState()))).toBe('FORBIDDEN');
  });

  it('refuses malformed plans', () => {
    expect(codeOf(() => decide(plan({ stops: [] }), initialState()))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decide(plan({ plannedDate: '2026-02-30' }), initialState()))).toBe('BAD_USER_INPUT');
    const twice = [
      { consignorPartyId: 'shop-1', siteId: 'site-1' },
      { consignorPartyId: 'shop-1', siteId: 'site-1' },
    ];
    expect(codeOf(() => decide(plan({ stops: twice }), initialState()))).toBe('BAD_USER_INPUT');
    const many = Array.from({ length: MAX_ROUND_STOPS + 1 }, (_, i) => ({
      consignorPartyId: `shop-${i}`,
      siteId: `site-${i}`,
    }));
    expect(codeOf(() => decide(plan({ stops: many }), initialState()))).toBe('BAD_USER_INPUT');
    const receiverStop = [{ consignorPartyId: 'party-collector', siteId: 'site-9' }];
    expect(codeOf(() => decide(plan({ stops: receiverStop }), initialState()))).toBe('BAD_USER_INPUT');
  });
});
