import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PartiesService } from '../parties/parties.service';
import { PartyReadService } from '../parties/party-read.service';
import { canSee, jurisdictionPatterns, notFound } from '../shared/auth/access-policy';
import { isInspector, isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { approvalCounterId, formatTonnes } from './domain/capacity.policy';
import type { AuthorisationFilter } from './graphql/authorisation.inputs';
import type {
  CrewMemberObject,
  CrossProvinceApprovalObject,
  EmergencyAuthorisationObject,
  EpidemicObject,
  TransportPermitObject,
  VehicleObject,
} from './graphql/licence.objects';
import { holderScope, operatorTypes } from './holder-scope';
import { LicenceCheckService } from './licence-check.service';
import { LicenceReadService, type VehicleRecord } from './licence-read.service';

/**
 * Scoped reads of carriers' documents and of authorisations: permits and vehicles of a verified
 * transporter are directory information (verified ones only); crew personal data is the carrier's
 * and its regulators'; epidemics are public notices; emergency authorisations are read like
 * licences; cross-province approvals only by the consignor, the receiver and regulators of either
 * province. Anything else is NOT_FOUND.
 */
@Injectable()
export class DocumentsQueryService {
  private readonly operatorTypes: string[];

  constructor(
    private readonly db: DataSource,
    private readonly read: LicenceReadService,
    private readonly checks: LicenceCheckService,
    private readonly parties: PartiesService,
    private readonly partyRead: PartyReadService,
  ) {
    this.operatorTypes = operatorTypes(partyRead);
  }

  /** Permits of a carrier the caller may see (directory viewers: verified permits and vehicles only). */
  async permits(who: Principal, partyId: string): Promise<TransportPermitObject[]> {
    const full = await this.carrierAccess(who, partyId);
    const vehicles = await this.read.vehicles(`party_id = $1`, [partyId]);
    return (await this.read.permitsOf(partyId))
      .filter((p) => full || p.verified)
      .map((p) => ({
        id: p.id,
        partyId: p.partyId,
        number: p.number,
        scope: typeof p.scope === 'string' ? p.scope : null,
        validFrom: p.validFrom ?? null,
        validTo: p.validTo,
        verified: p.verified,
        vehicles: vehicles.filter((v) => v.permitId === p.id && (full || v.verified)).map(toVehicle),
      }));
  }

  /** Vehicles of a carrier, or (inspectors and regulators, at a roadside check) the vehicle with a plate. */
  async vehicles(who: Principal, partyId?: string, plate?: string): Promise<VehicleObject[]> {
    if (plate && (isInspector(who) || isRegulator(who) || isSystemAdmin(who)) && !partyId) {
      return (await this.read.vehicles(`plate = $1`, [plate.trim().toUpperCase()])).map(toVehicle);
    }
    if (!partyId) throw DomainError.badInput('partyId', 'partyId: the carrier whose vehicles to list');
    const full = await this.carrierAccess(who, partyId);
    const params: unknown[] = [partyId];
    const plateCond = plate ? ` AND plate = $${params.push(plate.trim().toUpperCase())}` : '';
    return (await this.read.vehicles(`party_id = $1${plateCond}`, params))
      .filter((v) => full || v.verified)
      .map(toVehicle);
  }

  /** Drivers and escorts with their personal data: the carrier itself and regulators overseeing it only. */
  async crew(who: Principal, partyId: string): Promise<CrewMemberObject[]> {
    const party = await this.partyRead.party(partyId);
    if (
      !party ||
      !canSee(who, { partyIds: [partyId], divisionCodes: party.sites.map((s) => s.divisionCode) })
    ) {
      throw notFound('party');
    }
    return this.db.query<CrewMemberObject[]>(
      `SELECT c.person_id AS id, c.party_id AS "partyId", c.role, to_char(c.certificate_valid_to, 'YYYY-MM-DD') AS "certificateValidTo",
              p.name, p.phone, p.certificate_number AS "certificateNumber"
         FROM crew_member c LEFT JOIN crew_member_personal p ON p.person_id = c.person_id
        WHERE c.party_id = $1 ORDER BY c.person_id`,
      [partyId],
    );
  }

  /** Declared epidemics (public notices), optionally those covering a division or in force on a day. */
  async epidemics(divisionCode?: string, activeOn?: string): Promise<EpidemicObject[]> {
    const params: unknown[] = [];
    const where = ['true'];
    if (divisionCode) where.push(`$${params.push(divisionCode)} LIKE region_prefix || '%'`);
    if (activeOn) {
      const i = params.push(activeOn);
      where.push(`valid_from <= $${i}::date AND (valid_to IS NULL OR valid_to >= $${i}::date)`);
    }
    return this.db.query<EpidemicObject[]>(
      `SELECT epidemic_id AS id, name, region_prefix AS "regionPrefix", to_char(valid_from, 'YYYY-MM-DD') AS "from",
              to_char(valid_to, 'YYYY-MM-DD') AS "to", status, agency_id AS "agencyId"
         FROM epidemic WHERE ${where.join(' AND ')} ORDER BY valid_from DESC, epidemic_id`,
      params,
    );
  }

  async emergencyAuthorisations(
    who: Principal,
    filter: AuthorisationFilter,
  ): Promise<EmergencyAuthorisationObject[]> {
    const params: unknown[] = [];
    const where = [
      holderScope(
        who,
        params,
        this.operatorTypes,
        'a.holder_party_id',
        (i) =>
          `(EXISTS (SELECT 1 FROM party_site s WHERE s.party_id = a.holder_party_id AND s.division_code LIKE ANY($${i}))
            OR EXISTS (SELECT 1 FROM unnest(a.region_prefixes) r WHERE r LIKE ANY($${i})))`,
      ),
    ];
    if (filter.partyId) where.push(`a.holder_party_id = $${params.push(filter.partyId)}`);
    if (filter.validOn) {
      const i = params.push(filter.validOn);
      where.push(
        `a.valid_from <= $${i}::date AND a.valid_to >= $${i}::date AND (a.revoked_from IS NULL OR a.revoked_from > $${i}::date)
         AND (e.valid_to IS NULL OR e.valid_to >= $${i}::date)`,
      );
    }
    const rows = await this.db.query<
      (Omit<EmergencyAuthorisationObject, 'capacityTonnes'> & { capacityGrams: string })[]
    >(
      `SELECT a.authorisation_id AS id, a.holder_party_id AS "holderPartyId", a.scope, a.modes, a.capacity_grams AS "capacityGrams",
              a.region_prefixes AS "regionPrefixes", to_char(a.valid_from, 'YYYY-MM-DD') AS "validFrom",
              to_char(a.valid_to, 'YYYY-MM-DD') AS "validTo", a.facility_site_ids AS "facilitySiteIds",
              to_char(a.revoked_from, 'YYYY-MM-DD') AS "revokedFrom", a.epidemic_id AS "epidemicId",
              to_char(e.valid_to + 1, 'YYYY-MM-DD') AS "epidemicEndedFrom", a.agency_id AS "agencyId"
         FROM emergency_authorisation a LEFT JOIN epidemic e ON e.epidemic_id = a.epidemic_id
        WHERE ${where.join(' AND ')} ORDER BY a.authorisation_id`,
      params,
    );
    return rows.map(({ capacityGrams, ...r }) => ({
      ...r,
      capacityTonnes: formatTonnes(Number(capacityGrams)),
    }));
  }

  async crossProvinceApprovals(
    who: Principal,
    filter: AuthorisationFilter,
  ): Promise<CrossProvinceApprovalObject[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (!isSystemAdmin(who)) {
      const scope: string[] = [];
      const own = partyOf(who);
      if (own) scope.push(`$${params.push(own)} IN (a.consignor_party_id, a.receiver_party_id)`);
      if (isRegulator(who)) {
        const i = params.push(jurisdictionPatterns(who.agency.jurisdiction));
        scope.push(`(a.consignor_division_code LIKE ANY($${i}) OR a.receiver_division_code LIKE ANY($${i}))`);
      }
      where.push(scope.length ? `(${scope.join(' OR ')})` : 'false');
    }
    if (filter.partyId)
      where.push(`$${params.push(filter.partyId)} IN (a.consignor_party_id, a.receiver_party_id)`);
    if (filter.validOn) {
      const i = params.push(filter.validOn);
      where.push(
        `a.valid_from <= $${i}::date AND a.valid_to >= $${i}::date AND (a.revoked_from IS NULL OR a.revoked_from > $${i}::date)`,
      );
    }
    const rows = await this.db.query<
      (Omit<CrossProvinceApprovalObject, 'usedQuantity' | 'remainingQuantity'> & {
        approvedQuantity: string;
      })[]
    >(
      `SELECT a.approval_id AS id, a.number, a.consignor_party_id AS "consignorPartyId", a.consignor_site_id AS "consignorSiteId",
              a.receiver_party_id AS "receiverPartyId", a.receiver_site_id AS "receiverSiteId", a.waste_codes AS "wasteCodes",
              a.approved_grams AS "approvedQuantity", to_char(a.valid_from, 'YYYY-MM-DD') AS "validFrom",
              to_char(a.valid_to, 'YYYY-MM-DD') AS "validTo", to_char(a.revoked_from, 'YYYY-MM-DD') AS "revokedFrom",
              a.agency_id AS "agencyId"
         FROM cross_province_approval a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.approval_id`,
      params,
    );
    const used = await this.checks.counterValues(rows.map((r) => approvalCounterId(r.id)));
    return rows.map((r) => {
      const approved = Number(r.approvedQuantity);
      const u = used.get(approvalCounterId(r.id)) ?? 0;
      return { ...r, approvedQuantity: approved, usedQuantity: u, remainingQuantity: approved - u };
    });
  }

  /** The caller sees the carrier (own, regulator, or a verified transporter in the directory); true for full access. */
  private async carrierAccess(who: Principal, partyId: string): Promise<boolean> {
    const party = await this.parties.visibleParty(who, partyId);
    return canSee(who, { partyIds: [partyId], divisionCodes: party.sites.map((s) => s.divisionCode) });
  }
}

const toVehicle = (v: VehicleRecord): VehicleObject => ({
  id: v.id,
  partyId: v.partyId,
  permitId: v.permitId,
  plate: v.plate,
  certificateNumber: v.certificateNumber,
  certificateValidTo: v.certificateValidTo,
  medicalWasteVehicle: v.medicalWasteVehicle,
  gpsDeviceId: v.gpsDeviceId,
  verified: v.verified,
});
