import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import {
  AGENCY_EVENT_TYPES,
  type AgencyEvent,
  PARTY_EVENT_TYPES,
  type PartyEvent,
} from '../domain/party.events';

type Data<E extends { type: string; data: unknown }, T extends E['type']> = Extract<E, { type: T }>['data'];

/** `party`, `party_site`, `facility`, `member` (party users), `delegation`, `device`, `management_class_override`. */
export const partyProjection: Projection = {
  name: 'parties',
  tables: ['party', 'party_site', 'facility', 'member', 'delegation', 'device', 'management_class_override'],
  eventTypes: PARTY_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as PartyEvent;
    switch (ev.type) {
      case 'PartyRegistered': {
        const d: Data<PartyEvent, 'PartyRegistered'> = ev.data;
        await sql.exec(
          `INSERT INTO party (party_id, uscc, name, types, status, registered_by, bed_count, region, registered_at)
           VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, '', $7)`,
          [d.partyId, d.uscc, d.name, d.types, d.registeredBy, d.bedCount, e.occurredAt],
        );
        return;
      }
      case 'PartyVerified':
        await sql.exec(
          `UPDATE party SET status = 'VERIFIED', verified_at = $2, verified_by = $3 WHERE party_id = $1`,
          [ev.data.partyId, e.occurredAt, ev.data.agencyId],
        );
        return;
      case 'SiteAdded': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO party_site (site_id, party_id, name, division_code, province_code, city_code, address, latitude, longitude,
                                   geofence_radius_m, expected_annual_grams, own_treatment)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            d.siteId,
            d.partyId,
            d.name,
            d.divisionCode,
            d.provinceCode,
            d.cityCode,
            d.address,
            d.latitude,
            d.longitude,
            d.geofenceRadiusM,
            d.expectedAnnualGrams,
            d.ownTreatment,
          ],
        );
        // a party's region is the division of its first site
        await sql.exec(`UPDATE party SET region = $2 WHERE party_id = $1 AND region = ''`, [
          d.partyId,
          d.divisionCode,
        ]);
        return;
      }
      case 'FacilityAdded': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO facility (facility_id, site_id, party_id, type, name, capacity_grams, max_stock_grams, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE')`,
          [d.facilityId, d.siteId, d.partyId, d.type, d.name, d.capacityGrams, d.maxStockGrams],
        );
        return;
      }
      case 'FacilityRelocated':
        await sql.exec(`UPDATE facility SET site_id = $2 WHERE facility_id = $1`, [
          ev.data.facilityId,
          ev.data.siteId,
        ]);
        return;
      case 'UserAdded':
        await sql.exec(`INSERT INTO member (user_id, party_id, role, status) VALUES ($1, $2, $3, 'ACTIVE')`, [
          ev.data.userId,
          ev.data.partyId,
          ev.data.role,
        ]);
        return;
      case 'UserRoleChanged':
        await sql.exec(`UPDATE member SET role = $2 WHERE user_id = $1`, [ev.data.userId, ev.data.role]);
        return;
      case 'UserRevoked':
        await sql.exec(`UPDATE member SET status = 'REVOKED' WHERE user_id = $1`, [ev.data.userId]);
        return;
      case 'DelegationGranted': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO delegation (delegation_id, principal_party_id, agent_party_id, scope, valid_from, valid_to, status)
           VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE')`,
          [d.delegationId, d.partyId, d.agentPartyId, d.scope, d.validFrom, d.validTo],
        );
        return;
      }
      case 'DelegationRevoked':
        await sql.exec(`UPDATE delegation SET status = 'REVOKED' WHERE delegation_id = $1`, [
          ev.data.delegationId,
        ]);
        return;
      case 'DeviceRegistered': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO device (device_id, party_id, kind, label, operations, status) VALUES ($1, $2, $3, $4, $5, 'ACTIVE')`,
          [d.deviceId, d.partyId, d.kind, d.label, d.operations],
        );
        return;
      }
      case 'DeviceRevoked':
        await sql.exec(`UPDATE device SET status = 'REVOKED' WHERE device_id = $1`, [ev.data.deviceId]);
        return;
      case 'ManagementClassOverridden': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO management_class_override (site_id, year, class, reason, agency_id) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (site_id, year) DO UPDATE SET class = excluded.class, reason = excluded.reason, agency_id = excluded.agency_id`,
          [d.siteId, d.year, d.managementClass, d.reason, d.agencyId],
        );
        return;
      }
    }
  },
};

/** `agency` and its users in `member`. */
export const agencyProjection: Projection = {
  name: 'agencies',
  tables: ['agency'],
  eventTypes: AGENCY_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as AgencyEvent;
    switch (ev.type) {
      case 'AgencyRegistered': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO agency (agency_id, name, kind, level, division_code, jurisdiction) VALUES ($1, $2, $3, $4, $5, $6)`,
          [d.agencyId, d.name, d.kind, d.level, d.divisionCode, d.jurisdiction],
        );
        return;
      }
      case 'AgencyUserAdded':
        await sql.exec(
          `INSERT INTO member (user_id, agency_id, role, status) VALUES ($1, $2, $3, 'ACTIVE')`,
          [ev.data.userId, ev.data.agencyId, ev.data.role],
        );
        return;
      case 'AgencyUserRevoked':
        await sql.exec(`UPDATE member SET status = 'REVOKED' WHERE user_id = $1`, [ev.data.userId]);
        return;
    }
  },
};
