import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../../ledger/ledger.types';
import type { Projection } from '../../ledger/projections/projection';
import { assertNever } from '../../shared/domain/domain-error';
import { parseTonnes } from '../domain/capacity.policy';
import {
  CARRIER_EVENT_TYPES,
  type CarrierEvent,
  CROSS_PROVINCE_APPROVAL_EVENT_TYPES,
  type CrossProvinceApprovalEvent,
  EMERGENCY_AUTHORISATION_EVENT_TYPES,
  type EmergencyAuthorisationEvent,
  EPIDEMIC_EVENT_TYPES,
  type EpidemicEvent,
  LICENCE_EVENT_TYPES,
  type LicenceEvent,
} from '../domain/licence.events';
import type { LicenceItemData } from '../domain/scope.policy';

async function insertItems(sql: Sql, licenceId: string, items: readonly LicenceItemData[]): Promise<void> {
  for (const [position, item] of items.entries()) {
    await sql.exec(
      `INSERT INTO licence_item (item_id, licence_id, position, scope, modes, annual_capacity_grams, mergeable_codes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        item.itemId,
        licenceId,
        position,
        item.scope,
        item.modes,
        parseTonnes(item.annualCapacityTonnes, 'annualCapacityTonnes'),
        item.mergeableCodes,
      ],
    );
  }
}

const STATUS_OF = {
  LicenceSuspended: 'SUSPENDED',
  LicenceReinstated: 'ACTIVE',
  LicenceRevoked: 'REVOKED',
} as const;

/** `licence`, `licence_item`, `licence_status_change`: licences as issued, amended and changed in status. */
export const licenceProjection: Projection = {
  name: 'licences',
  tables: ['licence', 'licence_item', 'licence_status_change'],
  eventTypes: LICENCE_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as LicenceEvent;
    switch (ev.type) {
      case 'LicenceIssued': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO licence (licence_id, number, holder_party_id, kind, valid_from, valid_to, facility_site_ids, agency_id,
                                status, issued_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ACTIVE', $9)`,
          [
            d.licenceId,
            d.number,
            d.holderPartyId,
            d.kind,
            d.validFrom,
            d.validTo,
            d.facilitySiteIds,
            d.agencyId,
            e.occurredAt,
          ],
        );
        await insertItems(sql, d.licenceId, d.items);
        return;
      }
      case 'LicenceAmended': {
        const d = ev.data;
        await sql.exec(
          `UPDATE licence SET valid_from = $2, valid_to = $3, facility_site_ids = $4 WHERE licence_id = $1`,
          [d.licenceId, d.validFrom, d.validTo, d.facilitySiteIds],
        );
        await sql.exec(`DELETE FROM licence_item WHERE licence_id = $1`, [d.licenceId]);
        await insertItems(sql, d.licenceId, d.items);
        return;
      }
      case 'LicenceSuspended':
      case 'LicenceReinstated':
      case 'LicenceRevoked': {
        const d = ev.data;
        const status = STATUS_OF[ev.type];
        await sql.exec(`UPDATE licence SET status = $2 WHERE licence_id = $1`, [d.licenceId, status]);
        await sql.exec(
          `INSERT INTO licence_status_change (licence_id, seq, status, from_date, reason, agency_id)
           SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 FROM licence_status_change WHERE licence_id = $1`,
          [d.licenceId, status, d.from, d.reason, d.agencyId],
        );
        return;
      }
      default:
        return assertNever(ev, 'licence event');
    }
  },
};

/** `transport_permit`, `vehicle`, `crew_member`: a carrier's documents (crew personal data lives elsewhere). */
export const carrierProjection: Projection = {
  name: 'carriers',
  tables: ['transport_permit', 'vehicle', 'crew_member'],
  eventTypes: CARRIER_EVENT_TYPES,
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as CarrierEvent;
    switch (ev.type) {
      case 'TransportPermitRegistered': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO transport_permit (permit_id, party_id, number, scope, valid_from, valid_to, verified, registered_at)
           VALUES ($1, $2, $3, $4, $5, $6, false, $7)`,
          [d.permitId, d.partyId, d.number, d.scope, d.validFrom, d.validTo, e.occurredAt],
        );
        return;
      }
      case 'TransportPermitVerified':
        await sql.exec(
          `UPDATE transport_permit SET verified = true, verified_by = $2, verified_at = $3 WHERE permit_id = $1`,
          [ev.data.permitId, ev.data.agencyId, e.occurredAt],
        );
        return;
      case 'VehicleRegistered': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO vehicle (vehicle_id, party_id, permit_id, plate, certificate_number, certificate_valid_to,
                                medical_waste_vehicle, gps_device_id, verified, registered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, $9)`,
          [
            d.vehicleId,
            d.partyId,
            d.permitId,
            d.plate,
            d.certificateNumber,
            d.certificateValidTo,
            d.medicalWasteVehicle,
            d.gpsDeviceId,
            e.occurredAt,
          ],
        );
        return;
      }
      case 'VehicleVerified':
        await sql.exec(
          `UPDATE vehicle SET verified = true, verified_by = $2, verified_at = $3 WHERE vehicle_id = $1`,
          [ev.data.vehicleId, ev.data.agencyId, e.occurredAt],
        );
        return;
      case 'CrewMemberRegistered': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO crew_member (person_id, party_id, role, certificate_valid_to, registered_at) VALUES ($1, $2, $3, $4, $5)`,
          [d.personId, d.partyId, d.role, d.certificateValidTo, e.occurredAt],
        );
        return;
      }
      default:
        return assertNever(ev, 'carrier event');
    }
  },
};

type AuthorisationEvent = EpidemicEvent | EmergencyAuthorisationEvent | CrossProvinceApprovalEvent;

/** `epidemic`, `emergency_authorisation`, `cross_province_approval`. */
export const authorisationProjection: Projection = {
  name: 'authorisations',
  tables: ['epidemic', 'emergency_authorisation', 'cross_province_approval'],
  eventTypes: [
    ...EPIDEMIC_EVENT_TYPES,
    ...EMERGENCY_AUTHORISATION_EVENT_TYPES,
    ...CROSS_PROVINCE_APPROVAL_EVENT_TYPES,
  ],
  async apply(sql: Sql, e: StoredEvent): Promise<void> {
    const ev = { type: e.type, data: e.data } as AuthorisationEvent;
    switch (ev.type) {
      case 'EpidemicDeclared': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO epidemic (epidemic_id, name, region_prefix, valid_from, valid_to, status, agency_id, declared_at)
           VALUES ($1, $2, $3, $4, $5, 'DECLARED', $6, $7)`,
          [d.epidemicId, d.name, d.regionPrefix, d.from, d.to, d.agencyId, e.occurredAt],
        );
        return;
      }
      case 'EpidemicEnded':
        await sql.exec(`UPDATE epidemic SET valid_to = $2, status = 'ENDED' WHERE epidemic_id = $1`, [
          ev.data.epidemicId,
          ev.data.to,
        ]);
        return;
      case 'EmergencyAuthorisationGranted': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO emergency_authorisation (authorisation_id, holder_party_id, scope, modes, capacity_grams, region_prefixes,
                                                valid_from, valid_to, facility_site_ids, epidemic_id, agency_id, granted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            d.authorisationId,
            d.holderPartyId,
            d.scope,
            d.modes,
            parseTonnes(d.capacityTonnes, 'capacityTonnes'),
            d.regionPrefixes,
            d.validFrom,
            d.validTo,
            d.facilitySiteIds,
            d.epidemicId,
            d.agencyId,
            e.occurredAt,
          ],
        );
        return;
      }
      case 'EmergencyAuthorisationRevoked':
        await sql.exec(`UPDATE emergency_authorisation SET revoked_from = $2 WHERE authorisation_id = $1`, [
          ev.data.authorisationId,
          ev.data.from,
        ]);
        return;
      case 'CrossProvinceApprovalIssued': {
        const d = ev.data;
        await sql.exec(
          `INSERT INTO cross_province_approval (approval_id, number, consignor_party_id, consignor_site_id, consignor_division_code,
             receiver_party_id, receiver_site_id, receiver_division_code, waste_codes, approved_grams, valid_from, valid_to,
             agency_id, issued_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            d.approvalId,
            d.number,
            d.consignorPartyId,
            d.consignorSiteId,
            d.consignorDivisionCode,
            d.receiverPartyId,
            d.receiverSiteId,
            d.receiverDivisionCode,
            d.wasteCodes,
            d.approvedGrams,
            d.validFrom,
            d.validTo,
            d.agencyId,
            e.occurredAt,
          ],
        );
        return;
      }
      case 'CrossProvinceApprovalRevoked':
        await sql.exec(`UPDATE cross_province_approval SET revoked_from = $2 WHERE approval_id = $1`, [
          ev.data.approvalId,
          ev.data.from,
        ]);
        return;
      default:
        return assertNever(ev, 'authorisation event');
    }
  },
};
