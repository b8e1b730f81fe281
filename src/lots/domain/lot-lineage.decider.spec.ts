import { decideConsolidation, decideSplit, type LotSource } from './lot-lineage.decider';
import type { LotEvent } from './lot.events';
import {
  at,
  by,
  CODE,
  consolidate,
  eventsOf,
  FACILITIES,
  generateLot,
  H,
  LOT,
  OUTSIDER,
  outcome,
  play,
  PRODUCER,
  RECEIVER,
  replay,
  reserve,
  split,
  store,
} from './lot.fixtures';

/** A stored lot `lotId` of `massGrams`, generated at minute `minute`. */
const storedLot = (
  lotId: string,
  massGrams: number,
  minute = 0,
  over: Parameters<typeof generateLot>[0] = {},
): LotEvent[] =>
  play(
    [],
    generateLot({ lotId, labelCode: `LBL-${lotId}`, massGrams, ...over }, by(PRODUCER, minute)),
    store(lotId, FACILITIES.store, by(PRODUCER, minute + 1)),
  );

const sourcesOf = (histories: Record<string, LotEvent[]>): LotSource[] =>
  Object.entries(histories).map(([lotId, h]) => ({ lotId, state: replay(h) }));

describe('consolidation 合并', () => {
  const lots = () => ({
    a: storedLot('a', 10_000, 5),
    b: storedLot('b', 20_000, 0),
    c: storedLot('c', 30_000, 9),
  });

  it('makes one STORED lot whose lineage lists its sources; the difference is booked; the earliest clock is inherited', () => {
    const r = outcome(() => decideConsolidation(consolidate(['a', 'b', 'c'], 59_500), sourcesOf(lots())));
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    expect(r.result.sourceEvents.map((s) => s.events[0])).toEqual(
      [
        ['a', 10_000],
        ['b', 20_000],
        ['c', 30_000],
      ].map(([lotId, massGrams]) => ({
        type: 'LotConsolidatedInto',
        data: { lotId, targetLotId: 'lot-merged', massGrams, at: at(80) },
      })),
    );
    expect(eventsOf(r.result, 'lot-merged')).toMatchObject([
      {
        type: 'LotCreatedByConsolidation',
        data: {
          sources: [
            { lotId: 'a', massGrams: 10_000 },
            { lotId: 'b', massGrams: 20_000 },
            { lotId: 'c', massGrams: 30_000 },
          ],
          massGrams: 59_500,
          gainOrLossGrams: -500,
          toleranceBasisPoints: 100,
          clockStartsAt: at(0),
          originPartyId: PRODUCER,
          wasteCode: CODE,
          hazards: ['T', 'I'],
        },
      },
    ]);
    expect(replay(eventsOf(r.result, 'lot-merged'))).toMatchObject({
      status: 'STORED',
      producerPartyId: null,
      origin: { kind: 'CONSOLIDATION' },
      clockStartsAt: at(0),
    });
    const a = [...lots().a, ...eventsOf(r.result, 'a')];
    expect(replay(a)).toMatchObject({ status: 'CONSOLIDATED', targetLotId: 'lot-merged' });
  });

  it('accepts exactly the tolerance and refuses one gram beyond it: MASS_MISMATCH', () => {
    expect(
      outcome(() => decideConsolidation(consolidate(['a', 'b', 'c'], 60_600), sourcesOf(lots()))),
    ).toHaveProperty('result');
    expect(
      outcome(() => decideConsolidation(consolidate(['a', 'b', 'c'], 60_601), sourcesOf(lots()))),
    ).toMatchObject({
      error: 'MASS_MISMATCH',
      details: { expectedGrams: 60_000, actualGrams: 60_601 },
    });
    expect(
      outcome(() => decideConsolidation(consolidate(['a', 'b'], 29_699), sourcesOf(lots()))),
    ).toMatchObject({ error: 'MASS_MISMATCH' });
  });

  it('refuses other codes unless a licence item lists them for merging', () => {
    const other = { ...lots(), d: storedLot('d', 5_000, 0, { wasteCode: '900-047-49' }) };
    expect(
      outcome(() => decideConsolidation(consolidate(['a', 'd'], 15_000), sourcesOf(other))),
    ).toMatchObject({
      error: 'BAD_USER_INPUT',
      details: { field: 'sourceLotIds', lotIds: ['d'] },
    });
    expect(
      outcome(() =>
        decideConsolidation(
          consolidate(['a', 'd'], 15_000, { mergeAllowedCodes: ['900-047-49'] }),
          sourcesOf(other),
        ),
      ),
    ).toHaveProperty('result');
  });

  it.each<[string, () => unknown, string]>([
    [
      'a source not STORED',
      () =>
        decideConsolidation(
          consolidate(['a', 'g'], 12_000),
          sourcesOf({ ...lots(), g: play([], generateLot({ lotId: 'g', labelCode: 'G' })) }),
        ),
      'INVALID_TRANSITION',
    ],
    [
      'an unknown source',
      () =>
        decideConsolidation(consolidate(['a', 'zz'], 12_000), [
          ...sourcesOf(lots()),
          { lotId: 'zz', state: { status: 'NONE' } },
        ]),
      'INVALID_TRANSITION',
    ],
    [
      'a source on an open manifest',
      () =>
        decideConsolidation(
          consolidate(['a', 'b'], 30_000),
          sourcesOf({ ...lots(), a: play(lots().a, reserve('m', by(PRODUCER), 'a')) }),
        ),
      'LOT_ON_OPEN_MANIFEST',
    ],
    [
      'a party not holding the sources',
      () => decideConsolidation(consolidate(['a', 'b'], 30_000, {}, by(OUTSIDER)), sourcesOf(lots())),
      'LOT_NOT_IN_CUSTODY',
    ],
    [
      'a party without the licence to consolidate',
      () =>
        decideConsolidation(
          consolidate(['a', 'b'], 30_000, { licensedToConsolidate: false }),
          sourcesOf(lots()),
        ),
      'LICENCE_MODE_MISSING',
    ],
    [
      'a single source',
      () => decideConsolidation(consolidate(['a'], 10_000), sourcesOf(lots())),
      'BAD_USER_INPUT',
    ],
    [
      'a source named twice',
      () => decideConsolidation(consolidate(['a', 'a'], 20_000), sourcesOf(lots())),
      'BAD_USER_INPUT',
    ],
    [
      'an unknown new code',
      () =>
        decideConsolidation(
          consolidate(['a', 'b'], 30_000, { code: { codeExists: false, category: null } }),
          sourcesOf(lots()),
        ),
      'UNKNOWN_WASTE_CODE',
    ],
    [
      'a new lot above the maximum per lot',
      () =>
        decideConsolidation(consolidate(['a', 'b'], 30_000, { maxLotMassGrams: 29_999 }), sourcesOf(lots())),
      'BAD_USER_INPUT',
    ],
    [
      'a facility at another site',
      () =>
        decideConsolidation(
          consolidate(['a', 'b'], 30_000, {}, by(PRODUCER), 'm', FACILITIES.elsewhere),
          sourcesOf(lots()),
        ),
      'BAD_USER_INPUT',
    ],
  ])('refuses %s', (_what, run, code) => {
    expect(outcome(run)).toMatchObject({ error: code });
  });
});

describe('split 分装', () => {
  it('makes STORED parts that inherit code, producer and clock; the difference is booked', () => {
    const r = outcome(() =>
      decideSplit(
        split([
          ['p1', 6_000],
          ['p2', 6_300],
        ]),
        replay(H.stored()),
      ),
    );
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    expect(eventsOf(r.result, LOT)).toEqual([
      {
        type: 'LotSplit',
        data: {
          lotId: LOT,
          massGrams: 12_345,
          parts: [
            { lotId: 'p1', massGrams: 6_000 },
            { lotId: 'p2', massGrams: 6_300 },
          ],
          gainOrLossGrams: -45,
          toleranceBasisPoints: 100,
          at: at(90),
        },
      },
    ]);
    expect(replay(eventsOf(r.result, 'p2'))).toMatchObject({
      status: 'STORED',
      labelCode: 'LBL-p2',
      wasteCode: CODE,
      massGrams: 6_300,
      producerPartyId: PRODUCER,
      clockStartsAt: at(0),
      origin: { kind: 'SPLIT', sourceLotId: LOT },
      facilityId: 'fac-store',
    });
    expect(replay([...H.stored(), ...eventsOf(r.result, LOT)])).toMatchObject({
      status: 'SPLIT',
      parts: [{ lotId: 'p1' }, { lotId: 'p2' }],
    });
  });

  it.each<[string, () => unknown, string]>([
    [
      'parts beyond the tolerance',
      () =>
        decideSplit(
          split(
            [
              ['p1', 6_000],
              ['p2', 6_000],
            ],
            by(PRODUCER),
            LOT,
            0,
          ),
          replay(H.stored()),
        ),
      'MASS_MISMATCH',
    ],
    ['a single part', () => decideSplit(split([['p1', 12_345]]), replay(H.stored())), 'BAD_USER_INPUT'],
    [
      'a part reusing the source id',
      () =>
        decideSplit(
          split([
            [LOT, 6_000],
            ['p2', 6_345],
          ]),
          replay(H.stored()),
        ),
      'BAD_USER_INPUT',
    ],
    [
      'a zero part',
      () =>
        decideSplit(
          split([
            ['p1', 12_345],
            ['p2', 0],
          ]),
          replay(H.stored()),
        ),
      'BAD_USER_INPUT',
    ],
    [
      'a lot not yet stored',
      () =>
        decideSplit(
          split([
            ['p1', 6_000],
            ['p2', 6_345],
          ]),
          replay(H.generated()),
        ),
      'INVALID_TRANSITION',
    ],
    [
      'a lot on an open manifest',
      () =>
        decideSplit(
          split([
            ['p1', 6_000],
            ['p2', 6_345],
          ]),
          replay(H.reserved()),
        ),
      'LOT_ON_OPEN_MANIFEST',
    ],
    [
      'a party not holding the lot',
      () =>
        decideSplit(
          split(
            [
              ['p1', 6_000],
              ['p2', 6_345],
            ],
            by(RECEIVER),
          ),
          replay(H.stored()),
        ),
      'LOT_NOT_IN_CUSTODY',
    ],
  ])('refuses %s', (_what, run, code) => {
    expect(outcome(run)).toMatchObject({ error: code });
  });
});
