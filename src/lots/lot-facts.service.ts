import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService } from '../catalogue/catalogue.service';
import type { Hazard } from '../catalogue/domain/hazard';
import { epidemicDeclaredSql, LicenceReadService } from '../licences/licence-read.service';
import { PartyReadService } from '../parties/party-read.service';
import { ownParty } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import type { Actor } from '../shared/domain/actor';
import { DomainError } from '../shared/domain/domain-error';
import { shanghaiDate } from '../shared/domain/time';
import { ReferenceCache } from '../shared/reference-cache';
import type { FacilityFact, WasteCodeFact } from './domain';
import { type CoverageQuery, type ExemptionEntry, type ModeCoverage, modeCoverage } from './lot-rules';

/** A facility with what the lot services need besides the decider's fact. */
export interface FacilityInfo extends FacilityFact {
  readonly divisionCode: string;
  readonly maxStockGrams: number | null;
  readonly status: string;
}

/** A party as the lot rules see it. */
export interface PartyInfo {
  readonly partyId: string;
  readonly name: string;
  readonly types: readonly string[];
  readonly status: string;
  readonly bedCount: number | null;
}

/** A waste code of the catalogue in force at a business time. */
export interface CodeInfo {
  readonly fact: WasteCodeFact;
  readonly hazards: readonly Hazard[];
}

/** Who acts: the actor written on the events, and the party the act is done for. */
export interface Acting {
  readonly actor: Actor;
  readonly partyId: string;
}

/** The delegation scope under which an agent (代理, e.g. a pilot collector) records lots for a producer. */
export const LOT_DELEGATION_SCOPE = 'MANIFESTS';

/**
 * Facts the lot deciders need from outside a lot's stream, looked up at the business time of the
 * act: facilities, parties, catalogue codes, exemption entries, epidemics, licence coverage, and
 * who acts (a member or device of the party, or an agent under a delegation).
 */
@Injectable()
export class LotFactsService {
  private readonly exemptionList = new ReferenceCache<ExemptionEntry[]>(600_000, 1);

  constructor(
    private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly licences: LicenceReadService,
    private readonly parties: PartyReadService,
  ) {}

  /** The party the caller acts for; an agent names the delegating party (`onBehalfOfPartyId`). */
  async acting(who: Principal, onBehalfOfPartyId: string | null | undefined, at: Date): Promise<Acting> {
    if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    const own = ownParty(who);
    if (!onBehalfOfPartyId || onBehalfOfPartyId === own) return { actor: who.actor, partyId: own };
    if (who.kind !== 'USER')
      throw new DomainError('FORBIDDEN', 'a device acts for its own party only', {
        field: 'input.onBehalfOfPartyId',
      });
    const delegation = await this.parties.delegation(
      onBehalfOfPartyId,
      own,
      LOT_DELEGATION_SCOPE,
      shanghaiDate(at),
    );
    if (!delegation) {
      throw new DomainError(
        'FORBIDDEN',
        `no delegation (${LOT_DELEGATION_SCOPE}) from that party to yours in force`,
        {
          field: 'input.onBehalfOfPartyId',
        },
      );
    }
    return { actor: { ...who.actor, onBehalfOfPartyId }, partyId: onBehalfOfPartyId };
  }

  async facility(facilityId: string): Promise<FacilityInfo | null> {
    const [r] = await this.db.query<FacilityRow[]>(
      `SELECT f.facility_id, f.site_id, f.party_id, f.type, f.status, f.max_stock_grams, s.division_code
         FROM facility f JOIN party_site s ON s.site_id = f.site_id WHERE f.facility_id = $1`,
      [facilityId],
    );
    if (!r || r.status !== 'ACTIVE') return null;
    return toFacilityInfo(r);
  }

  /** The facility named by an input field, which must belong to `partyId` (else BAD_USER_INPUT on the field). */
  async ownFacility(facilityId: string, partyId: string, field: string): Promise<FacilityInfo> {
    const f = await this.facility(facilityId);
    if (!f || f.partyId !== partyId)
      throw DomainError.badInput(field, `${field}: not a facility of the acting party`);
    return f;
  }

  /**
   * 产生 — what generating lots at a facility needs, in one round trip: the facility (which must
   * belong to `partyId`, else BAD_USER_INPUT on `field`), its party, and whether an epidemic is
   * declared over its division on the Shanghai day of `at`.
   */
  async generationFacts(
    facilityId: string,
    partyId: string,
    field: string,
    at: Date,
  ): Promise<{ facility: FacilityInfo; producer: PartyInfo; epidemic: boolean }> {
    const [r] = await this.db.query<
      (FacilityRow & {
        name: string;
        types: string[];
        party_status: string;
        bed_count: number | null;
        epidemic: boolean;
      })[]
    >(
      `SELECT f.facility_id, f.site_id, f.party_id, f.type, f.status, f.max_stock_grams, s.division_code,
              p.name, p.types, p.status AS party_status, p.bed_count,
              ${epidemicDeclaredSql('s.division_code', '$3')} AS epidemic
         FROM facility f JOIN party_site s ON s.site_id = f.site_id JOIN party p ON p.party_id = f.party_id
        WHERE f.facility_id = $1 AND f.party_id = $2 AND f.status = 'ACTIVE'`,
      [facilityId, partyId, shanghaiDate(at)],
    );
    if (!r) throw DomainError.badInput(field, `${field}: not a facility of the acting party`);
    return {
      facility: toFacilityInfo(r),
      producer: {
        partyId: r.party_id,
        name: r.name,
        types: r.types,
        status: r.party_status,
        bedCount: r.bed_count,
      },
      epidemic: r.epidemic,
    };
  }

  async party(partyId: string): Promise<PartyInfo | null> {
    const r = await this.parties.partyRow(partyId);
    if (!r) return null;
    return { partyId: r.party_id, name: r.name, types: r.types, status: r.status, bedCount: r.bed_count };
  }

  async siteDivision(siteId: string): Promise<string | null> {
    return (await this.parties.siteRow(siteId))?.division_code ?? null;
  }

  /** Division of the site where a lot was made (its origin, which an emergency authorisation's region must serve). */
  async originDivision(lotId: string): Promise<string | null> {
    const [r] = await this.db.query<{ division_code: string }[]>(
      `SELECT s.division_code FROM lot l JOIN party_site s ON s.site_id = l.origin_site_id WHERE l.lot_id = $1`,
      [lotId],
    );
    return r?.division_code ?? null;
  }

  /** The code in the edition in force at `at`, or `UNKNOWN_WASTE_CODE` on `field` (also when `category` disagrees). */
  async code(code: string, at: Date, field: string, category?: string | null): Promise<CodeInfo> {
    const found = /^\d{3}-\d{3}-\d{2}$/.test(code) ? await this.catalogue.findCode(code, at) : null;
    if (!found || (category != null && category !== found.category)) {
      throw new DomainError(
        'UNKNOWN_WASTE_CODE',
        found
          ? `${field}: ${code} belongs to ${found.category}, not ${category}`
          : `${field}: ${code} is not a code of the catalogue in force on ${shanghaiDate(at)}`,
        { field },
      );
    }
    return { fact: { codeExists: true, category: found.category }, hazards: found.hazards };
  }

  /** 豁免管理清单 entries for a stage that cover a category or code. */
  /** The exemption entries of `stage` (or ALL) whose scope names the code or its category. */
  async exemptions(stage: string, wasteCode: string, category: string): Promise<ExemptionEntry[]> {
    return (await this.allExemptions()).filter(
      (x) =>
        (x.stage === stage || x.stage === 'ALL') &&
        (x.wasteScope.includes(wasteCode) || x.wasteScope.includes(category)),
    );
  }

  /** 豁免清单 — every entry, by number and stage (kept in process: the list changes only with a migration). */
  async allExemptions(): Promise<ExemptionEntry[]> {
    const all = await this.exemptionList.get('all', async () =>
      (
        await this.db.query<Parameters<typeof toExemption>[0][]>(
          `SELECT * FROM exemption_entry ORDER BY entry_no, stage`,
        )
      ).map(toExemption),
    );
    return structuredClone(all);
  }

  /** 重大传染病疫情 declared for the division at `at`. */
  epidemic(divisionCode: string, at: Date): Promise<boolean> {
    return this.licences.epidemicDeclaredAt(divisionCode, at);
  }

  /** Licence and emergency-authorisation coverage of a code for a party at a site on the Shanghai day of `at`. */
  async coverage(q: Omit<CoverageQuery, 'date'> & { at: Date }): Promise<ModeCoverage> {
    const [licences, auths] = await Promise.all([
      this.licences.licencesOf(q.partyId),
      this.licences.emergencyAuthorisationsOf(q.partyId),
    ]);
    return modeCoverage(licences, auths, { ...q, date: shanghaiDate(q.at) });
  }
}

interface FacilityRow {
  facility_id: string;
  site_id: string;
  party_id: string;
  type: string;
  status: string;
  max_stock_grams: string | null;
  division_code: string;
}

const toFacilityInfo = (r: FacilityRow): FacilityInfo => ({
  facilityId: r.facility_id,
  siteId: r.site_id,
  partyId: r.party_id,
  type: r.type,
  status: r.status,
  maxStockGrams: r.max_stock_grams === null ? null : Number(r.max_stock_grams),
  divisionCode: r.division_code,
});

function toExemption(r: {
  entry_no: number;
  stage: string;
  waste_scope: string[];
  condition: ExemptionEntry['condition'];
  suspended_during_epidemic: boolean;
  content_zh: string;
  source: string;
}): ExemptionEntry {
  return {
    entryNo: r.entry_no,
    stage: r.stage,
    wasteScope: r.waste_scope,
    condition: r.condition,
    suspendedDuringEpidemic: r.suspended_during_epidemic,
    contentZh: r.content_zh,
    source: r.source,
  };
}
