import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import { categoryOfCode } from '../catalogue/domain/medical-waste';
import { type LicenceMode, licenceStandingOn, MEDICAL_ALTERNATIVE_CATEGORY } from '../parties/domain/licence';
import { PartiesService } from '../parties/parties.service';
import { PartyReadService } from '../parties/party-read.service';
import { notFound } from '../shared/auth/access-policy';
import { partyOf, type Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { tonnesToGrams } from '../shared/domain/mass';
import { shanghaiDate } from '../shared/domain/time';
import { decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '../shared/graphql/pagination';
import { formatTonnes } from './domain/capacity.policy';
import { holderScope, operatorTypes } from './holder-scope';
import type { LicenceFilter } from './graphql/licence.inputs';
import type { LicenceCheckResultObject, LicenceObject } from './graphql/licence.objects';
import { LicenceCheckService } from './licence-check.service';
import { type LicenceRecord, LicenceReadService } from './licence-read.service';

/** Refusals `licenceCheck` answers with instead of failing. */
const CHECK_REFUSALS = new Set([
  'RECEIVER_NOT_LICENSED',
  'LICENCE_MODE_MISSING',
  'LICENCE_CAPACITY_EXCEEDED',
]);

/**
 * Scoped licence reads for the GraphQL layer: a party sees its own licences; regulators those with
 * a facility site in their jurisdiction; a VERIFIED operator's licences are public directory
 * information (like `parties`). Anything else is NOT_FOUND.
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
    this.operatorTypes = operatorTypes(partyRead);
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

  /** Origin of the caller's waste for emergency authorisations: the first site of its party. */
  private async originOf(who: Principal): Promise<string | undefined> {
    const own = partyOf(who);
    if (!own) return undefined;
    return (await this.partyRead.siteDivisions(own))[0];
  }

  /** SQL scope over `licence l`: own, regulators' jurisdiction (facility sites), the verified-operator directory. */
  private scope(who: Principal, params: unknown[]): string {
    return holderScope(
      who,
      params,
      this.operatorTypes,
      'l.holder_party_id',
      (i) =>
        `EXISTS (SELECT 1 FROM party_site s WHERE s.site_id = ANY(l.facility_site_ids) AND s.division_code LIKE ANY($${i}))`,
    );
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
