import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PoolSql, type Sql } from '../database/sql';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { shanghaiDate, shanghaiDayEnd, shanghaiDayStart } from '../shared/domain/time';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import type { BalanceRow, MovementRow } from './domain/declaration-figures';
import type { Direction, EntryKind } from './domain/ledger-book';
import { FlowsAccess } from './flows-access.service';

/** One entry as shown: the book's row with the manifest number, receiver and names joined in. */
export interface BookEntryView {
  id: string;
  position: number;
  seq: number;
  at: Date;
  recordedAt: Date;
  kind: EntryKind;
  direction: Direction;
  lotId: string;
  relatedLotId: string | null;
  labelCode: string;
  batchCode: string;
  wasteCode: string;
  category: string;
  mass: number;
  facilityId: string | null;
  facilityName: string | null;
  counterpartyPartyId: string | null;
  counterpartyName: string | null;
  manifestId: string | null;
  manifestNumber: string | null;
  method: string | null;
  exempt: boolean;
  imported: boolean;
}

/** Opening and closing stock of a code, and what came in and went out in between. */
export interface BookBalance {
  wasteCode: string;
  category: string;
  opening: number;
  ins: number;
  outs: number;
  closing: number;
}

/** Business dates `from`..`to` (inclusive, Asia/Shanghai) as the instants [start, end). */
export interface BookRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

interface EntryRow {
  position: string;
  seq: number;
  at: Date;
  recorded_at: Date;
  kind: EntryKind;
  direction: Direction;
  lot_id: string;
  related_lot_id: string | null;
  label_code: string;
  batch_code: string;
  waste_code: string;
  category: string;
  mass_grams: string;
  facility_id: string | null;
  facility_name: string | null;
  counterparty_party_id: string | null;
  counterparty_name: string | null;
  manifest_id: string | null;
  manifest_number: string | null;
  method: string | null;
  exempt: boolean;
  imported: boolean;
}

/**
 * The counterparty of an entry: for a transfer on a manifest, the manifest's receiver (the book
 * itself holds the carrier that took custody); otherwise what the book recorded.
 */
const COUNTERPARTY = `CASE WHEN e.kind = 'SENT_OUT' AND m.receiver_party_id IS NOT NULL THEN m.receiver_party_id
                           ELSE e.counterparty_party_id END`;

/** The entry columns with the manifest number, receiver, method and names joined at query time. */
export const ENTRY_SELECT = `
  SELECT e.position, e.seq, e.at, e.recorded_at, e.kind, e.direction, e.lot_id, e.related_lot_id, e.label_code,
         e.batch_code, e.waste_code, e.category, e.mass_grams, e.facility_id, f.name AS facility_name,
         ${COUNTERPARTY} AS counterparty_party_id, cp.name AS counterparty_name, e.manifest_id,
         m.hazledger_number AS manifest_number, COALESCE(e.method, ml.method) AS method, e.exempt, e.imported
    FROM ledger_book_entry e
    LEFT JOIN manifest m ON m.manifest_id = e.manifest_id
    LEFT JOIN manifest_lot ml ON ml.manifest_id = e.manifest_id AND ml.lot_id = e.lot_id
    LEFT JOIN facility f ON f.facility_id = e.facility_id
    LEFT JOIN party cp ON cp.party_id = ${COUNTERPARTY}`;

export function toEntryView(r: EntryRow): BookEntryView {
  return {
    id: `${r.position}:${r.seq}`,
    position: Number(r.position),
    seq: r.seq,
    at: r.at,
    recordedAt: r.recorded_at,
    kind: r.kind,
    direction: r.direction,
    lotId: r.lot_id,
    relatedLotId: r.related_lot_id,
    labelCode: r.label_code,
    batchCode: r.batch_code,
    wasteCode: r.waste_code,
    category: r.category,
    mass: Number(r.mass_grams),
    facilityId: r.facility_id,
    facilityName: r.facility_name,
    counterpartyPartyId: r.counterparty_party_id,
    counterpartyName: r.counterparty_name,
    manifestId: r.manifest_id,
    manifestNumber: r.manifest_number,
    method: r.method,
    exempt: r.exempt,
    imported: r.imported,
  };
}

export type { EntryRow };

/**
 * 管理台账 — reads of the ledger book: entries in business-time order with cursor pagination,
 * balances per code for any period, and the aggregates the declarations and plans use.
 */
@Injectable()
export class LedgerBookService {
  private readonly pool: Sql;

  constructor(
    private readonly db: DataSource,
    private readonly access: FlowsAccess,
    private readonly clock: Clock,
  ) {
    this.pool = new PoolSql(db);
  }

  /** The period of business dates `from`..`to`; `to` defaults to today, `from` to 1 January of `to`'s year. */
  range(from: string | null | undefined, to: string | null | undefined): BookRange {
    const today = shanghaiDate(this.clock.now());
    const t = to ?? today;
    const f = from ?? `${t.slice(0, 4)}-01-01`;
    if (f > t) throw DomainError.badInput('from', `from: ${f} is after to ${t}`);
    return { from: f, to: t, start: shanghaiDayStart(f), end: shanghaiDayEnd(t) };
  }

  async balances(siteId: string, start: Date, end: Date, sql: Sql = this.pool): Promise<BookBalance[]> {
    const rows = await sql.rows<{
      waste_code: string;
      category: string;
      opening: string;
      ins: string;
      outs: string;
      closing: string;
    }>(
      `SELECT waste_code, category,
              COALESCE(sum(signed_grams) FILTER (WHERE at < $2), 0) AS opening,
              COALESCE(sum(signed_grams) FILTER (WHERE at >= $2 AND direction = 'IN'), 0) AS ins,
              COALESCE(-sum(signed_grams) FILTER (WHERE at >= $2 AND direction = 'OUT'), 0) AS outs,
              COALESCE(sum(signed_grams), 0) AS closing
         FROM ledger_book_entry WHERE site_id = $1 AND at < $3
        GROUP BY waste_code, category ORDER BY waste_code`,
      [siteId, start, end],
    );
    return rows.map((r) => ({
      wasteCode: r.waste_code,
      category: r.category,
      opening: Number(r.opening),
      ins: Number(r.ins),
      outs: Number(r.outs),
      closing: Number(r.closing),
    }));
  }

  /** Balances as the declaration figures take them. */
  async balanceRows(siteId: string, start: Date, end: Date, sql: Sql = this.pool): Promise<BalanceRow[]> {
    return (await this.balances(siteId, start, end, sql)).map((b) => ({
      wasteCode: b.wasteCode,
      category: b.category,
      openingGrams: b.opening,
      closingGrams: b.closing,
    }));
  }

  /**
   * Movements in [start, end) aggregated by kind, code, counterparty (with its name; for a transfer
   * also the division of the site it went to, and the receiver's licence numbers whose items cover
   * the code while the lots left), method and route; a transfer counts the declared mass of its
   * manifest's lot (SPEC section 9) beside the booked mass.
   */
  async movements(siteId: string, start: Date, end: Date, sql: Sql = this.pool): Promise<MovementRow[]> {
    const rows = await sql.rows<{
      kind: EntryKind;
      waste_code: string;
      category: string;
      counterparty: string | null;
      counterparty_name: string | null;
      counterparty_division: string | null;
      licence_numbers: string[] | null;
      method: string | null;
      via_manifest: boolean;
      booked: string;
      declared: string;
    }>(
      `SELECT g.*, cp.name AS counterparty_name,
              CASE WHEN g.kind = 'SENT_OUT' THEN
                (SELECT array_agg(DISTINCT l.number ORDER BY l.number) FROM licence l
                   JOIN licence_item i ON i.licence_id = l.licence_id
                  WHERE l.holder_party_id = g.counterparty AND i.scope IN (g.waste_code, g.category)
                    AND l.valid_from <= (g.last_at AT TIME ZONE 'Asia/Shanghai')::date
                    AND l.valid_to >= (g.first_at AT TIME ZONE 'Asia/Shanghai')::date)
              END AS licence_numbers
         FROM (
           SELECT e.kind, e.waste_code, e.category, ${COUNTERPARTY} AS counterparty,
                  CASE WHEN e.kind = 'SENT_OUT' THEN m.end_division_code END AS counterparty_division,
                  CASE WHEN e.kind = 'SENT_OUT' THEN COALESCE(ml.method, e.method) ELSE e.method END AS method,
                  (e.manifest_id IS NOT NULL AND NOT e.exempt) AS via_manifest,
                  sum(e.mass_grams) AS booked,
                  sum(CASE WHEN e.kind = 'SENT_OUT' THEN COALESCE(ml.declared_grams, e.mass_grams) ELSE e.mass_grams END) AS declared,
                  min(e.at) AS first_at, max(e.at) AS last_at
             FROM ledger_book_entry e
             LEFT JOIN manifest m ON m.manifest_id = e.manifest_id
             LEFT JOIN manifest_lot ml ON ml.manifest_id = e.manifest_id AND ml.lot_id = e.lot_id
            WHERE e.site_id = $1 AND e.at >= $2 AND e.at < $3 AND e.direction <> 'NONE'
            GROUP BY 1, 2, 3, 4, 5, 6, 7
         ) g
         LEFT JOIN party cp ON cp.party_id = g.counterparty
        ORDER BY g.kind, g.waste_code, g.counterparty, g.counterparty_division, g.method`,
      [siteId, start, end],
    );
    return rows.map((r) => ({
      kind: r.kind,
      wasteCode: r.waste_code,
      category: r.category,
      counterpartyPartyId: r.counterparty,
      counterpartyName: r.counterparty_name,
      counterpartyDivisionCode: r.counterparty_division,
      counterpartyLicenceNumbers: r.licence_numbers ?? [],
      method: r.method,
      viaManifest: r.via_manifest,
      bookedGrams: Number(r.booked),
      declaredGrams: Number(r.declared),
    }));
  }

  /** Entries of a site in the period, business-time order, `first` after the cursor. */
  async entries(
    who: Principal,
    siteId: string,
    range: BookRange,
    opts: { first?: number; after?: string; wasteCode?: string },
  ): Promise<Page<BookEntryView>> {
    await this.access.readable(who, siteId, this.clock.now());
    const first = opts.first ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [siteId, range.start, range.end];
    let cond = `e.site_id = $1 AND e.at >= $2 AND e.at < $3`;
    if (opts.wasteCode) cond += ` AND e.waste_code = $${params.push(opts.wasteCode)}`;
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_book_entry e WHERE ${cond}`,
      params,
    );
    if (opts.after) {
      const [at, position, seq] = decodeCursor(opts.after, 3);
      if (typeof at !== 'string' || typeof position !== 'number' || typeof seq !== 'number')
        throw DomainError.badInput('after', 'after: not a cursor returned by this query');
      cond += ` AND (e.at, e.position, e.seq) > ($${params.push(at)}::timestamptz, $${params.push(position)}::bigint, $${params.push(seq)}::smallint)`;
    }
    const rows = await this.db.query<EntryRow[]>(
      `${ENTRY_SELECT} WHERE ${cond} ORDER BY e.at, e.position, e.seq LIMIT ${first + 1}`,
      params,
    );
    return toPage(rows.map(toEntryView), first, n, (v) => [v.at.toISOString(), v.position, v.seq]);
  }

  /** Generated mass per Shanghai calendar year (产生量), for the management class and plans. */
  async generatedByYear(siteId: string): Promise<Map<number, number>> {
    const rows = await this.db.query<{ year: number; grams: string }[]>(
      `SELECT extract(year FROM at AT TIME ZONE 'Asia/Shanghai')::int AS year, sum(mass_grams) AS grams
         FROM ledger_book_entry WHERE site_id = $1 AND kind = 'GENERATED' GROUP BY 1`,
      [siteId],
    );
    return new Map(rows.map((r) => [r.year, Number(r.grams)]));
  }

  /** True when the site has any entry (the go-live import must come first). */
  async hasEntries(siteId: string, sql: Sql = this.pool): Promise<boolean> {
    return (
      (await sql.one(`SELECT 1 FROM ledger_book_entry WHERE site_id = $1 LIMIT 1`, [siteId])) !== undefined
    );
  }
}
