import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_COLUMNS, toStoredEvent } from '../ledger/ledger-transaction';
import type { StoredEvent } from '../ledger/ledger.types';
import { canSee, jurisdictionPatterns, notFound } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import { LotClockPolicy } from './clock/lot-clock.policy';
import type { LotObject } from './graphql/lot.objects';
import { normaliseLabelCode } from './labels/label-code';
import { lotStream } from './lot-streams';

/** A row of `lot` with the names and places the API shows. */
export interface LotRow {
  lot_id: string;
  label_code: string;
  batch_code: string;
  waste_code: string;
  category: string;
  medical_class: string | null;
  form: string;
  packaging: string;
  main_components: string[];
  hazards: string[];
  mass_basis: string;
  status: string;
  origin_kind: string;
  origin_party_id: string;
  producer_party_id: string | null;
  custodian_party_id: string;
  site_id: string | null;
  facility_id: string | null;
  origin_site_id: string;
  open_manifest_id: string | null;
  manifest_id: string | null;
  initial_grams: string;
  mass_grams: string;
  adjustment_grams: string;
  lost_grams: string;
  treated_grams: string | null;
  method: string | null;
  clock_starts_at: Date;
  entered_facility_at: Date | null;
  exempt_source: boolean;
  emergency: boolean;
  disputed: boolean;
  generated_at: Date;
  ended_at: Date | null;
  version: number;
  custodian_name: string;
  producer_name: string | null;
  division_code: string | null;
  facility_type: string | null;
}

export const LOT_SELECT = `
  SELECT l.*, c.name AS custodian_name, p.name AS producer_name, s.division_code, f.type AS facility_type
    FROM lot l
    JOIN party c ON c.party_id = l.custodian_party_id
    LEFT JOIN party p ON p.party_id = l.producer_party_id
    LEFT JOIN party_site s ON s.site_id = l.site_id
    LEFT JOIN facility f ON f.facility_id = l.facility_id`;

export interface LotListFilter {
  status?: string[];
  wasteCode?: string;
  category?: string;
  batchCode?: string;
  siteId?: string;
  facilityId?: string;
  custodianPartyId?: string;
  producerPartyId?: string;
  divisionPrefix?: string;
}

/**
 * Scoped reads of lots: a party sees the lots its history names (producer, holders, receivers,
 * carriers), a regulator those that touched a site in its jurisdiction, the system administrator
 * all; anything else is NOT_FOUND, never FORBIDDEN.
 */
@Injectable()
export class LotReadService {
  constructor(
    private readonly db: DataSource,
    private readonly clocks: LotClockPolicy,
  ) {}

  async row(lotId: string): Promise<LotRow | undefined> {
    return (await this.db.query<LotRow[]>(`${LOT_SELECT} WHERE l.lot_id = $1`, [lotId]))[0];
  }

  /** The parties and division codes a lot's history names. */
  async scope(lotId: string): Promise<{ partyIds: string[]; divisionCodes: string[] }> {
    const parties = await this.db.query<{ party_id: string }[]>(
      `SELECT party_id FROM lot_party WHERE lot_id = $1`,
      [lotId],
    );
    const sites = await this.db.query<{ division_code: string }[]>(
      `SELECT s.division_code FROM lot_site ls JOIN party_site s ON s.site_id = ls.site_id WHERE ls.lot_id = $1`,
      [lotId],
    );
    return { partyIds: parties.map((p) => p.party_id), divisionCodes: sites.map((s) => s.division_code) };
  }

  async canSeeLot(who: Principal, lotId: string): Promise<boolean> {
    return canSee(who, await this.scope(lotId));
  }

  /** One lot the caller may see, else NOT_FOUND. */
  async visibleRow(who: Principal, lotId: string): Promise<LotRow> {
    const row = await this.row(lotId);
    if (!row || !(await this.canSeeLot(who, lotId))) throw notFound('lot');
    return row;
  }

  async lot(who: Principal, lotId: string): Promise<LotObject> {
    return (await this.toObjects([await this.visibleRow(who, lotId)]))[0];
  }

  /** A scanned or typed label code (normalised, check character verified), for those who may see the lot. */
  async byLabel(who: Principal, code: string): Promise<LotObject> {
    const normalised = normaliseLabelCode(code);
    if (!normalised) throw notFound('label');
    const [r] = await this.db.query<{ lot_id: string }[]>(`SELECT lot_id FROM lot WHERE label_code = $1`, [
      normalised,
    ]);
    if (!r) throw notFound('label');
    return this.lot(who, r.lot_id);
  }

  async rowsByIds(ids: readonly string[]): Promise<LotRow[]> {
    const rows = await this.db.query<LotRow[]>(`${LOT_SELECT} WHERE l.lot_id = ANY($1)`, [ids]);
    return ids.map((id) => rows.find((r) => r.lot_id === id)).filter((r): r is LotRow => r !== undefined);
  }

  /** Lots just written by the caller, in the order given. */
  async written(ids: readonly string[]): Promise<LotObject[]> {
    return this.toObjects(await this.rowsByIds(ids));
  }

  async list(
    who: Principal,
    filter: LotListFilter,
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<LotObject>> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (!isSystemAdmin(who)) {
      const scope: string[] = [];
      const own = partyOf(who);
      if (own)
        scope.push(
          `EXISTS (SELECT 1 FROM lot_party lp WHERE lp.lot_id = l.lot_id AND lp.party_id = $${params.push(own)})`,
        );
      if (isRegulator(who)) {
        scope.push(
          `EXISTS (SELECT 1 FROM lot_site ls JOIN party_site ss ON ss.site_id = ls.site_id
                    WHERE ls.lot_id = l.lot_id AND ss.division_code LIKE ANY($${params.push(jurisdictionPatterns(who.agency.jurisdiction))}))`,
        );
      }
      where.push(scope.length ? `(${scope.join(' OR ')})` : 'false');
    }
    if (filter.status?.length) where.push(`l.status = ANY($${params.push(filter.status)})`);
    if (filter.wasteCode) where.push(`l.waste_code = $${params.push(filter.wasteCode)}`);
    if (filter.category) where.push(`l.category = $${params.push(filter.category)}`);
    if (filter.batchCode) where.push(`l.batch_code = $${params.push(filter.batchCode)}`);
    if (filter.siteId) where.push(`l.site_id = $${params.push(filter.siteId)}`);
    if (filter.facilityId) where.push(`l.facility_id = $${params.push(filter.facilityId)}`);
    if (filter.custodianPartyId)
      where.push(`l.custodian_party_id = $${params.push(filter.custodianPartyId)}`);
    if (filter.producerPartyId) where.push(`l.producer_party_id = $${params.push(filter.producerPartyId)}`);
    if (filter.divisionPrefix)
      where.push(`s.division_code LIKE $${params.push(`${filter.divisionPrefix}%`)}`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM lot l LEFT JOIN party_site s ON s.site_id = l.site_id ${cond}`,
      params,
    );
    const pageCond = after
      ? `${cond ? `${cond} AND` : 'WHERE'} l.lot_id > $${params.push(String(decodeCursor(after, 1)[0]))}`
      : cond;
    const rows = await this.db.query<LotRow[]>(
      `${LOT_SELECT} ${pageCond} ORDER BY l.lot_id LIMIT ${first + 1}`,
      params,
    );
    return toPage(await this.toObjects(rows), first, n, (r) => [r.id]);
  }

  /** The lot's events, oldest first (its stream `lot-<id>`). */
  async history(who: Principal, lotId: string): Promise<StoredEvent[]> {
    await this.visibleRow(who, lotId);
    const rows = await this.db.query<Parameters<typeof toStoredEvent>[0][]>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_event WHERE stream_id = $1 ORDER BY version`,
      [lotStream(lotId)],
    );
    return rows.map(toStoredEvent);
  }

  async toObjects(rows: readonly LotRow[]): Promise<LotObject[]> {
    const deadlines = await this.clocks.deadlines(rows);
    return rows.map((r) => {
      const d = deadlines.get(r.lot_id) ?? null;
      return {
        id: r.lot_id,
        labelCode: r.label_code,
        batchCode: r.batch_code,
        wasteCode: r.waste_code,
        category: r.category,
        medicalClass: r.medical_class,
        form: r.form,
        packaging: r.packaging,
        mainComponents: r.main_components,
        hazards: r.hazards,
        massBasis: r.mass_basis,
        status: r.status,
        mass: Number(r.mass_grams),
        initialMass: Number(r.initial_grams),
        lostMass: Number(r.lost_grams),
        originKind: r.origin_kind,
        originPartyId: r.origin_party_id,
        producerPartyId: r.producer_party_id,
        producerName: r.producer_name,
        custodianPartyId: r.custodian_party_id,
        custodianName: r.custodian_name,
        siteId: r.site_id,
        divisionCode: r.division_code,
        facilityId: r.facility_id,
        facilityType: r.facility_type,
        openManifestId: r.open_manifest_id,
        manifestId: r.manifest_id,
        exemptSource: r.exempt_source,
        emergency: r.emergency,
        disputed: r.disputed,
        generatedAt: r.generated_at,
        enteredFacilityAt: r.entered_facility_at,
        clockStartsAt: r.clock_starts_at,
        storageDeadline: d?.dueAt ?? null,
        storageLimit: d ? `${d.limit.amount} ${d.limit.unit}` : null,
        method: r.method,
        endedAt: r.ended_at,
        version: r.version,
      };
    });
  }
}
