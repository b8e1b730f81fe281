import type { LotEvent } from '../../lots/domain/lot.events';
import {
  type BookEntry,
  type BookLot,
  DIRECTION,
  type EntryKind,
  type GoLiveMark,
} from './ledger-book.types';

export * from './ledger-book.types';

/**
 * 管理台账 — the management ledger of a site (HJ 1259-2022 ch. 6, SPEC section 9.2) as a pure
 * function of the lot events: each movement of a lot in or out of a site's stock, or between its
 * facilities, becomes one entry. A lot is "booked" at one site at a time (the site whose stock it
 * is in); the book's balance per code is the sum of the masses of the lots booked there, so that
 * for any period closing = opening + ins − outs, to the gram, by construction.
 *
 * Masses: an entry carries the mass that entered or left the site's stock (the lot's mass then);
 * a receipt books the mass the receiver measured and accepted (SPEC section 9). Lots a receiver
 * rejected, held only until they leave on a return manifest, are not in its stock.
 */

type Data<T extends LotEvent['type']> = Extract<LotEvent, { type: T }>['data'];

interface EntryFields {
  kind: EntryKind;
  siteId: string;
  partyId: string;
  facilityId: string | null;
  massGrams: number;
  at: string;
  counterpartyPartyId?: string | null;
  manifestId?: string | null;
  relatedLotId?: string | null;
  method?: string | null;
  exempt?: boolean;
}

function entry(lot: BookLot, f: EntryFields): BookEntry {
  const direction = DIRECTION[f.kind];
  return {
    siteId: f.siteId,
    partyId: f.partyId,
    facilityId: f.facilityId,
    kind: f.kind,
    direction,
    massGrams: f.massGrams,
    signedGrams: direction === 'IN' ? f.massGrams : direction === 'OUT' ? -f.massGrams : 0,
    lotId: lot.lotId,
    labelCode: lot.labelCode,
    batchCode: lot.batchCode,
    wasteCode: lot.wasteCode,
    category: lot.category,
    counterpartyPartyId: f.counterpartyPartyId ?? null,
    manifestId: f.manifestId ?? null,
    relatedLotId: f.relatedLotId ?? null,
    method: f.method ?? null,
    exempt: f.exempt ?? false,
    imported: lot.imported,
    at: f.at,
  };
}

/** The result of one lot event: the entries it adds, and the lot as the book now knows it. */
export interface BookStep {
  readonly entries: readonly BookEntry[];
  readonly after: BookLot | null;
}

const none = (lot: BookLot | null): BookStep => ({ entries: [], after: lot });

function opened(
  d: Data<
    | 'LotGenerated'
    | 'LotCreatedAsResidue'
    | 'LotCreatedByConsolidation'
    | 'LotCreatedBySplit'
    | 'LotRejectedPartCreated'
  >,
  partyId: string,
  booked: boolean,
  imported: boolean,
): BookLot {
  return {
    lotId: d.lotId,
    labelCode: d.labelCode,
    batchCode: d.batchCode,
    wasteCode: d.wasteCode,
    category: d.category,
    siteId: booked ? d.siteId : null,
    partyId: booked ? partyId : null,
    facilityId: booked ? d.facilityId : null,
    massGrams: d.massGrams,
    sentFromPartyId: null,
    imported,
  };
}

/** Takes a booked lot out of its site's stock with an OUT entry; unbooked lots leave nothing. */
function out(
  lot: BookLot | null,
  kind: EntryKind,
  massGrams: number,
  at: string,
  extra: Partial<EntryFields> = {},
) {
  if (!lot?.siteId || !lot.partyId) return null;
  return entry(lot, {
    kind,
    siteId: lot.siteId,
    partyId: lot.partyId,
    facilityId: lot.facilityId,
    massGrams,
    at,
    ...extra,
  });
}

/**
 * The book's reading of one lot event. `before` is the lot as the book knew it (null before its
 * opening event); `mark` is set when the go-live import opened the lot.
 */
export function bookLotEvent(ev: LotEvent, before: BookLot | null, mark: GoLiveMark | null): BookStep {
  switch (ev.type) {
    case 'LotGenerated': {
      const d = ev.data;
      const lot = opened(d, d.producerPartyId, true, mark !== null);
      const e = mark
        ? entry(lot, {
            kind: 'OPENING_STOCK',
            siteId: d.siteId,
            partyId: d.producerPartyId,
            facilityId: d.facilityId,
            massGrams: d.massGrams,
            at: mark.goLiveAt,
          })
        : entry(lot, {
            kind: 'GENERATED',
            siteId: d.siteId,
            partyId: d.producerPartyId,
            facilityId: d.facilityId,
            massGrams: d.massGrams,
            at: d.at,
          });
      return { entries: [e], after: lot };
    }
    case 'LotCreatedAsResidue': {
      const d = ev.data;
      const lot = opened(d, d.producerPartyId, true, false);
      const related = d.sourceLotIds[0] ?? null;
      return {
        entries: [
          entry(lot, {
            kind: 'GENERATED',
            siteId: d.siteId,
            partyId: d.producerPartyId,
            facilityId: d.facilityId,
            massGrams: d.massGrams,
            at: d.at,
            relatedLotId: related,
          }),
        ],
        after: lot,
      };
    }
    case 'LotCreatedByConsolidation': {
      const d = ev.data;
      const lot = opened(d, d.originPartyId, true, false);
      const related = d.sources[0]?.lotId ?? null;
      return {
        entries: [
          entry(lot, {
            kind: 'CONSOLIDATED_IN',
            siteId: d.siteId,
            partyId: d.originPartyId,
            facilityId: d.facilityId,
            massGrams: d.massGrams,
            at: d.at,
            relatedLotId: related,
          }),
        ],
        after: lot,
      };
    }
    case 'LotCreatedBySplit': {
      const d = ev.data;
      const lot = opened(d, d.originPartyId, true, false);
      return {
        entries: [
          entry(lot, {
            kind: 'SPLIT_IN',
            siteId: d.siteId,
            partyId: d.originPartyId,
            facilityId: d.facilityId,
            massGrams: d.massGrams,
            at: d.at,
            relatedLotId: d.sourceLotId,
          }),
        ],
        after: lot,
      };
    }
    case 'LotRejectedPartCreated':
      // the refused part of a partial acceptance: held by the receiver for return, not its stock
      return {
        entries: [],
        after: { ...opened(ev.data, ev.data.receiverPartyId, false, false), sentFromPartyId: null },
      };
    case 'LotStored': {
      const d = ev.data;
      if (!before?.siteId || !before.partyId) return none(before);
      // the go-live import stores its lots where they already are: the opening entry says so
      if (before.imported && before.facilityId === d.facilityId) return none(before);
      const e = entry(before, {
        kind: 'STORED_IN',
        siteId: before.siteId,
        partyId: before.partyId,
        facilityId: d.facilityId,
        massGrams: before.massGrams,
        at: d.at,
      });
      return { entries: [e], after: { ...before, facilityId: d.facilityId } };
    }
    case 'LotMoved': {
      const d = ev.data;
      if (!before?.siteId || !before.partyId) return none(before);
      const common = {
        siteId: before.siteId,
        partyId: before.partyId,
        massGrams: before.massGrams,
        at: d.at,
      };
      return {
        entries: [
          entry(before, { ...common, kind: 'STORED_OUT', facilityId: d.fromFacilityId }),
          entry(before, { ...common, kind: 'STORED_IN', facilityId: d.toFacilityId }),
        ],
        after: { ...before, facilityId: d.toFacilityId },
      };
    }
    case 'LotCustodyTaken': {
      const d = ev.data;
      if (!before) return none(before);
      const e = out(before, 'SENT_OUT', before.massGrams, d.at, {
        counterpartyPartyId: d.carrierPartyId,
        manifestId: d.manifestId,
      });
      return {
        entries: e ? [e] : [],
        after: { ...before, siteId: null, partyId: null, facilityId: null, sentFromPartyId: d.fromPartyId },
      };
    }
    case 'LotReceived': {
      const d = ev.data;
      if (!before) return none(before);
      if (d.decision === 'REJECTED')
        return { entries: [], after: { ...before, siteId: null, partyId: null, facilityId: null } };
      const lot: BookLot = {
        ...before,
        siteId: d.siteId,
        partyId: d.receiverPartyId,
        facilityId: d.facilityId,
        massGrams: d.acceptedMassGrams,
      };
      const e = entry(lot, {
        kind: 'RECEIVED',
        siteId: d.siteId,
        partyId: d.receiverPartyId,
        facilityId: d.facilityId,
        massGrams: d.acceptedMassGrams,
        at: d.at,
        counterpartyPartyId: before.sentFromPartyId,
        manifestId: d.manifestId,
      });
      return { entries: [e], after: lot };
    }
    case 'LotHandedOverExempt': {
      const d = ev.data;
      if (!before) return none(before);
      const sent = out(before, 'SENT_OUT', before.massGrams, d.at, {
        counterpartyPartyId: d.toPartyId,
        exempt: true,
      });
      const lot: BookLot = {
        ...before,
        siteId: d.toSiteId,
        partyId: d.toPartyId,
        facilityId: d.toFacilityId,
        sentFromPartyId: d.fromPartyId,
      };
      const received = entry(lot, {
        kind: 'RECEIVED',
        siteId: d.toSiteId,
        partyId: d.toPartyId,
        facilityId: d.toFacilityId,
        massGrams: before.massGrams,
        at: d.at,
        counterpartyPartyId: d.fromPartyId,
        exempt: true,
      });
      return { entries: sent ? [sent, received] : [received], after: lot };
    }
    case 'LotConsolidatedInto': {
      const e = out(before, 'CONSOLIDATED_OUT', before?.massGrams ?? 0, ev.data.at, {
        relatedLotId: ev.data.targetLotId,
      });
      return {
        entries: e ? [e] : [],
        after: before && { ...before, siteId: null, partyId: null, facilityId: null },
      };
    }
    case 'LotSplit': {
      const e = out(before, 'SPLIT_OUT', before?.massGrams ?? 0, ev.data.at, {
        relatedLotId: ev.data.parts[0]?.lotId ?? null,
      });
      return {
        entries: e ? [e] : [],
        after: before && { ...before, siteId: null, partyId: null, facilityId: null },
      };
    }
    case 'LotTreated': {
      const d = ev.data;
      const kind = d.mode === 'UTILISE' ? 'UTILISED' : 'DISPOSED';
      const e = out(before, kind, before?.massGrams ?? 0, d.at, {
        method: d.method,
        facilityId: d.facilityId,
      });
      return {
        entries: e ? [e] : [],
        after: before && { ...before, siteId: null, partyId: null, facilityId: null },
      };
    }
    case 'LotLossRecorded': {
      const d = ev.data;
      // a total loss takes whatever the book holds, so that the balance stays exact
      const lost = d.total && before ? before.massGrams : d.massGrams;
      const e = out(before, 'LOST', lost, d.at, { manifestId: d.manifestId });
      const after =
        before &&
        (d.total
          ? { ...before, siteId: null, partyId: null, facilityId: null, massGrams: 0 }
          : { ...before, massGrams: d.remainingMassGrams });
      return { entries: e ? [e] : [], after };
    }
    case 'LotReservedOnManifest':
    case 'LotReleasedFromManifest':
    case 'LotRefusedAtLoading':
    case 'LotRelayed':
    case 'LotDelivered':
      return none(before);
  }
}
