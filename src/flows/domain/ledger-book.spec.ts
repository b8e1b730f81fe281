import {
  decideConsolidation,
  decideReceipt,
  decideSplit,
  decideTreatment,
  type LotEvent,
} from '../../lots/domain';
import {
  by,
  CARRIER,
  CENTRE,
  consolidate,
  eventsOf,
  FACILITIES,
  generateLot,
  H,
  handOverExempt,
  loss,
  play,
  PRODUCER,
  receipt,
  RECEIVER,
  replay,
  split,
  store,
  treat,
} from '../../lots/domain/lot.fixtures';
import { bookLotEvent, type BookEntry, type BookLot, type GoLiveMark } from './ledger-book';

/** Books a history of lot events (any lots, in order) as the projection does. */
function book(events: readonly LotEvent[], marks: Record<string, GoLiveMark> = {}) {
  const lots = new Map<string, BookLot>();
  const entries: BookEntry[] = [];
  for (const e of events) {
    const step = bookLotEvent(
      e,
      lots.get(e.data.lotId) ?? null,
      e.type === 'LotGenerated' ? (marks[e.data.lotId] ?? null) : null,
    );
    if (step.after) lots.set(step.after.lotId, step.after);
    entries.push(...step.entries);
  }
  return { lots, entries };
}

/** Stock per site and code from the entries. */
function balance(entries: readonly BookEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries)
    out[`${e.siteId}|${e.wasteCode}`] = (out[`${e.siteId}|${e.wasteCode}`] ?? 0) + e.signedGrams;
  return out;
}

/** Stock per site and code from what the book says each lot is. */
function held(lots: ReadonlyMap<string, BookLot>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lots.values())
    if (l.siteId) out[`${l.siteId}|${l.wasteCode}`] = (out[`${l.siteId}|${l.wasteCode}`] ?? 0) + l.massGrams;
  return out;
}

const kinds = (entries: readonly BookEntry[]) => entries.map((e) => `${e.siteId}:${e.kind}:${e.massGrams}`);

describe('ledger book (管理台账) — one entry per lot movement', () => {
  it('generation, store-in and a move between facilities: one IN, then movements that keep the stock', () => {
    const events = play(H.stored(), store('lot-1', FACILITIES.store2, by(PRODUCER, 12)));
    const { entries, lots } = book(events);
    expect(kinds(entries)).toEqual([
      'site-clinic:GENERATED:12345',
      'site-clinic:STORED_IN:12345',
      'site-clinic:STORED_OUT:12345',
      'site-clinic:STORED_IN:12345',
    ]);
    expect(entries.map((e) => e.facilityId)).toEqual(['fac-prod', 'fac-store', 'fac-store', 'fac-store-2']);
    expect(balance(entries)).toEqual({ 'site-clinic|900-041-49': 12_345 });
    expect(held(lots)).toEqual(balance(entries));
  });

  it('a transfer: SENT_OUT at the consignor when custody is taken, RECEIVED at the accepted (measured) mass', () => {
    const delivered = H.delivered();
    const d = decideReceipt(receipt({ measuredMassGrams: 12_000 }), replay(delivered));
    const { entries, lots } = book([...delivered, ...eventsOf(d, 'lot-1')]);
    expect(kinds(entries).slice(-2)).toEqual(['site-clinic:SENT_OUT:12345', 'site-disposer:RECEIVED:12000']);
    const [sent, received] = entries.slice(-2);
    expect(sent).toMatchObject({
      manifestId: 'man-1',
      counterpartyPartyId: CARRIER,
      direction: 'OUT',
      signedGrams: -12_345,
    });
    expect(received).toMatchObject({
      manifestId: 'man-1',
      counterpartyPartyId: PRODUCER,
      partyId: RECEIVER,
      signedGrams: 12_000,
    });
    expect(balance(entries)).toEqual({ 'site-clinic|900-041-49': 0, 'site-disposer|900-041-49': 12_000 });
    expect(held(lots)).toEqual({ 'site-disposer|900-041-49': 12_000 });
  });

  it('a rejected lot, or the rejected part, stays out of the receiver’s stock', () => {
    const delivered = H.delivered();
    const partial = decideReceipt(
      receipt({
        decision: 'PARTIALLY_ACCEPTED',
        rejectedMassGrams: 2_345,
        rejectedPart: { lotId: 'lot-rej', labelCode: 'LBL-REJ' },
        reason: 'wrong drum',
      }),
      replay(delivered),
    );
    const p = book([...delivered, ...eventsOf(partial, 'lot-1'), ...eventsOf(partial, 'lot-rej')]);
    expect(balance(p.entries)['site-disposer|900-041-49']).toBe(10_000);
    expect(p.lots.get('lot-rej')?.siteId).toBeNull();
    const rejected = decideReceipt(
      receipt({ decision: 'REJECTED', reason: 'not as declared' }),
      replay(delivered),
    );
    const r = book([...delivered, ...eventsOf(rejected, 'lot-1')]);
    expect(r.entries.filter((e) => e.siteId === 'site-disposer')).toEqual([]);
  });

  it('exempt handover (豁免): SENT_OUT at the clinic and RECEIVED at the centre, same mass, no manifest', () => {
    const events = play(H.generated(), handOverExempt());
    const { entries } = book(events);
    expect(kinds(entries)).toEqual([
      'site-clinic:GENERATED:12345',
      'site-clinic:SENT_OUT:12345',
      'site-centre:RECEIVED:12345',
    ]);
    expect(entries[1]).toMatchObject({ exempt: true, manifestId: null, counterpartyPartyId: CENTRE });
    expect(entries[2]).toMatchObject({ exempt: true, counterpartyPartyId: PRODUCER });
  });

  it('consolidation and split: sources out, new lots in, the gain or loss follows from the masses', () => {
    const a = play([], generateLot({ lotId: 'a', massGrams: 10_000 }), store('a'));
    const b = play([], generateLot({ lotId: 'b', massGrams: 5_000 }), store('b'));
    const merged = decideConsolidation(consolidate(['a', 'b'], 14_990), [
      { lotId: 'a', state: replay(a) },
      { lotId: 'b', state: replay(b) },
    ]);
    const mergedEvents = [
      ...eventsOf(merged, 'a'),
      ...eventsOf(merged, 'b'),
      ...eventsOf(merged, 'lot-merged'),
    ];
    const parts = decideSplit(
      split(
        [
          ['p1', 7_000],
          ['p2', 7_990],
        ],
        by(PRODUCER, 95),
        'lot-merged',
      ),
      replay(eventsOf(merged, 'lot-merged')),
    );
    const { entries, lots } = book([
      ...a,
      ...b,
      ...mergedEvents,
      ...eventsOf(parts, 'lot-merged'),
      ...eventsOf(parts, 'p1'),
      ...eventsOf(parts, 'p2'),
    ]);
    expect(kinds(entries.filter((e) => e.direction !== 'NONE'))).toEqual([
      'site-clinic:GENERATED:10000',
      'site-clinic:GENERATED:5000',
      'site-clinic:CONSOLIDATED_OUT:10000',
      'site-clinic:CONSOLIDATED_OUT:5000',
      'site-clinic:CONSOLIDATED_IN:14990',
      'site-clinic:SPLIT_OUT:14990',
      'site-clinic:SPLIT_IN:7000',
      'site-clinic:SPLIT_IN:7990',
    ]);
    expect(balance(entries)).toEqual({ 'site-clinic|900-041-49': 14_990 });
    expect(held(lots)).toEqual(balance(entries));
  });

  it('treatment in house (UTILISED / DISPOSED with the method) makes a residue that is generated anew', () => {
    const stored = H.stored();
    const d = decideTreatment(treat(['lot-1'], { method: 'D10', residues: [{ ...flyAshLot() }] }), [
      { lotId: 'lot-1', state: replay(stored) },
    ]);
    const { entries } = book([...stored, ...eventsOf(d, 'lot-1'), ...eventsOf(d, 'ash')]);
    expect(kinds(entries).slice(-2)).toEqual(['site-clinic:DISPOSED:12345', 'site-clinic:GENERATED:1200']);
    expect(entries.at(-2)).toMatchObject({ method: 'D10', direction: 'OUT' });
    expect(entries.at(-1)).toMatchObject({ wasteCode: '772-002-18', relatedLotId: 'lot-1' });
  });

  it('losses: part of a lot, then the rest; the total loss books what the book holds', () => {
    const events = play(H.stored(), loss(345), loss(null, by(PRODUCER, 70)));
    const { entries, lots } = book(events);
    expect(kinds(entries).slice(-2)).toEqual(['site-clinic:LOST:345', 'site-clinic:LOST:12000']);
    expect(balance(entries)).toEqual({ 'site-clinic|900-041-49': 0 });
    expect(lots.get('lot-1')?.siteId).toBeNull();
  });

  it('a lot opened by the go-live import is OPENING_STOCK at go-live, and its store-in is not a movement', () => {
    const events = H.stored();
    const mark = { siteId: 'site-clinic', goLiveAt: '2025-07-01T00:00:00.000Z' };
    const { entries } = book(play([], generateLot(), store('lot-1', FACILITIES.production)), {
      'lot-1': mark,
    });
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'OPENING_STOCK',
        at: mark.goLiveAt,
        imported: true,
        direction: 'IN',
        massGrams: 12_345,
      }),
    ]);
    expect(book(events).entries[0].kind).toBe('GENERATED');
  });

  it('events that move no stock (reservations, relays, deliveries) book nothing', () => {
    const history = H.delivered();
    const { entries } = book(history);
    expect(kinds(entries)).toEqual([
      'site-clinic:GENERATED:12345',
      'site-clinic:STORED_IN:12345',
      'site-clinic:SENT_OUT:12345',
    ]);
  });
});

function flyAshLot() {
  return {
    lotId: 'ash',
    labelCode: 'LBL-ash',
    batchCode: 'B-ASH',
    wasteCode: '772-002-18',
    massGrams: 1_200,
    massBasis: 'WEIGHED' as const,
    form: 'SOLID' as const,
    packaging: 'ton bag',
    mainComponents: ['fly ash'],
    hazards: ['T' as const],
    medicalClass: null,
  };
}
