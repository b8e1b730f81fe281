import { decideConsolidation, decideSplit, decideTreatment } from './lot-lineage.decider';
import { decideReceipt } from './lot-receipt.decider';
import type { FacilityFact, LotCommand } from './lot.commands';
import { decide } from './lot.decider';
import type { LotDecision, LotEvent } from './lot.events';
import {
  by,
  CARRIER,
  CARRIER_2,
  consolidate,
  deliver,
  eventsOf,
  flyAsh,
  generateLot,
  H,
  handOverExempt,
  LOT,
  loss,
  MANIFEST,
  OUTSIDER,
  outcome,
  play,
  PRODUCER,
  receipt,
  RECEIVER,
  refuseAtLoading,
  relay,
  release,
  replay,
  reserve,
  split,
  store,
  takeCustody,
  treat,
} from './lot.fixtures';
import { LOT_STATUSES, type LotState, type LotStatus } from './lot.state';
import { LOT_TRANSITIONS, lotTransitionsMarkdown, type LotAct, type LotActor } from './lot.transitions';

/**
 * The table is the contract: for every state and every act, `decide` (or the multi-lot decider)
 * allows the act exactly when the table lists the state, ends in a listed next state, creates lots
 * in the listed states, and refuses a party that is not the one the table names.
 */

const with1 = (h: LotEvent[], d: LotDecision) => [...h, ...eventsOf(d, LOT)];
const rejected = () =>
  with1(
    H.delivered(),
    decideReceipt(receipt({ decision: 'REJECTED', reason: 'wrong waste' }), replay(H.delivered())),
  );
const lot2 = () => play([], generateLot({ lotId: 'lot-2', labelCode: 'LBL-2' }), store('lot-2'));

/** A history of lot-1 in each state; `reserved` puts a free lot on an open manifest first. */
function historyOf(status: LotStatus, reserved: boolean): LotEvent[] {
  const onManifest = (h: LotEvent[], who = PRODUCER) =>
    reserved ? play(h, reserve(MANIFEST, by(who, 20))) : h;
  switch (status) {
    case 'NONE':
      return [];
    case 'GENERATED':
      return onManifest(H.generated());
    case 'STORED':
      return onManifest(H.stored());
    case 'IN_TRANSIT':
      return H.inTransit();
    case 'DELIVERED':
      return H.delivered();
    case 'REJECTED':
      return onManifest(rejected(), RECEIVER);
    case 'UTILISED':
      return with1(
        H.stored(),
        decideTreatment(treat([LOT], { method: 'R2' }), [{ lotId: LOT, state: replay(H.stored()) }]),
      );
    case 'DISPOSED':
      return with1(H.stored(), decideTreatment(treat([LOT]), [{ lotId: LOT, state: replay(H.stored()) }]));
    case 'CONSOLIDATED': {
      const sources = [
        { lotId: LOT, state: replay(H.stored()) },
        { lotId: 'lot-2', state: replay(lot2()) },
      ];
      return with1(H.stored(), decideConsolidation(consolidate([LOT, 'lot-2'], 24_690), sources));
    }
    case 'SPLIT':
      return with1(
        H.stored(),
        decideSplit(
          split([
            ['p1', 6_000],
            ['p2', 6_345],
          ]),
          replay(H.stored()),
        ),
      );
    case 'LOST':
      return play(H.stored(), loss(null));
  }
}

const NEEDS_RESERVATION: ReadonlySet<LotAct> = new Set([
  'RELEASE_FROM_MANIFEST',
  'TAKE_CUSTODY',
  'REFUSE_AT_LOADING',
]);

interface Ran {
  readonly events: readonly LotEvent[];
  readonly created: readonly LotState[];
}
type Variant = (s: LotState, who?: string) => Ran;

const custodian = (s: LotState) => ('custodianPartyId' in s ? s.custodianPartyId : PRODUCER);
const siteOf = (s: LotState) => ('siteId' in s && s.siteId !== null ? s.siteId : 'site-clinic');
const massOf = (s: LotState) => ('massGrams' in s ? s.massGrams : 12_345);
const manifestOf = (s: LotState) =>
  'openManifestId' in s ? (s.openManifestId ?? MANIFEST) : 'manifestId' in s ? s.manifestId : MANIFEST;
const facilityFor = (s: LotState, type = 'STORAGE_WAREHOUSE'): FacilityFact => ({
  facilityId: 'fac-new',
  siteId: siteOf(s),
  partyId: custodian(s),
  type,
});

const single = (c: LotCommand, s: LotState): Ran => ({ events: decide(c, s), created: [] });
const multi = (d: LotDecision): Ran => ({
  events: eventsOf(d, LOT),
  created: d.newLotEvents.map((n) => replay(n.events)),
});

/** Valid commands for each act, given the lot's state, by the party the table names (or `who`). */
const VARIANTS: Record<LotAct, Variant[]> = {
  GENERATE: [(s, who) => single(generateLot({}, by(who ?? PRODUCER)), s)],
  STORE: [(s, who) => single(store(LOT, facilityFor(s), by(who ?? custodian(s), 10)), s)],
  RESERVE_ON_MANIFEST: [(s, who) => single(reserve('man-new', by(who ?? custodian(s), 20)), s)],
  RELEASE_FROM_MANIFEST: [(s, who) => single(release(manifestOf(s), by(who ?? custodian(s), 25)), s)],
  TAKE_CUSTODY: [(s, who) => single(takeCustody({ manifestId: manifestOf(s) }, by(who ?? CARRIER, 30)), s)],
  REFUSE_AT_LOADING: [(s, who) => single(refuseAtLoading(manifestOf(s), by(who ?? CARRIER, 30)), s)],
  HAND_OVER_EXEMPT: [(s, who) => single(handOverExempt({}, by(who ?? custodian(s), 15)), s)],
  CONSOLIDATE: [
    (s, who) => {
      const fac = facilityFor(s);
      const other = {
        ...replay(lot2()),
        custodianPartyId: custodian(s),
        siteId: siteOf(s),
        facilityId: 'fac-new',
      } as LotState;
      const c = consolidate(
        [LOT, 'lot-2'],
        massOf(s) + 12_345,
        { facility: fac },
        by(who ?? custodian(s), 80),
        'lot-merged',
        fac,
      );
      return multi(
        decideConsolidation(c, [
          { lotId: LOT, state: s },
          { lotId: 'lot-2', state: other },
        ]),
      );
    },
  ],
  SPLIT: [
    (s, who) =>
      multi(
        decideSplit(
          split(
            [
              ['p1', 1],
              ['p2', massOf(s) - 1],
            ],
            by(who ?? custodian(s), 90),
          ),
          s,
        ),
      ),
  ],
  TREAT: ['D10', 'R2'].map((method): Variant => (s, who) => {
    const fac = facilityFor(s);
    const residues = method === 'D10' ? [flyAsh('ash-1', 500)] : [];
    const c = treat(
      [LOT],
      { method, residues, facilityId: fac.facilityId, facts: { facility: fac } },
      by(who ?? custodian(s), 100),
    );
    return multi(decideTreatment(c, [{ lotId: LOT, state: s }]));
  }),
  RELAY: [(s, who) => single(relay(by(who ?? CARRIER_2, 40), CARRIER_2, manifestOf(s)), s)],
  DELIVER: [(s, who) => single(deliver(by(who ?? custodian(s), 50), RECEIVER, manifestOf(s)), s)],
  RECEIVE: [
    { decision: 'ACCEPTED' as const },
    { decision: 'REJECTED' as const, reason: 'wrong waste' },
    {
      decision: 'PARTIALLY_ACCEPTED' as const,
      rejectedMassGrams: 45,
      rejectedPart: { lotId: 'lot-r', labelCode: 'R' },
      reason: 'wet',
    },
  ].map(
    (over): Variant =>
      (s, who) =>
        multi(decideReceipt(receipt({ ...over, manifestId: manifestOf(s) }, by(who ?? RECEIVER, 70)), s)),
  ),
  RECORD_LOSS: [1, null].map(
    (g): Variant =>
      (s, who) =>
        single(loss(g, by(who ?? custodian(s), 60)), s),
  ),
};

const OUTSIDER_REFUSAL: Record<LotActor, string> = {
  PRODUCER: 'FORBIDDEN',
  CUSTODIAN: 'LOT_NOT_IN_CUSTODY',
  NAMED_CARRIER: 'FORBIDDEN',
  NEXT_CARRIER: 'FORBIDDEN',
  CUSTODIAN_OR_NAMED_RECEIVER: 'FORBIDDEN',
  NAMED_RECEIVER: 'FORBIDDEN',
};

describe('LOT_TRANSITIONS is what decide does', () => {
  const reached = new Map<LotAct, Set<string>>();
  const created = new Map<LotAct, Set<string>>();

  describe.each(LOT_STATUSES.map((s) => [s]))('in state %s', (status) => {
    it.each(LOT_TRANSITIONS.map((t) => [t.act, t] as const))('%s', (act, t) => {
      const history = historyOf(status, NEEDS_RESERVATION.has(act));
      const state = replay(history);
      expect(state.status).toBe(status);
      for (const variant of VARIANTS[act]) {
        const r = outcome(() => variant(state));
        if (!t.from.includes(status)) {
          expect(r).toMatchObject({ error: 'INVALID_TRANSITION', details: { currentState: status } });
          continue;
        }
        if (!('result' in r))
          throw new Error(`${act} in ${status} refused: ${r.error} ${JSON.stringify(r.details)}`);
        const next = replay([...history, ...r.result.events]).status;
        const label = next === status && t.to.includes('SAME') ? 'SAME' : next;
        expect(t.to).toContain(label);
        reached.set(act, (reached.get(act) ?? new Set()).add(label));
        for (const lot of r.result.created) {
          expect(t.creates).toContain(lot.status);
          created.set(act, (created.get(act) ?? new Set()).add(lot.status));
        }
        expect(outcome(() => variant(state, OUTSIDER))).toMatchObject({ error: OUTSIDER_REFUSAL[t.by] });
      }
    });
  });

  it('reaches every next state and creates every state the table lists', () => {
    for (const t of LOT_TRANSITIONS) {
      expect([...(reached.get(t.act) ?? [])].sort()).toEqual([...t.to].sort());
      expect([...(created.get(t.act) ?? [])].sort()).toEqual([...t.creates].sort());
    }
  });

  it('lists every act once, with a command and Chinese term, and renders for the README', () => {
    expect(new Set(LOT_TRANSITIONS.map((t) => t.act)).size).toBe(Object.keys(VARIANTS).length);
    expect(lotTransitionsMarkdown()).toContain(
      '| STORED | CONSOLIDATE (合并) | `ConsolidateLots` | CONSOLIDATED | STORED |',
    );
    expect(lotTransitionsMarkdown().split('\n')).toHaveLength(LOT_TRANSITIONS.length + 2);
  });

  it('leaves terminal states with no act', () => {
    for (const status of ['UTILISED', 'DISPOSED', 'CONSOLIDATED', 'SPLIT', 'LOST'] as const) {
      expect(LOT_TRANSITIONS.filter((t) => t.from.includes(status))).toEqual([]);
    }
  });
});
