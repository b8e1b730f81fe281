import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { categoryOfCode } from '../catalogue/domain/medical-waste';
import { type LicenceMode, licenceStandingOn, MEDICAL_ALTERNATIVE_CATEGORY } from '../parties/domain/licence';
import { PARTY_TYPES } from '../parties/domain/party.events';
import { PartiesService } from '../parties/parties.service';
import { PartyReadService } from '../parties/party-read.service';
import { canSee, jurisdictionPatterns, notFound } from '../shared/auth/access-policy';
import { isInspector, isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { tonnesToGrams } from '../shared/domain/mass';
import { shanghaiDate } from '../shared/domain/time';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../shared/graphql/pagination';
import { approvalCounterId, formatTonnes } from './domain/capacity.policy';
import type { AuthorisationFilter } from './graphql/authorisation.inputs';
import type { LicenceFilter } from './graphql/licence.inputs';
import type {
  CrewMemberObject,
  CrossProvinceApprovalObject,
  EmergencyAuthorisationObject,
  EpidemicObject,
  LicenceCheckResultObject,
  LicenceObject,
  TransportPermitObject,
  VehicleObject,
} from './graphql/licence.objects';
import { LicenceCheckService } from './licence-check.service';
import { type LicenceRecord, LicenceReadService, type VehicleRecord } from './licence-read.service';

/** Refusals `licenceCheck` answers with instead of failing. */
const CHECK_REFUSALS = new Set([
  'RECEIVER_NOT_LICENSED',
  'LICENCE_MODE_MISSING',
  'LICENCE_CAPACITY_EXCEEDED',
]);

/**
 * Scoped reads for the GraphQL layer: a party sees its own licences and documents; regulators see
 * those touching a site in their jurisdiction; a VERIFIED operator's licences, permits and
 * vehicles are public directory information (like `parties`); crew personal data and
 * cross-province approvals are never directory information. Anything else is NOT_FOUND.
 */
@Injectable()
export class LicencesQueryService {
  private readonly operatorTypes: string[];

  constructor(
    private readonly db: DataSource,
    private readonly read: LicenceReadService,
    private readonly checks: LicenceCheckService,
    private readonly parties: PartiesService,
    private readonly partyRead: PartyReadService,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {
    this.operatorTypes = PARTY_TYPES.filter((t) => partyRead.isOperator([t]));
  }

  async licence(who: Principal, licenceId: string): Promise<LicenceObject> {
    const params: unknown[] = [licenceId];
    const [l] = await this.read.licenceRecords(`l.licence_id = $1 AND ${this.scope(who, params)}`, params);
    if (!l) throw notFound('licence');
    return this.toObject(l);
  }

  async licences(who: Principal, filter: LicenceFilter, first = DEFAULT_PAGE_SIZE, after?: string) {
    const params: unknown[] = [];
    const where = [this.scope(who, params)];
    if (filter.holderPartyId) where.push(`l.holder_party_id = $${params.push(filter.holderPartyId)}`);
    if (filter.kind) where.push(`l.kind = $${params.push(filter.kind)}`);
    if (filter.status) where.push(`l.status = $${params.push(filter.status)}`);
    if (filter.validOn) {
      const i = params.push(filter.validOn);
      where.push(`l.valid_from <= $${i}::date AND l.valid_to >= $${i}::date`);
    }
    if (filter.divisionPrefix) {
      where.push(
        `EXISTS (SELECT 1 FROM party_site s WHERE s.site_id = ANY(l.facility_site_ids) AND s.division_code LIKE $${params.push(`${filter.divisionPrefix}%`)})`,
      );
    }
    if (filter.wasteCode) {
      const scopes = [filter.wasteCode, categoryOfCode(filter.wasteCode)];
      const alternative = MEDICAL_ALTERNATIVE_CATEGORY[filter.wasteCode];
      if (alternative) scopes.push(alternative);
      where.push(
        `EXISTS (SELECT 1 FROM licence_item i WHERE i.licence_id = l.licence_id AND i.scope = ANY($${params.push(scopes)}))`,
      );
    }
    const cond = where.join(' AND ');
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM licence l WHERE ${cond}`,
      params,
    );
    const pageCond = after ? `${cond} AND l.licence_id > $${params.push(decodeCursor(after, 1)[0])}` : cond;
    const rows = await this.read.licenceRecords(pageCond, params, first + 1);
    return toPage(
      rows.map((r) => this.toObject(r)),
      first,
      n,
      (l) => [l.id],
    );
  }

  /**
   * Answers whether the receiver could take the waste (without reserving): allowed, with the
   * capacity level, or the refusal code. A party the caller may not see is NOT_FOUND; an unknown
   * code UNKNOWN_WASTE_CODE.
   */
  async licenceCheck(
    who: Principal,
    q: {
      partyId: string;
      siteId?: string;
      wasteCode: string;
      mode: LicenceMode;
      date: string;
      mass: number;
      originDivisionCode?: string;
    },
  ): Promise<LicenceCheckResultObject> {
    const party = await this.parties.visibleParty(who, q.partyId);
    if (!(await this.catalogue.findCode(q.wasteCode, new Date(`${q.date}T12:00:00+08:00`)))) {
      throw new DomainError(
        'UNKNOWN_WASTE_CODE',
        `${q.wasteCode} is not in the waste catalogue in force on ${q.date}`,
        {
          field: 'wasteCode',
        },
      );
    }
    const refused = (code: string, message: string): LicenceCheckResultObject => ({
      ...EMPTY_CHECK,
      refusalCode: code,
      message,
    });
    if (party.status !== 'VERIFIED') {
      return refused('PARTY_NOT_VERIFIED', 'the receiver has not been verified by a regulator');
    }
    const origin = q.originDivisionCode ?? (await this.originOf(who));
    try {
      const ok = await this.checks.evaluateReceiver({
        receiverPartyId: q.partyId,
        siteId: q.siteId,
        originDivisionCode: origin,
        wasteCode: q.wasteCode,
        mode: q.mode,
        businessDate: q.date,
        massGrams: q.mass,
      });
      return {
        allowed: true,
        capacityLevel: ok.capacityLevel,
        refusalCode: null,
        message: null,
        licenceId: ok.licenceId,
        licenceNumber: ok.licenceNumber,
        itemId: ok.itemId,
        scope: ok.scope,
        emergency: ok.emergency,
        year: ok.year,
        used: ok.usedGrams,
        after: ok.afterGrams,
        capacity: ok.capacityGrams,
      };
    } catch (e) {
      if (isDomainError(e) && CHECK_REFUSALS.has(e.code)) {
        const d = e.details as {
          usedGrams?: number;
          afterGrams?: number;
          capacityGrams?: number;
          year?: number;
        };
        return {
          ...refused(e.code, e.message),
          year: d.year ?? null,
          used: d.usedGrams ?? null,
          after: d.afterGrams ?? null,
          capacity: d.capacityGrams ?? null,
        };
      }
      throw e;
    }
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
      this.scopeOn(
        who,
        params,
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
        `a.valid_from <= $${i}::date AND a.valid_to >= $${i}::date AND (a.revoked_from IS NULL OR a.revoked_from > $${i}::date)`,
      );
    }
    const rows = await this.db.query<
      (Omit<EmergencyAuthorisationObject, 'capacityTonnes'> & { capacityGrams: string })[]
    >(
      `SELECT a.authorisation_id AS id, a.holder_party_id AS "holderPartyId", a.scope, a.modes, a.capacity_grams AS "capacityGrams",
              a.region_prefixes AS "regionPrefixes", to_char(a.valid_from, 'YYYY-MM-DD') AS "validFrom",
              to_char(a.valid_to, 'YYYY-MM-DD') AS "validTo", a.facility_site_ids AS "facilitySiteIds",
              to_char(a.revoked_from, 'YYYY-MM-DD') AS "revokedFrom", a.epidemic_id AS "epidemicId", a.agency_id AS "agencyId"
         FROM emergency_authorisation a WHERE ${where.join(' AND ')} ORDER BY a.authorisation_id`,
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

  /** Origin of the caller's waste for emergency authorisations: the first site of its party. */
  private async originOf(who: Principal): Promise<string | undefined> {
    const own = partyOf(who);
    if (!own) return undefined;
    return (await this.partyRead.siteDivisions(own))[0];
  }

  /** SQL scope over `licence l`: own, regulators' jurisdiction (facility sites), the verified-operator directory. */
  private scope(who: Principal, params: unknown[]): string {
    return this.scopeOn(
      who,
      params,
      'l.holder_party_id',
      (i) =>
        `EXISTS (SELECT 1 FROM party_site s WHERE s.site_id = ANY(l.facility_site_ids) AND s.division_code LIKE ANY($${i}))`,
    );
  }

  /**
   * SQL scope for records held by a party: the holder itself, a regulator when `inJurisdiction`
   * holds for its patterns (parameter `$i`), and the verified-operator directory.
   */
  private scopeOn(
    who: Principal,
    params: unknown[],
    holderCol: string,
    inJurisdiction: (i: number) => string,
  ): string {
    if (isSystemAdmin(who)) return 'true';
    if (who.kind === 'ANONYMOUS') return 'false';
    const scope: string[] = [];
    const own = partyOf(who);
    if (own) scope.push(`${holderCol} = $${params.push(own)}`);
    if (isRegulator(who))
      scope.push(inJurisdiction(params.push(jurisdictionPatterns(who.agency.jurisdiction))));
    scope.push(
      `EXISTS (SELECT 1 FROM party p WHERE p.party_id = ${holderCol} AND p.status = 'VERIFIED' AND p.types && $${params.push(this.operatorTypes)}::text[])`,
    );
    return `(${scope.join(' OR ')})`;
  }

  private toObject(l: LicenceRecord): LicenceObject {
    return {
      id: l.id,
      number: l.number,
      holderPartyId: l.holderPartyId,
      kind: l.kind,
      validFrom: l.validFrom,
      validTo: l.validTo,
      status: l.latestStatus,
      standingToday: licenceStandingOn(l, shanghaiDate(this.clock.now())),
      statusChanges: (l.statusChanges ?? []).map((c) => ({ status: c.status, from: c.from })),
      facilitySiteIds: [...l.facilitySiteIds],
      items: l.items.map((i) => ({
        id: i.itemId,
        scope: i.scope,
        modes: [...i.modes],
        annualCapacityTonnes: formatTonnes(tonnesToGrams(i.annualCapacityTonnes)),
        annualCapacity: tonnesToGrams(i.annualCapacityTonnes),
        mergeableCodes: [...(i.mergeableCodes ?? [])],
      })),
      agencyId: l.agencyId,
      issuedAt: l.issuedAt,
    };
  }
}

const EMPTY_CHECK: LicenceCheckResultObject = {
  allowed: false,
  capacityLevel: null,
  refusalCode: null,
  message: null,
  licenceId: null,
  licenceNumber: null,
  itemId: null,
  scope: null,
  emergency: false,
  year: null,
  used: null,
  after: null,
  capacity: null,
};

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
