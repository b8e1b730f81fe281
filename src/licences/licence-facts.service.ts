import { Injectable } from '@nestjs/common';
import { CatalogueService } from '../catalogue/catalogue.service';
import { CATEGORY_PATTERN, WASTE_CODE_PATTERN } from '../catalogue/domain/medical-waste';
import { jurisdictionMatches } from '../parties/domain/divisions';
import type { PartyType } from '../parties/domain/party.events';
import { PartyReadService } from '../parties/party-read.service';
import { notFound } from '../shared/auth/access-policy';
import { isRegulator, type Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import type { AgencyFacts, SiteFacts } from './domain/authority.policy';
import type { CatalogueFacts } from './domain/scope.policy';

/** A party as the licence commands need it. */
export interface PartyFacts {
  readonly partyId: string;
  readonly types: readonly PartyType[];
  readonly status: string;
  readonly sites: readonly SiteFacts[];
}

/**
 * Facts from outside a licence stream that the deciders take on their commands: the acting
 * agency, a party's sites, what the catalogue knows. Looked up here so that `decide` stays pure.
 */
@Injectable()
export class LicenceFactsService {
  constructor(
    private readonly parties: PartyReadService,
    private readonly catalogue: CatalogueService,
  ) {}

  /** The caller's agency (FORBIDDEN unless a regulator). */
  agency(who: Principal): AgencyFacts {
    if (!isRegulator(who)) throw new DomainError('FORBIDDEN', 'only a regulator may do this');
    const a = who.agency;
    return { agencyId: a.agencyId, kind: a.kind, level: a.level, jurisdiction: a.jurisdiction };
  }

  /** A party and its sites, or NOT_FOUND (on `field`). */
  async party(partyId: string, field = 'partyId'): Promise<PartyFacts> {
    const p = await this.parties.party(partyId);
    if (!p) throw new DomainError('NOT_FOUND', 'party not found', { field });
    return {
      partyId: p.id,
      types: p.types,
      status: p.status,
      sites: p.sites.map((s) => ({ siteId: s.id, divisionCode: s.divisionCode })),
    };
  }

  /** A party a regulator oversees: one of its sites lies in the jurisdiction; else NOT_FOUND, as if it did not exist. */
  async partyInJurisdiction(who: Principal, partyId: string, field = 'partyId'): Promise<PartyFacts> {
    const agency = this.agency(who);
    const p = await this.party(partyId, field);
    if (!p.sites.some((s) => jurisdictionMatches(s.divisionCode, agency.jurisdiction))) {
      throw new DomainError('NOT_FOUND', 'party not found', { field });
    }
    return p;
  }

  /** A site of a party, or BAD_USER_INPUT on `field`. */
  siteOf(party: PartyFacts, siteId: string, field: string): SiteFacts {
    const site = party.sites.find((s) => s.siteId === siteId);
    if (!site) throw DomainError.badInput(field, `${field}: not a site of the party`);
    return site;
  }

  /** NOT_FOUND unless one of the division codes lies in the regulator's jurisdiction. */
  assertOversees(who: Principal, divisionCodes: readonly string[], what: string): AgencyFacts {
    const agency = this.agency(who);
    if (!divisionCodes.some((d) => jurisdictionMatches(d, agency.jurisdiction))) throw notFound(what);
    return agency;
  }

  /** Division codes of the given sites (for scoping records that name sites). */
  async siteDivisions(siteIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of siteIds) {
      const s = await this.parties.siteRow(id);
      if (s) out.push(s.division_code);
    }
    return out;
  }

  /**
   * What the catalogue in force at `at` knows of the codes and categories named (the others are
   * left out, and the decider refuses them with UNKNOWN_WASTE_CODE).
   */
  async catalogueFacts(named: readonly string[], at: Date): Promise<CatalogueFacts> {
    const knownCodes = new Set<string>();
    for (const code of new Set(named.map((n) => n.trim()).filter((n) => WASTE_CODE_PATTERN.test(n)))) {
      if (await this.catalogue.findCode(code, at)) knownCodes.add(code);
    }
    const knownCategories = named.some((n) => CATEGORY_PATTERN.test(n.trim()))
      ? new Set((await this.catalogue.categories(at)).map((c) => c.code))
      : new Set<string>();
    return { knownCodes, knownCategories };
  }
}
