import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PartyReadService } from '../parties/party-read.service';
import { canSee, notFound } from '../shared/auth/access-policy';
import { partyOf, type Principal } from '../shared/auth/principal';
import type { Actor } from '../shared/domain/actor';
import { DomainError } from '../shared/domain/domain-error';
import { shanghaiDate } from '../shared/domain/time';
import { DECLARATION_SCOPE, PLAN_SCOPE } from './flows-streams';

/** A site as the flows need it. */
export interface FlowSite {
  readonly siteId: string;
  readonly partyId: string;
  readonly partyName: string;
  readonly uscc: string;
  readonly partyTypes: readonly string[];
  readonly partyStatus: string;
  readonly siteName: string;
  readonly address: string;
  readonly divisionCode: string;
  readonly cityCode: string | null;
  readonly ownTreatment: boolean;
  readonly registeredAt: Date;
}

/** Who acts: the actor written on the events, and the unit the act is done for. */
export interface FlowActing {
  readonly actor: Actor;
  readonly partyId: string;
  readonly agentPartyId: string | null;
}

/** Producers, whose sites file management plans and declarations (生产经营单位). */
export const PRODUCER_TYPES = ['PRODUCER', 'MEDICAL_INSTITUTION'];

/**
 * Who may see and act on a site's plans, ledger book and declarations: the unit's members, its
 * agents (代理: a delegation with scope PLANS or DECLARATIONS in force today), regulators whose
 * jurisdiction holds the site, the system administrator. Anyone else gets NOT_FOUND.
 */
@Injectable()
export class FlowsAccess {
  constructor(
    private readonly db: DataSource,
    private readonly parties: PartyReadService,
  ) {}

  async site(siteId: string): Promise<FlowSite | null> {
    const [r] = await this.db.query<
      {
        site_id: string;
        party_id: string;
        party_name: string;
        uscc: string;
        types: string[];
        status: string;
        name: string;
        address: string;
        division_code: string;
        city_code: string | null;
        own_treatment: boolean;
        registered_at: Date;
      }[]
    >(
      `SELECT s.site_id, s.party_id, p.name AS party_name, p.uscc, p.types, p.status, s.name, s.address, s.division_code,
              s.city_code, s.own_treatment, p.registered_at
         FROM party_site s JOIN party p ON p.party_id = s.party_id WHERE s.site_id = $1`,
      [siteId],
    );
    if (!r) return null;
    return {
      siteId: r.site_id,
      partyId: r.party_id,
      partyName: r.party_name,
      uscc: r.uscc,
      partyTypes: r.types,
      partyStatus: r.status,
      siteName: r.name,
      address: r.address,
      divisionCode: r.division_code,
      cityCode: r.city_code,
      ownTreatment: r.own_treatment,
      registeredAt: r.registered_at,
    };
  }

  /** The site if the caller may read its flows, else NOT_FOUND. */
  async readable(who: Principal, siteId: string, now: Date): Promise<FlowSite> {
    const site = await this.site(siteId);
    if (!site) throw notFound('site');
    if (canSee(who, { partyIds: [site.partyId], divisionCodes: [site.divisionCode] })) return site;
    const own = partyOf(who);
    if (own) {
      for (const scope of [PLAN_SCOPE, DECLARATION_SCOPE]) {
        if (await this.parties.delegation(site.partyId, own, scope, shanghaiDate(now))) return site;
      }
    }
    throw notFound('site');
  }

  /**
   * The site and who acts on it: a member of the unit, or an agent naming the unit in
   * `onBehalfOfPartyId` under a delegation with `scope` in force on the business date.
   */
  async acting(
    who: Principal,
    siteId: string,
    onBehalfOfPartyId: string | null | undefined,
    scope: string,
    at: Date,
  ): Promise<{ site: FlowSite; acting: FlowActing }> {
    if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    if (who.kind !== 'USER') throw new DomainError('FORBIDDEN', 'plans and declarations are filed by people');
    const own = partyOf(who);
    if (!own) throw new DomainError('FORBIDDEN', 'only a member of a party may do this');
    const site = await this.readable(who, siteId, at);
    if (!onBehalfOfPartyId || onBehalfOfPartyId === own) {
      if (site.partyId !== own) {
        throw new DomainError(
          'FORBIDDEN',
          'the site belongs to another party: an agent names it in onBehalfOfPartyId',
          {
            field: 'input.onBehalfOfPartyId',
          },
        );
      }
      return { site, acting: { actor: who.actor, partyId: own, agentPartyId: null } };
    }
    if (site.partyId !== onBehalfOfPartyId) throw notFound('site');
    const delegation = await this.parties.delegation(onBehalfOfPartyId, own, scope, shanghaiDate(at));
    if (!delegation) {
      throw new DomainError('FORBIDDEN', `no delegation (${scope}) from that party to yours in force`, {
        field: 'input.onBehalfOfPartyId',
      });
    }
    return {
      site,
      acting: { actor: { ...who.actor, onBehalfOfPartyId }, partyId: onBehalfOfPartyId, agentPartyId: own },
    };
  }

  /** Scope of a flows stream, for reading its events and proofs (`streamEvents`, `eventProof`). */
  async scopeOfSite(
    siteId: string | undefined,
  ): Promise<{ partyIds: string[]; divisionCodes: string[] } | null> {
    if (!siteId) return null;
    const site = await this.site(siteId);
    return site ? { partyIds: [site.partyId], divisionCodes: [site.divisionCode] } : null;
  }
}
