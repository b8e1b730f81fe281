import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { jurisdictionPatterns } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../shared/graphql/pagination';
import type { PartyType } from './domain/party.events';
import type {
  AgencyObject,
  DelegationObject,
  DeviceObject,
  FacilityObject,
  PartyObject,
  PartyUserObject,
  SiteObject,
} from './graphql/party.types';

interface PartyRow {
  party_id: string;
  uscc: string;
  name: string;
  types: PartyType[];
  status: string;
  registered_by: string;
  bed_count: number | null;
  region: string;
  registered_at: Date;
  verified_at: Date | null;
}

interface SiteRow {
  site_id: string;
  party_id: string;
  name: string;
  division_code: string;
  province_code: string;
  city_code: string | null;
  address: string;
  latitude: string | null;
  longitude: string | null;
  geofence_radius_m: number | null;
  expected_annual_grams: string | null;
  own_treatment: boolean;
}

/** Operators whose licences are public: other parties may find them to name them on a manifest. */
const OPERATOR_TYPES: PartyType[] = ['COLLECTOR', 'STORAGE', 'UTILISER', 'DISPOSER', 'TRANSPORTER'];

export interface PartyFilter {
  types?: PartyType[];
  status?: string;
  divisionPrefix?: string;
  search?: string;
}

/** Reads of the party read models (scoping is applied by the callers and in `list`). */
@Injectable()
export class PartyReadService {
  constructor(private readonly db: DataSource) {}

  isOperator(types: readonly PartyType[]): boolean {
    return types.some((t) => OPERATOR_TYPES.includes(t));
  }

  async partyRow(partyId: string): Promise<PartyRow | undefined> {
    return (await this.db.query<PartyRow[]>(`SELECT * FROM party WHERE party_id = $1`, [partyId]))[0];
  }

  async siteRow(siteId: string): Promise<SiteRow | undefined> {
    return (await this.db.query<SiteRow[]>(`SELECT * FROM party_site WHERE site_id = $1`, [siteId]))[0];
  }

  async siteDivisions(partyId: string): Promise<string[]> {
    return (
      await this.db.query<{ division_code: string }[]>(
        `SELECT division_code FROM party_site WHERE party_id = $1`,
        [partyId],
      )
    ).map((r) => r.division_code);
  }

  async party(partyId: string): Promise<PartyObject | null> {
    const row = await this.partyRow(partyId);
    if (!row) return null;
    return (await this.withSites([row]))[0];
  }

  /** Parties the caller may list: its own, verified operators (the public directory), and for regulators their jurisdiction. */
  async list(who: Principal, filter: PartyFilter, first = DEFAULT_PAGE_SIZE, after?: string) {
    const params: unknown[] = [];
    const where: string[] = [];
    const own = partyOf(who);
    if (!isSystemAdmin(who)) {
      const scope: string[] = [];
      if (own) scope.push(`p.party_id = $${params.push(own)}`);
      if (isRegulator(who)) {
        scope.push(
          `EXISTS (SELECT 1 FROM party_site s WHERE s.party_id = p.party_id AND s.division_code LIKE ANY($${params.push(jurisdictionPatterns(who.agency.jurisdiction))}))`,
        );
      } else {
        scope.push(`(p.status = 'VERIFIED' AND p.types && $${params.push(OPERATOR_TYPES)}::text[])`);
      }
      where.push(`(${scope.join(' OR ')})`);
    }
    if (filter.types?.length) where.push(`p.types && $${params.push(filter.types)}::text[]`);
    if (filter.status) where.push(`p.status = $${params.push(filter.status)}`);
    if (filter.divisionPrefix) {
      where.push(
        `EXISTS (SELECT 1 FROM party_site s WHERE s.party_id = p.party_id AND s.division_code LIKE $${params.push(`${filter.divisionPrefix}%`)})`,
      );
    }
    if (filter.search) {
      const i = params.push(`%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      where.push(`(p.name ILIKE $${i} OR p.uscc ILIKE $${i})`);
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM party p ${cond}`,
      params,
    );
    const pageCond = after
      ? `${cond ? `${cond} AND` : 'WHERE'} p.party_id > $${params.push(decodeCursor(after, 1)[0])}`
      : cond;
    const rows = await this.db.query<PartyRow[]>(
      `SELECT p.* FROM party p ${pageCond} ORDER BY p.party_id LIMIT ${first + 1}`,
      params,
    );
    return toPage(await this.withSites(rows), first, n, (p) => [p.id]);
  }

  private async withSites(rows: PartyRow[]): Promise<PartyObject[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.party_id);
    const sites = await this.db.query<SiteRow[]>(
      `SELECT * FROM party_site WHERE party_id = ANY($1) ORDER BY site_id`,
      [ids],
    );
    const facilities = await this.db.query<
      {
        facility_id: string;
        site_id: string;
        type: FacilityObject['type'];
        name: string;
        capacity_grams: string | null;
        max_stock_grams: string | null;
        status: string;
      }[]
    >(`SELECT f.* FROM facility f WHERE f.party_id = ANY($1) ORDER BY f.facility_id`, [ids]);
    const toSite = (s: SiteRow): SiteObject => ({
      id: s.site_id,
      partyId: s.party_id,
      name: s.name,
      divisionCode: s.division_code,
      provinceCode: s.province_code,
      cityCode: s.city_code,
      address: s.address,
      latitude: s.latitude,
      longitude: s.longitude,
      geofenceRadiusM: s.geofence_radius_m,
      expectedAnnualAmount: s.expected_annual_grams === null ? null : Number(s.expected_annual_grams),
      ownTreatment: s.own_treatment,
      facilities: facilities
        .filter((f) => f.site_id === s.site_id)
        .map((f) => ({
          id: f.facility_id,
          siteId: f.site_id,
          type: f.type,
          name: f.name,
          capacity: f.capacity_grams === null ? null : Number(f.capacity_grams),
          maxStock: f.max_stock_grams === null ? null : Number(f.max_stock_grams),
          status: f.status,
        })),
    });
    return rows.map((r) => ({
      id: r.party_id,
      uscc: r.uscc,
      name: r.name,
      types: r.types,
      status: r.status,
      registeredBy: r.registered_by,
      bedCount: r.bed_count,
      region: r.region,
      registeredAt: r.registered_at,
      verifiedAt: r.verified_at,
      sites: sites.filter((s) => s.party_id === r.party_id).map(toSite),
    }));
  }

  async users(partyId: string): Promise<PartyUserObject[]> {
    return this.db.query<PartyUserObject[]>(
      `SELECT m.user_id AS id, u.username, u.display_name AS "displayName", m.role, m.status
         FROM member m JOIN user_account u ON u.user_id = m.user_id WHERE m.party_id = $1 ORDER BY u.username`,
      [partyId],
    );
  }

  async delegations(partyId: string): Promise<DelegationObject[]> {
    return this.db.query<DelegationObject[]>(
      `SELECT delegation_id AS id, principal_party_id AS "principalPartyId", agent_party_id AS "agentPartyId", scope,
              to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", status
         FROM delegation WHERE principal_party_id = $1 OR agent_party_id = $1 ORDER BY delegation_id`,
      [partyId],
    );
  }

  async devices(partyId: string): Promise<DeviceObject[]> {
    return this.db.query<DeviceObject[]>(
      `SELECT device_id AS id, party_id AS "partyId", kind, label, operations, status FROM device WHERE party_id = $1 ORDER BY device_id`,
      [partyId],
    );
  }

  async device(deviceId: string): Promise<DeviceObject | undefined> {
    return (
      await this.db.query<DeviceObject[]>(
        `SELECT device_id AS id, party_id AS "partyId", kind, label, operations, status FROM device WHERE device_id = $1`,
        [deviceId],
      )
    )[0];
  }

  async agencies(): Promise<AgencyObject[]> {
    return this.db.query<AgencyObject[]>(
      `SELECT agency_id AS id, name, kind, level, division_code AS "divisionCode", jurisdiction FROM agency ORDER BY division_code, name`,
    );
  }

  async agency(agencyId: string): Promise<AgencyObject | undefined> {
    return (await this.agencies()).find((a) => a.id === agencyId);
  }

  /**
   * An active delegation from `principalPartyId` to `agentPartyId` covering `scope` on a date,
   * or undefined. Agents act for the delegating party; every such act names both.
   */
  async delegation(
    principalPartyId: string,
    agentPartyId: string,
    scope: string,
    date: string,
  ): Promise<string | undefined> {
    const [r] = await this.db.query<{ delegation_id: string }[]>(
      `SELECT delegation_id FROM delegation WHERE principal_party_id = $1 AND agent_party_id = $2 AND status = 'ACTIVE'
          AND $3 = ANY(scope) AND valid_from <= $4::date AND valid_to >= $4::date LIMIT 1`,
      [principalPartyId, agentPartyId, scope, date],
    );
    return r?.delegation_id;
  }
}
