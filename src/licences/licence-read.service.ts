import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BusinessDate } from '../parties/domain/business-date';
import type {
  EmergencyAuthorisation,
  Licence,
  LicenceItem,
  LicenceKind,
  LicenceMode,
  LicenceStatus,
} from '../parties/domain/licence';
import type {
  CrossProvinceApproval,
  Person,
  TransportPermit,
  Vehicle,
} from '../parties/domain/transfer-check';
import { grams } from '../shared/domain/mass';
import { shanghaiDate } from '../shared/domain/time';

/** A licence as the read model holds it: the domain type plus what the directory shows. */
export interface LicenceRecord extends Licence {
  readonly agencyId: string;
  /** Status today is derived with `licenceStatusOn`; this is the latest status issued. */
  readonly latestStatus: LicenceStatus;
  readonly issuedAt: Date;
}

/** A vehicle with its registration facts (the domain type is what the carrier check needs). */
export interface VehicleRecord extends Vehicle {
  readonly partyId: string;
  readonly certificateNumber: string;
  readonly gpsDeviceId: string | null;
  /** Verified by a regulator (VehicleVerified). */
  readonly verified: boolean;
}

/** A driver or escort (names and phones live in `crew_member_personal`, outside the ledger). */
export interface PersonRecord extends Person {
  readonly partyId: string;
  readonly role: 'DRIVER' | 'ESCORT';
  /** From the personal-data table; null once erased. */
  readonly certificateNumber: string | null;
}

interface LicenceRow {
  licence_id: string;
  number: string;
  holder_party_id: string;
  kind: LicenceKind;
  valid_from: string;
  valid_to: string;
  facility_site_ids: string[];
  agency_id: string;
  status: LicenceStatus;
  issued_at: Date;
}
interface ItemRow {
  licence_id: string;
  item_id: string;
  scope: string;
  modes: LicenceMode[];
  annual_capacity_grams: string;
  mergeable_codes: string[];
}
interface StatusRow {
  licence_id: string;
  status: LicenceStatus;
  from_date: string;
}

const DATE = (col: string, as = col) => `to_char(${col}, 'YYYY-MM-DD') AS ${as}`;

/** Tonnes as the domain type holds them (capacity is stored in integer grams). */
const gramsToTonnes = (g: string | number): number => Number(g) / 1_000_000;

/**
 * 许可与授权读模型 — reads of the licence read models for the checks of other capabilities
 * (manifests, lots): licences, emergency authorisations, epidemics, transport permits, vehicles,
 * crew and cross-province approvals, as the pure domain types of `src/parties/domain`. No access
 * scoping here: callers scope (the GraphQL layer uses `LicencesQueryService`).
 */
/**
 * SQL (a boolean) for 重大传染病疫情 declared over a 6-digit division on a Shanghai day, for queries
 * that read it with other facts in one round trip; `division` and `day` are SQL expressions.
 */
export const epidemicDeclaredSql = (division: string, day: string) =>
  `EXISTS (SELECT 1 FROM epidemic WHERE ${division} LIKE region_prefix || '%'
             AND valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date))`;

@Injectable()
export class LicenceReadService {
  constructor(private readonly db: DataSource) {}

  /** Every licence the party holds (any status, any validity), with items and status changes. */
  async licencesOf(partyId: string): Promise<Licence[]> {
    return this.licenceRecords(`l.holder_party_id = $1`, [partyId]);
  }

  /** One licence, or null. */
  async licence(licenceId: string): Promise<LicenceRecord | null> {
    return (await this.licenceRecords(`l.licence_id = $1`, [licenceId]))[0] ?? null;
  }

  /** Licences matching a SQL condition over `licence l` (for the scoped queries of this module). */
  async licenceRecords(condition: string, params: unknown[], limit?: number): Promise<LicenceRecord[]> {
    const rows = await this.db.query<LicenceRow[]>(
      `SELECT l.licence_id, l.number, l.holder_party_id, l.kind, ${DATE('l.valid_from', 'valid_from')},
              ${DATE('l.valid_to', 'valid_to')}, l.facility_site_ids, l.agency_id, l.status, l.issued_at
         FROM licence l WHERE ${condition} ORDER BY l.licence_id ${limit ? `LIMIT ${limit}` : ''}`,
      params,
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.licence_id);
    const items = await this.db.query<ItemRow[]>(
      `SELECT licence_id, item_id, scope, modes, annual_capacity_grams, mergeable_codes
         FROM licence_item WHERE licence_id = ANY($1) ORDER BY licence_id, position`,
      [ids],
    );
    const changes = await this.db.query<StatusRow[]>(
      `SELECT licence_id, status, ${DATE('from_date', 'from_date')} FROM licence_status_change
        WHERE licence_id = ANY($1) ORDER BY licence_id, seq`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.licence_id,
      number: r.number,
      holderPartyId: r.holder_party_id,
      kind: r.kind,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      facilitySiteIds: r.facility_site_ids,
      agencyId: r.agency_id,
      latestStatus: r.status,
      issuedAt: r.issued_at,
      statusChanges: changes
        .filter((c) => c.licence_id === r.licence_id)
        .map((c) => ({ status: c.status, from: c.from_date })),
      items: items
        .filter((i) => i.licence_id === r.licence_id)
        .map((i): LicenceItem => ({
          itemId: i.item_id,
          scope: i.scope,
          modes: i.modes,
          annualCapacityTonnes: gramsToTonnes(i.annual_capacity_grams),
          mergeableCodes: i.mergeable_codes,
        })),
    }));
  }

  /** 应急处置 — emergency authorisations granted to the party (any validity). */
  async emergencyAuthorisationsOf(partyId: string): Promise<EmergencyAuthorisation[]> {
    const rows = await this.db.query<
      {
        authorisation_id: string;
        holder_party_id: string;
        scope: string[];
        modes: LicenceMode[];
        capacity_grams: string;
        region_prefixes: string[];
        valid_from: string;
        valid_to: string;
        facility_site_ids: string[] | null;
        revoked_from: string | null;
        epidemic_ended_from: string | null;
      }[]
    >(
      `SELECT a.authorisation_id, a.holder_party_id, a.scope, a.modes, a.capacity_grams, a.region_prefixes,
              ${DATE('a.valid_from', 'valid_from')}, ${DATE('a.valid_to', 'valid_to')}, a.facility_site_ids,
              ${DATE('a.revoked_from', 'revoked_from')}, ${DATE('e.valid_to + 1', 'epidemic_ended_from')}
         FROM emergency_authorisation a LEFT JOIN epidemic e ON e.epidemic_id = a.epidemic_id
        WHERE a.holder_party_id = $1 ORDER BY a.authorisation_id`,
      [partyId],
    );
    return rows.map((r) => ({
      id: r.authorisation_id,
      holderPartyId: r.holder_party_id,
      scope: r.scope,
      modes: r.modes,
      capacityTonnes: gramsToTonnes(r.capacity_grams),
      regionPrefixes: r.region_prefixes,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      ...(r.facility_site_ids ? { facilitySiteIds: r.facility_site_ids } : {}),
      revokedFrom: r.revoked_from,
      epidemicEndedFrom: r.epidemic_ended_from,
    }));
  }

  /**
   * 重大传染病疫情 — true when a declared epidemic covers the 6-digit division on the Shanghai day
   * of `at` (from its first day to its last day inclusive, or open-ended until it is ended).
   */
  async epidemicDeclaredAt(divisionCode: string, at: Date): Promise<boolean> {
    const day: BusinessDate = shanghaiDate(at);
    const [row] = await this.db.query<{ declared: boolean }[]>(
      `SELECT ${epidemicDeclaredSql('$1', '$2')} AS declared`,
      [divisionCode, day],
    );
    return row.declared;
  }

  /** 道路危险货物运输许可 — the carrier's transport permits, with the ids of their verified vehicles. */
  async permitsOf(partyId: string): Promise<TransportPermit[]> {
    return this.permits(`p.party_id = $1`, [partyId]);
  }

  /** One transport permit, or null. */
  async permit(permitId: string): Promise<TransportPermit | null> {
    return (await this.permits(`p.permit_id = $1`, [permitId]))[0] ?? null;
  }

  private async permits(condition: string, params: unknown[]): Promise<TransportPermit[]> {
    const rows = await this.db.query<
      {
        permit_id: string;
        party_id: string;
        number: string;
        verified: boolean;
        valid_from: string | null;
        valid_to: string;
        scope: string | null;
        vehicle_ids: string[];
      }[]
    >(
      `SELECT p.permit_id, p.party_id, p.number, p.verified, ${DATE('p.valid_from', 'valid_from')},
              ${DATE('p.valid_to', 'valid_to')}, p.scope,
              COALESCE(ARRAY(SELECT v.vehicle_id FROM vehicle v WHERE v.permit_id = p.permit_id AND v.verified
                              ORDER BY v.vehicle_id), '{}') AS vehicle_ids
         FROM transport_permit p WHERE ${condition} ORDER BY p.permit_id`,
      params,
    );
    return rows.map((r) => ({
      id: r.permit_id,
      partyId: r.party_id,
      number: r.number,
      verified: r.verified,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      scope: r.scope,
      vehicleIds: r.vehicle_ids,
    }));
  }

  /** A vehicle with its 道路运输证, or null. */
  async vehicle(vehicleId: string): Promise<VehicleRecord | null> {
    return (await this.vehicles(`vehicle_id = $1`, [vehicleId]))[0] ?? null;
  }

  /** Vehicles matching a SQL condition over `vehicle`. */
  async vehicles(condition: string, params: unknown[]): Promise<VehicleRecord[]> {
    const rows = await this.db.query<
      {
        vehicle_id: string;
        party_id: string;
        permit_id: string;
        plate: string;
        certificate_number: string;
        certificate_valid_to: string;
        medical_waste_vehicle: boolean;
        gps_device_id: string | null;
        verified: boolean;
      }[]
    >(
      `SELECT vehicle_id, party_id, permit_id, plate, certificate_number, ${DATE('certificate_valid_to')},
              medical_waste_vehicle, gps_device_id, verified
         FROM vehicle WHERE ${condition} ORDER BY vehicle_id`,
      params,
    );
    return rows.map((r) => ({
      id: r.vehicle_id,
      partyId: r.party_id,
      permitId: r.permit_id,
      plate: r.plate,
      certificateNumber: r.certificate_number,
      certificateValidTo: r.certificate_valid_to,
      medicalWasteVehicle: r.medical_waste_vehicle,
      gpsDeviceId: r.gps_device_id,
      verified: r.verified,
    }));
  }

  /** A driver or escort (qualification certificate only; no personal data), or null. */
  async person(personId: string): Promise<PersonRecord | null> {
    return (await this.crew(`c.person_id = $1`, [personId]))[0] ?? null;
  }

  /** Crew members matching a SQL condition over `crew_member c` (the certificate number comes from the personal-data table). */
  async crew(condition: string, params: unknown[]): Promise<PersonRecord[]> {
    const rows = await this.db.query<
      {
        person_id: string;
        party_id: string;
        role: 'DRIVER' | 'ESCORT';
        certificate_number: string | null;
        certificate_valid_to: string;
      }[]
    >(
      `SELECT c.person_id, c.party_id, c.role, p.certificate_number, ${DATE('c.certificate_valid_to', 'certificate_valid_to')}
         FROM crew_member c LEFT JOIN crew_member_personal p ON p.person_id = c.person_id
        WHERE ${condition} ORDER BY c.person_id`,
      params,
    );
    return rows.map((r) => ({
      id: r.person_id,
      partyId: r.party_id,
      role: r.role,
      certificateNumber: r.certificate_number,
      certificateValidTo: r.certificate_valid_to,
    }));
  }

  /** 跨省转移审批 — approvals naming this consignor and receiver (any validity). */
  async approvalsBetween(
    consignorPartyId: string,
    receiverPartyId: string,
  ): Promise<CrossProvinceApproval[]> {
    const rows = await this.db.query<
      {
        approval_id: string;
        number: string;
        consignor_party_id: string;
        receiver_party_id: string;
        waste_codes: string[];
        approved_grams: string;
        valid_from: string;
        valid_to: string;
        revoked_from: string | null;
      }[]
    >(
      `SELECT approval_id, number, consignor_party_id, receiver_party_id, waste_codes, approved_grams,
              ${DATE('valid_from')}, ${DATE('valid_to')}, ${DATE('revoked_from')}
         FROM cross_province_approval WHERE consignor_party_id = $1 AND receiver_party_id = $2
        ORDER BY approval_id`,
      [consignorPartyId, receiverPartyId],
    );
    return rows.map((r) => ({
      id: r.approval_id,
      number: r.number,
      consignorPartyId: r.consignor_party_id,
      receiverPartyId: r.receiver_party_id,
      wasteCodes: r.waste_codes,
      approvedGrams: grams(Number(r.approved_grams)),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      revokedFrom: r.revoked_from,
    }));
  }
}
