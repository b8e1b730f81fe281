import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../shared/auth/principal';
import { DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import type {
  LicenceSearchHitObject,
  LotSearchHitObject,
  ManifestSearchHitObject,
  PartySearchHitObject,
} from './graphql/search.objects';
import { overseerOf, ScopeSql } from './jurisdiction';
import type { SearchSql, SortDirection } from './search/keyset';
import {
  LICENCE_SORTS,
  licenceSearch,
  type LicenceSearch,
  LOT_SORTS,
  lotSearch,
  type LotSearch,
  MANIFEST_SORTS,
  manifestSearch,
  type ManifestSearch,
  PARTY_SORTS,
  partySearch,
  type PartySearch,
} from './search/search-queries';

export interface SearchPage {
  first?: number;
  after?: string;
  direction?: SortDirection;
}

type Row = Record<string, unknown> & { sortKey: string; id: string };

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
const opt = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));
const grams = (v: unknown): number => Number(v);
const ref = (id: unknown, name: unknown) => ({ id: str(id), name: opt(name) });
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const optDate = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));

/**
 * 检索 — searches for regulators over manifests, lots, parties and licences (SPEC section 10):
 * by region, status, code or category, party, date range and discrepancy, sorted, with cursor
 * pagination; always within the caller's jurisdiction (`jurisdiction.ts`). Hits are summaries
 * read from the read models in one query per page (plus one count); details come from each
 * capability's own queries.
 */
@Injectable()
export class SearchService {
  constructor(private readonly db: DataSource) {}

  private async run<T>(sql: SearchSql, first: number, map: (r: Row) => T): Promise<Page<T>> {
    const [{ n }] = await this.db.query<{ n: number }[]>(sql.count.text, sql.count.params);
    const rows = await this.db.query<Row[]>(sql.page.text, sql.page.params);
    const hits = rows.map((r) => ({ key: [r.sortKey, r.id], hit: map(r) }));
    const page = toPage(hits, first, n, (h) => h.key);
    return {
      ...page,
      nodes: page.nodes.map((h) => h.hit),
      edges: page.edges.map((e) => ({ ...e, node: e.node.hit })),
    };
  }

  /** The SQL a search runs (for EXPLAIN in tests and diagnostics). */
  plan(
    who: Principal,
    kind: 'lots' | 'manifests' | 'parties' | 'licences',
    filter: object,
    sort: string,
    page: SearchPage = {},
  ): SearchSql {
    const params: unknown[] = [];
    const scope = new ScopeSql(overseerOf(who), params);
    const p = {
      first: page.first ?? DEFAULT_PAGE_SIZE,
      after: page.after,
      direction: page.direction ?? 'DESC',
    };
    switch (kind) {
      case 'lots':
        return lotSearch(scope, params, filter, LOT_SORTS[sort as keyof typeof LOT_SORTS], p);
      case 'manifests':
        return manifestSearch(scope, params, filter, MANIFEST_SORTS[sort as keyof typeof MANIFEST_SORTS], p);
      case 'parties':
        return partySearch(scope, params, filter, PARTY_SORTS[sort as keyof typeof PARTY_SORTS], p);
      case 'licences':
        return licenceSearch(scope, params, filter, LICENCE_SORTS[sort as keyof typeof LICENCE_SORTS], p);
    }
  }

  lots(who: Principal, f: LotSearch, sort: keyof typeof LOT_SORTS, page: SearchPage) {
    return this.run(
      this.plan(who, 'lots', f, sort, page),
      page.first ?? DEFAULT_PAGE_SIZE,
      (r): LotSearchHitObject => ({
        id: r.id,
        labelCode: str(r.labelCode),
        wasteCode: str(r.wasteCode),
        category: str(r.category),
        status: str(r.status),
        mass: grams(r.massGrams),
        initialMass: grams(r.initialGrams),
        producer: r.producerPartyId ? ref(r.producerPartyId, r.producerName) : null,
        custodian: ref(r.custodianPartyId, r.custodianName),
        region: opt(r.region),
        generatedAt: date(r.generatedAt),
        endedAt: optDate(r.endedAt),
        manifestId: opt(r.manifestId),
        discrepancy: r.discrepancy === true,
        disputed: r.disputed === true,
      }),
    );
  }

  manifests(who: Principal, f: ManifestSearch, sort: keyof typeof MANIFEST_SORTS, page: SearchPage) {
    return this.run(
      this.plan(who, 'manifests', f, sort, page),
      page.first ?? DEFAULT_PAGE_SIZE,
      (r): ManifestSearchHitObject => ({
        id: r.id,
        number: str(r.number),
        nationalNumber: opt(r.nationalNumber),
        status: str(r.status),
        transferType: str(r.transferType),
        consignor: ref(r.consignorPartyId, r.consignorName),
        receiver: ref(r.receiverPartyId, r.receiverName),
        carrier: ref(r.carrierPartyId, r.carrierName),
        startDivisionCode: str(r.startDivisionCode),
        endDivisionCode: str(r.endDivisionCode),
        plannedDate: str(r.plannedDate),
        lotCount: Number(r.lotCount),
        declaredMass: grams(r.declaredGrams),
        acceptedMass: r.acceptedGrams === null ? null : grams(r.acceptedGrams),
        discrepancy: r.discrepancy === true,
        disputed: r.disputed === true,
        lateReceipt: r.lateReceipt === true,
        paper: r.paper === true,
        submittedAt: optDate(r.submittedAt),
        deliveredAt: optDate(r.deliveredAt),
        receivedAt: optDate(r.receivedAt),
        closedAt: optDate(r.closedAt),
      }),
    );
  }

  parties(who: Principal, f: PartySearch, sort: keyof typeof PARTY_SORTS, page: SearchPage) {
    return this.run(
      this.plan(who, 'parties', f, sort, page),
      page.first ?? DEFAULT_PAGE_SIZE,
      (r): PartySearchHitObject => ({
        id: r.id,
        uscc: str(r.uscc),
        name: str(r.name),
        types: (r.types as string[]) ?? [],
        status: str(r.status),
        region: str(r.region),
        bedCount: r.bedCount === null ? null : Number(r.bedCount),
        divisionCodes: (r.divisionCodes as string[] | null) ?? [],
        registeredAt: date(r.registeredAt),
        verifiedAt: optDate(r.verifiedAt),
      }),
    );
  }

  licences(who: Principal, f: LicenceSearch, sort: keyof typeof LICENCE_SORTS, page: SearchPage) {
    return this.run(
      this.plan(who, 'licences', f, sort, page),
      page.first ?? DEFAULT_PAGE_SIZE,
      (r): LicenceSearchHitObject => ({
        id: r.id,
        number: str(r.number),
        kind: str(r.kind),
        status: str(r.status),
        holder: ref(r.holderPartyId, r.holderName),
        validFrom: str(r.validFrom),
        validTo: str(r.validTo),
        agencyId: str(r.agencyId),
        issuedAt: date(r.issuedAt),
        divisionCodes: (r.divisionCodes as string[] | null) ?? [],
        scopes: (r.scopes as string[] | null) ?? [],
      }),
    );
  }
}
