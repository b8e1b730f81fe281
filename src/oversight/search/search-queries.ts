import type { ScopeSql } from '../jurisdiction';
import {
  dateRange,
  keysetSearch,
  prefixPattern,
  type SearchSql,
  type SortDirection,
  type SortKey,
} from './keyset';

/**
 * The four regulator searches as SQL over the read models (`lot`, `manifest`, `party`, `licence`
 * and their side tables): every filter has an index (migrations/1764300000800-oversight.ts), the
 * caller's jurisdiction (`ScopeSql`) is always one of the conditions, pages are keyset pages.
 * Pure builders, so that a test can EXPLAIN exactly what the service runs.
 */
export interface Page {
  first: number;
  after?: string;
  direction: SortDirection;
}

interface Common {
  /** 行政区划代码 prefix: the record touches a site there. */
  regionPrefix?: string;
  /** Shanghai dates, inclusive. */
  from?: string;
  to?: string;
  partyId?: string;
}

export interface LotSearch extends Common {
  status?: string[];
  wasteCode?: string;
  category?: string;
  labelCode?: string;
  /** A receipt found a difference beyond the tolerance. */
  discrepancy?: boolean;
  disputed?: boolean;
}
export const LOT_SORTS = {
  GENERATED_AT: { column: 'l.generated_at', cast: 'timestamptz' },
  MASS: { column: 'l.mass_grams', cast: 'bigint' },
  LABEL_CODE: { column: 'l.label_code', cast: 'text' },
} satisfies Record<string, SortKey>;

export function lotSearch(
  scope: ScopeSql,
  params: unknown[],
  f: LotSearch,
  sort: SortKey,
  page: Page,
): SearchSql {
  const where = [scope.lot('l')];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.regionPrefix) {
    where.push(`EXISTS (SELECT 1 FROM lot_site fs JOIN party_site fss ON fss.site_id = fs.site_id
                 WHERE fs.lot_id = l.lot_id AND fss.division_code LIKE ${p(prefixPattern(f.regionPrefix))})`);
  }
  if (f.status?.length) where.push(`l.status = ANY(${p(f.status)})`);
  if (f.wasteCode) where.push(`l.waste_code = ${p(f.wasteCode)}`);
  if (f.category) where.push(`l.category = ${p(f.category)}`);
  if (f.labelCode) where.push(`l.label_code = ${p(f.labelCode)}`);
  if (f.partyId) {
    where.push(
      `EXISTS (SELECT 1 FROM lot_party fp WHERE fp.lot_id = l.lot_id AND fp.party_id = ${p(f.partyId)})`,
    );
  }
  if (f.discrepancy !== undefined) {
    where.push(
      `${f.discrepancy ? '' : 'NOT '}EXISTS (SELECT 1 FROM manifest_lot fm WHERE fm.lot_id = l.lot_id AND fm.discrepancy)`,
    );
  }
  if (f.disputed !== undefined) where.push(`l.disputed = ${p(f.disputed)}`);
  where.push(...dateRange('l.generated_at', params, f, true));
  return keysetSearch({
    select: `l.label_code AS "labelCode", l.waste_code AS "wasteCode", l.category, l.status,
      l.mass_grams AS "massGrams", l.initial_grams AS "initialGrams", l.producer_party_id AS "producerPartyId",
      pp.name AS "producerName", l.custodian_party_id AS "custodianPartyId", cp.name AS "custodianName",
      coalesce(cs.division_code, os.division_code) AS region, l.generated_at AS "generatedAt", l.ended_at AS "endedAt",
      l.manifest_id AS "manifestId", l.disputed,
      EXISTS (SELECT 1 FROM manifest_lot dm WHERE dm.lot_id = l.lot_id AND dm.discrepancy) AS discrepancy`,
    from: `lot l LEFT JOIN party pp ON pp.party_id = l.producer_party_id
      LEFT JOIN party cp ON cp.party_id = l.custodian_party_id
      LEFT JOIN party_site cs ON cs.site_id = l.site_id LEFT JOIN party_site os ON os.site_id = l.origin_site_id`,
    where,
    params,
    id: 'l.lot_id',
    sort,
    ...page,
  });
}

export interface ManifestSearch extends Common {
  status?: string[];
  wasteCode?: string;
  category?: string;
  /** HazLedger number or the national system's number. */
  number?: string;
  discrepancy?: boolean;
  disputed?: boolean;
}
export const MANIFEST_SORTS = {
  PLANNED_DATE: { column: 'm.planned_date', cast: 'date' },
  NUMBER: { column: 'm.hazledger_number', cast: 'text' },
  DECLARED_MASS: { column: 'm.declared_grams', cast: 'bigint' },
} satisfies Record<string, SortKey>;

export function manifestSearch(
  scope: ScopeSql,
  params: unknown[],
  f: ManifestSearch,
  sort: SortKey,
  page: Page,
): SearchSql {
  const where = [scope.manifest('m')];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.regionPrefix) {
    const r = p(prefixPattern(f.regionPrefix));
    where.push(`(m.start_division_code LIKE ${r} OR m.end_division_code LIKE ${r})`);
  }
  if (f.status?.length) where.push(`m.status = ANY(${p(f.status)})`);
  if (f.wasteCode) {
    where.push(
      `EXISTS (SELECT 1 FROM manifest_lot fl WHERE fl.manifest_id = m.manifest_id AND fl.waste_code = ${p(f.wasteCode)})`,
    );
  }
  if (f.category) {
    where.push(`EXISTS (SELECT 1 FROM manifest_lot fl WHERE fl.manifest_id = m.manifest_id
                 AND ('HW' || right(fl.waste_code, 2)) = ${p(f.category)})`);
  }
  if (f.number) {
    const n = p(f.number);
    where.push(`(m.hazledger_number = ${n} OR m.national_number = ${n})`);
  }
  if (f.partyId) {
    where.push(
      `EXISTS (SELECT 1 FROM manifest_party fp WHERE fp.manifest_id = m.manifest_id AND fp.party_id = ${p(f.partyId)})`,
    );
  }
  if (f.discrepancy !== undefined) where.push(`m.discrepancy = ${p(f.discrepancy)}`);
  if (f.disputed !== undefined) where.push(`m.disputed = ${p(f.disputed)}`);
  where.push(...dateRange('m.planned_date', params, f, false));
  return keysetSearch({
    select: `m.hazledger_number AS number, m.national_number AS "nationalNumber", m.status,
      m.transfer_type AS "transferType", m.consignor_party_id AS "consignorPartyId", cn.name AS "consignorName",
      m.receiver_party_id AS "receiverPartyId", rc.name AS "receiverName", m.first_carrier_party_id AS "carrierPartyId",
      ca.name AS "carrierName", m.start_division_code AS "startDivisionCode", m.end_division_code AS "endDivisionCode",
      m.planned_date::text AS "plannedDate", m.lot_count AS "lotCount", m.declared_grams AS "declaredGrams",
      m.accepted_grams AS "acceptedGrams", m.discrepancy, m.disputed, m.late_receipt AS "lateReceipt",
      (m.paper_number IS NOT NULL) AS paper, m.submitted_at AS "submittedAt", m.delivered_at AS "deliveredAt",
      m.received_at AS "receivedAt", m.closed_at AS "closedAt"`,
    from: `manifest m LEFT JOIN party cn ON cn.party_id = m.consignor_party_id
      LEFT JOIN party rc ON rc.party_id = m.receiver_party_id LEFT JOIN party ca ON ca.party_id = m.first_carrier_party_id`,
    where,
    params,
    id: 'm.manifest_id',
    sort,
    ...page,
  });
}

export interface PartySearch extends Omit<Common, 'partyId'> {
  status?: string;
  type?: string;
  /** Exact USCC, or the start of the name. */
  text?: string;
}
export const PARTY_SORTS = {
  NAME: { column: 'p.name', cast: 'text' },
  REGISTERED_AT: { column: 'p.registered_at', cast: 'timestamptz' },
} satisfies Record<string, SortKey>;

export function partySearch(
  scope: ScopeSql,
  params: unknown[],
  f: PartySearch,
  sort: SortKey,
  page: Page,
): SearchSql {
  const where = [scope.party('p')];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.regionPrefix) {
    where.push(`EXISTS (SELECT 1 FROM party_site fs WHERE fs.party_id = p.party_id
                 AND fs.division_code LIKE ${p(prefixPattern(f.regionPrefix))})`);
  }
  if (f.status) where.push(`p.status = ${p(f.status)}`);
  if (f.type) where.push(`p.types @> ARRAY[${p(f.type)}]::text[]`);
  if (f.text) {
    const likePrefix = `${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(p.uscc = ${p(f.text.toUpperCase())} OR p.name LIKE ${p(likePrefix)})`);
  }
  where.push(...dateRange('p.registered_at', params, f, true));
  return keysetSearch({
    select: `p.uscc, p.name, p.types, p.status, p.region, p.bed_count AS "bedCount", p.registered_at AS "registeredAt",
      p.verified_at AS "verifiedAt",
      (SELECT array_agg(DISTINCT s.division_code) FROM party_site s WHERE s.party_id = p.party_id) AS "divisionCodes"`,
    from: 'party p',
    where,
    params,
    id: 'p.party_id',
    sort,
    ...page,
  });
}

export interface LicenceSearch extends Common {
  status?: string;
  kind?: string;
  /** A waste code an item covers (the code itself, or its whole category). */
  wasteCode?: string;
  /** An item covers the category, or a code of it. */
  category?: string;
  number?: string;
}
export const LICENCE_SORTS = {
  VALID_TO: { column: 'l.valid_to', cast: 'date' },
  NUMBER: { column: 'l.number', cast: 'text' },
  ISSUED_AT: { column: 'l.issued_at', cast: 'timestamptz' },
} satisfies Record<string, SortKey>;

export function licenceSearch(
  scope: ScopeSql,
  params: unknown[],
  f: LicenceSearch,
  sort: SortKey,
  page: Page,
): SearchSql {
  const where = [scope.licence('l')];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.regionPrefix) {
    where.push(`EXISTS (SELECT 1 FROM party_site fs WHERE fs.site_id = ANY(l.facility_site_ids)
                 AND fs.division_code LIKE ${p(prefixPattern(f.regionPrefix))})`);
  }
  if (f.status) where.push(`l.status = ${p(f.status)}`);
  if (f.kind) where.push(`l.kind = ${p(f.kind)}`);
  if (f.number) where.push(`l.number = ${p(f.number)}`);
  if (f.partyId) where.push(`l.holder_party_id = ${p(f.partyId)}`);
  if (f.wasteCode) {
    const code = p(f.wasteCode);
    where.push(`EXISTS (SELECT 1 FROM licence_item fi WHERE fi.licence_id = l.licence_id
                 AND (fi.scope = ${code} OR fi.scope = 'HW' || right(${code}, 2)))`);
  }
  if (f.category) {
    where.push(`EXISTS (SELECT 1 FROM licence_item fi WHERE fi.licence_id = l.licence_id
                 AND right(fi.scope, 2) = right(${p(f.category)}, 2))`);
  }
  where.push(...dateRange('l.valid_to', params, f, false));
  return keysetSearch({
    select: `l.number, l.kind, l.status, l.holder_party_id AS "holderPartyId", h.name AS "holderName",
      l.valid_from::text AS "validFrom", l.valid_to::text AS "validTo", l.agency_id AS "agencyId", l.issued_at AS "issuedAt",
      (SELECT array_agg(DISTINCT s.division_code) FROM party_site s WHERE s.site_id = ANY(l.facility_site_ids)) AS "divisionCodes",
      (SELECT array_agg(i.scope ORDER BY i.position) FROM licence_item i WHERE i.licence_id = l.licence_id) AS scopes`,
    from: 'licence l LEFT JOIN party h ON h.party_id = l.holder_party_id',
    where,
    params,
    id: 'l.licence_id',
    sort,
    ...page,
  });
}
