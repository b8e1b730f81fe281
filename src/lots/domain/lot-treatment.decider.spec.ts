import { decideTreatment, type LotSource } from './lot-lineage.decider';
import type { LotEvent } from './lot.events';
import {
  at,
  by,
  CODE,
  eventsOf,
  FACILITIES,
  flyAsh,
  H,
  LOT,
  outcome,
  PRODUCER,
  RECEIVER,
  replay,
  treat,
} from './lot.fixtures';

const sourcesOf = (histories: Record<string, LotEvent[]>): LotSource[] =>
  Object.entries(histories).map(([lotId, h]) => ({ lotId, state: replay(h) }));

describe('treatment 利用 / 处置', () => {
  const sources = () => sourcesOf({ [LOT]: H.stored() });

  it('disposes of a lot under a licensed mode and opens residue lots linked to it', () => {
    const r = outcome(() =>
      decideTreatment(
        treat([LOT], { residues: [flyAsh('ash-1', 900)], facts: { emergency: true } }),
        sources(),
      ),
    );
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    expect(eventsOf(r.result, LOT)).toEqual([
      {
        type: 'LotTreated',
        data: {
          lotId: LOT,
          method: 'D10',
          mode: 'DISPOSE',
          treatedMassGrams: 12_345,
          residueLotIds: ['ash-1'],
          treaterPartyId: PRODUCER,
          siteId: 'site-clinic',
          facilityId: 'fac-store',
          ownFacility: false,
          emergency: true,
          at: at(100),
        },
      },
    ]);
    expect(replay([...H.stored(), ...eventsOf(r.result, LOT)])).toMatchObject({
      status: 'DISPOSED',
      method: 'D10',
      residueLotIds: ['ash-1'],
    });
    expect(replay(eventsOf(r.result, 'ash-1'))).toMatchObject({
      status: 'GENERATED',
      category: 'HW18',
      massGrams: 900,
      producerPartyId: PRODUCER,
      origin: { kind: 'RESIDUE', sourceLotIds: [LOT] },
      clockStartsAt: at(100),
      emergency: true,
    });
  });

  it('utilises with an R method', () => {
    const r = outcome(() => decideTreatment(treat([LOT], { method: 'R2' }), sources()));
    if (!('result' in r)) throw new Error(`refused: ${r.error}`);
    expect(replay([...H.stored(), ...eventsOf(r.result, LOT)])).toMatchObject({ status: 'UTILISED' });
  });

  it('lets a producer treat its own waste at its own facility without a licence', () => {
    const own = treat([LOT], {
      facilityId: 'fac-own',
      facts: { facility: FACILITIES.own, licensedModes: {} },
    });
    expect(outcome(() => decideTreatment(own, sources()))).toMatchObject({
      result: { sourceEvents: [{ events: [{ data: { ownFacility: true } }] }] },
    });
  });

  it.each<[string, () => unknown, string]>([
    [
      'a mode the licence lacks',
      () => decideTreatment(treat([LOT], { facts: { licensedModes: { [CODE]: ['UTILISE'] } } }), sources()),
      'LICENCE_MODE_MISSING',
    ],
    [
      'a code no licence covers',
      () => decideTreatment(treat([LOT], { facts: { licensedModes: {} } }), sources()),
      'LICENCE_MODE_MISSING',
    ],
    [
      'an unknown method',
      () => decideTreatment(treat([LOT], { method: 'D16' }), sources()),
      'BAD_USER_INPUT',
    ],
    [
      'a facility at another site',
      () =>
        decideTreatment(
          treat([LOT], { facilityId: 'fac-far', facts: { facility: FACILITIES.elsewhere } }),
          sources(),
        ),
      'BAD_USER_INPUT',
    ],
    [
      'a residue of an unknown code',
      () =>
        decideTreatment(
          treat([LOT], { residues: [{ ...flyAsh('ash', 5), wasteCode: '999-999-18' }] }),
          sources(),
        ),
      'UNKNOWN_WASTE_CODE',
    ],
    [
      'a residue without mass',
      () => decideTreatment(treat([LOT], { residues: [flyAsh('ash', 0)] }), sources()),
      'BAD_USER_INPUT',
    ],
    [
      'a lot on an open manifest',
      () => decideTreatment(treat([LOT]), sourcesOf({ [LOT]: H.reserved() })),
      'LOT_ON_OPEN_MANIFEST',
    ],
    [
      'a lot in transit',
      () => decideTreatment(treat([LOT]), sourcesOf({ [LOT]: H.inTransit() })),
      'INVALID_TRANSITION',
    ],
    [
      'a party not holding the lot',
      () => decideTreatment(treat([LOT], {}, by(RECEIVER)), sources()),
      'LOT_NOT_IN_CUSTODY',
    ],
    ['no lots', () => decideTreatment(treat([]), sources()), 'BAD_USER_INPUT'],
  ])('refuses %s', (_what, run, code) => {
    expect(outcome(run)).toMatchObject({ error: code });
  });
});
