import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import type { LotEvent, LotEventType } from '../../lots/domain/lot.events';
import { bookLotEvent, type BookEntry, type BookLot, type GoLiveMark } from '../domain/ledger-book';
import type { GoLiveImported } from '../domain/flows.events';

/** The lot events that can change a ledger book (reservations, relays and deliveries cannot). */
export const BOOK_LOT_EVENT_TYPES: readonly LotEventType[] = [
  'LotGenerated',
  'LotStored',
  'LotMoved',
  'LotCustodyTaken',
  'LotReceived',
  'LotRejectedPartCreated',
  'LotHandedOverExempt',
  'LotConsolidatedInto',
  'LotCreatedByConsolidation',
  'LotSplit',
  'LotCreatedBySplit',
  'LotTreated',
  'LotCreatedAsResidue',
  'LotLossRecorded',
];

interface FlowLotRow {
  lot_id: string;
  label_code: string;
  batch_code: string;
  waste_code: string;
  category: string;
  site_id: string | null;
  party_id: string | null;
  facility_id: string | null;
  mass_grams: string;
  sent_from_party_id: string | null;
  imported: boolean;
}

const toBookLot = (r: FlowLotRow): BookLot => ({
  lotId: r.lot_id,
  labelCode: r.label_code,
  batchCode: r.batch_code,
  wasteCode: r.waste_code,
  category: r.category,
  siteId: r.site_id,
  partyId: r.party_id,
  facilityId: r.facility_id,
  massGrams: Number(r.mass_grams),
  sentFromPartyId: r.sent_from_party_id,
  imported: r.imported,
});

async function saveLot(sql: Sql, l: BookLot): Promise<void> {
  await sql.exec(
    `INSERT INTO flow_lot (lot_id, label_code, batch_code, waste_code, category, site_id, party_id, facility_id, mass_grams,
                           sent_from_party_id, imported)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (lot_id) DO UPDATE SET site_id = excluded.site_id, party_id = excluded.party_id,
       facility_id = excluded.facility_id, mass_grams = excluded.mass_grams, sent_from_party_id = excluded.sent_from_party_id`,
    [
      l.lotId,
      l.labelCode,
      l.batchCode,
      l.wasteCode,
      l.category,
      l.siteId,
      l.partyId,
      l.facilityId,
      l.massGrams,
      l.sentFromPartyId,
      l.imported,
    ],
  );
}

async function insertEntries(sql: Sql, e: StoredEvent, entries: readonly BookEntry[]): Promise<void> {
  for (const [seq, x] of entries.entries()) {
    await sql.exec(
      `INSERT INTO ledger_book_entry (position, seq, site_id, party_id, facility_id, kind, direction, mass_grams, signed_grams,
         lot_id, label_code, batch_code, waste_code, category, counterparty_party_id, manifest_id, related_lot_id, method,
         exempt, imported, at, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
      [
        e.position,
        seq,
        x.siteId,
        x.partyId,
        x.facilityId,
        x.kind,
        x.direction,
        x.massGrams,
        x.signedGrams,
        x.lotId,
        x.labelCode,
        x.batchCode,
        x.wasteCode,
        x.category,
        x.counterpartyPartyId,
        x.manifestId,
        x.relatedLotId,
        x.method,
        x.exempt,
        x.imported,
        x.at,
        e.recordedAt,
      ],
    );
  }
}

async function goLive(sql: Sql, e: StoredEvent): Promise<void> {
  const d = e.data as unknown as GoLiveImported['data'];
  await sql.exec(
    `INSERT INTO flow_site (site_id, party_id, stream_id, go_live_at, imported_position) VALUES ($1, $2, $3, $4, $5)`,
    [d.siteId, d.partyId, e.streamId, d.goLiveAt, e.position],
  );
  for (const l of d.openingStock) {
    await sql.exec(`INSERT INTO flow_golive_lot (lot_id, site_id, go_live_at) VALUES ($1, $2, $3)`, [
      l.lotId,
      d.siteId,
      d.goLiveAt,
    ]);
  }
  for (const a of d.pastAnnualAmounts) {
    await sql.exec(`INSERT INTO flow_site_year_amount (site_id, year, grams) VALUES ($1, $2, $3)`, [
      d.siteId,
      a.year,
      a.grams,
    ]);
  }
}

/**
 * 管理台账 — the ledger book of every site, kept from the lot events (and the go-live imports) in
 * the append transaction: `ledger_book_entry` (one row per movement, keyed by ledger position),
 * `flow_lot` (what the book knows of each lot between its events), `flow_site`, `flow_golive_lot`
 * and `flow_site_year_amount` (go-live imports). Reads only its own tables; the manifest number
 * and the receiver of a transfer are joined from the manifests' read model at query time.
 */
export const ledgerBookProjection: Projection = {
  name: 'ledger-book',
  tables: ['ledger_book_entry', 'flow_lot', 'flow_site', 'flow_golive_lot', 'flow_site_year_amount'],
  eventTypes: [...BOOK_LOT_EVENT_TYPES, 'GoLiveImported'],
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    if (e.type === 'GoLiveImported') return goLive(sql, e);
    const ev = { type: e.type, data: e.data } as unknown as LotEvent;
    const lotId = ev.data.lotId;
    // a generated lot is new to the book (its stream opens with this event): only the go-live mark is read
    const row =
      ev.type === 'LotGenerated'
        ? null
        : await sql.one<FlowLotRow>(`SELECT * FROM flow_lot WHERE lot_id = $1`, [lotId]);
    let mark: GoLiveMark | null = null;
    if (ev.type === 'LotGenerated') {
      const m = await sql.one<{ site_id: string; go_live_at: Date }>(
        `SELECT site_id, go_live_at FROM flow_golive_lot WHERE lot_id = $1`,
        [lotId],
      );
      if (m) mark = { siteId: m.site_id, goLiveAt: new Date(m.go_live_at).toISOString() };
    }
    const step = bookLotEvent(ev, row ? toBookLot(row) : null, mark);
    if (step.after) await saveLot(sql, step.after);
    await insertEntries(sql, e, step.entries);
  },
};
