import type { BusinessDate } from '../../parties/domain/business-date';
import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import {
  type AgencyFacts,
  type SiteFacts,
  assertChangeDate,
  assertEnvironmentAgency,
  assertReason,
  assertSitesInJurisdiction,
  assertValidity,
  regionWithinJurisdiction,
  todayOf,
} from './authority.policy';
import { formatTonnes, parseTonnes } from './capacity.policy';
import type { EmergencyAuthorisationEvent } from './licence.events';
import { type CatalogueFacts, assertKnownScope, assertModes } from './scope.policy';

/** An emergency authorisation lasts at most this long; a longer emergency gets a new one. */
export const EMERGENCY_AUTHORISATION_MAX_MONTHS = 12;

export type EmergencyAuthorisationState =
  | { status: 'NONE' }
  | {
      status: 'GRANTED' | 'REVOKED';
      authorisationId: string;
      regionPrefixes: string[];
      validFrom: BusinessDate;
    };

/** The epidemic an authorisation is granted under, as the read model knows it. */
export interface EpidemicFacts {
  readonly epidemicId: string;
  readonly from: BusinessDate;
  readonly to: BusinessDate | null;
}

export type EmergencyAuthorisationCommand =
  | Cmd<
      'GrantEmergencyAuthorisation',
      {
        authorisationId: string;
        holderPartyId: string;
        scope: readonly string[];
        modes: readonly string[];
        capacityTonnes: string;
        regionPrefixes: readonly string[];
        validFrom: string;
        validTo: string;
        facilitySiteIds: readonly string[] | null;
        epidemicId: string | null;
        facts: {
          agency: AgencyFacts;
          holderSites: readonly SiteFacts[];
          catalogue: CatalogueFacts;
          /** The epidemic named by `epidemicId`, or null when it is unknown. */
          epidemic: EpidemicFacts | null;
        };
      }
    >
  | Cmd<'RevokeEmergencyAuthorisation', { from: string; reason: string; agency: AgencyFacts }>;

function decideGrant(
  c: Extract<EmergencyAuthorisationCommand, { type: 'GrantEmergencyAuthorisation' }>,
  s: EmergencyAuthorisationState,
): EmergencyAuthorisationEvent[] {
  if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'emergency authorisation already granted');
  const d = c.data;
  const { agency, holderSites, catalogue } = d.facts;
  assertEnvironmentAgency(agency, 'grant emergency authorisations');
  let facilitySiteIds: string[] | null = null;
  if (d.facilitySiteIds !== null) {
    if (d.facilitySiteIds.length === 0)
      throw DomainError.badInput('facilitySiteIds', 'facilitySiteIds: omit it, or name at least one site');
    const sites = d.facilitySiteIds.map((id, i) => {
      const site = holderSites.find((x) => x.siteId === id);
      if (!site)
        throw DomainError.badInput(
          `facilitySiteIds.${i}`,
          `facilitySiteIds.${i}: ${id} is not a site of the holder`,
        );
      return site;
    });
    assertSitesInJurisdiction(agency, sites, 'facilitySiteIds');
    facilitySiteIds = [...new Set(d.facilitySiteIds)];
  } else {
    assertSitesInJurisdiction(agency, holderSites, 'holderPartyId');
  }
  if (d.scope.length === 0) throw DomainError.badInput('scope', 'scope: at least one waste code or category');
  const scope = [...new Set(d.scope.map((x, i) => assertKnownScope(x, catalogue, `scope.${i}`)))];
  const modes = assertModes(d.modes, 'modes');
  const capacityTonnes = formatTonnes(parseTonnes(d.capacityTonnes, 'capacityTonnes'));
  if (d.regionPrefixes.length === 0)
    throw DomainError.badInput('regionPrefixes', 'regionPrefixes: at least one region served');
  const regionPrefixes = [
    ...new Set(d.regionPrefixes.map((p, i) => regionWithinJurisdiction(agency, p, `regionPrefixes.${i}`))),
  ];
  const validity = assertValidity(d.validFrom, d.validTo, todayOf(c.meta.occurredAt), {
    maxMonths: EMERGENCY_AUTHORISATION_MAX_MONTHS,
    what: 'an emergency authorisation',
  });
  if (d.epidemicId !== null) {
    const e = d.facts.epidemic;
    if (!e) throw DomainError.badInput('epidemicId', 'epidemicId: no such epidemic');
    if (e.to !== null && e.to < validity.validFrom) {
      throw DomainError.badInput('epidemicId', `epidemicId: the epidemic ended on ${e.to}, before validFrom`);
    }
  }
  return [
    {
      type: 'EmergencyAuthorisationGranted',
      data: {
        authorisationId: d.authorisationId,
        holderPartyId: d.holderPartyId,
        scope,
        modes,
        capacityTonnes,
        regionPrefixes,
        ...validity,
        facilitySiteIds,
        epidemicId: d.epidemicId,
        agencyId: agency.agencyId,
      },
    },
  ];
}

function decide(
  c: EmergencyAuthorisationCommand,
  s: EmergencyAuthorisationState,
): EmergencyAuthorisationEvent[] {
  switch (c.type) {
    case 'GrantEmergencyAuthorisation':
      return decideGrant(c, s);
    case 'RevokeEmergencyAuthorisation': {
      if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'emergency authorisation not found');
      if (s.status === 'REVOKED') {
        throw new DomainError('INVALID_TRANSITION', 'already revoked', {
          currentState: 'REVOKED',
          allowedFrom: ['GRANTED'],
        });
      }
      assertEnvironmentAgency(c.data.agency, 'revoke emergency authorisations');
      s.regionPrefixes.forEach((p, i) => regionWithinJurisdiction(c.data.agency, p, `regionPrefixes.${i}`));
      const from = assertChangeDate(c.data.from, todayOf(c.meta.occurredAt), null);
      return [
        {
          type: 'EmergencyAuthorisationRevoked',
          data: {
            authorisationId: s.authorisationId,
            from,
            reason: assertReason(c.data.reason),
            agencyId: c.data.agency.agencyId,
          },
        },
      ];
    }
    default:
      return assertNever(c, 'emergency authorisation command');
  }
}

function evolve(s: EmergencyAuthorisationState, e: EmergencyAuthorisationEvent): EmergencyAuthorisationState {
  switch (e.type) {
    case 'EmergencyAuthorisationGranted':
      if (s.status !== 'NONE') throw new Error('EmergencyAuthorisationGranted twice');
      return {
        status: 'GRANTED',
        authorisationId: e.data.authorisationId,
        regionPrefixes: e.data.regionPrefixes,
        validFrom: e.data.validFrom,
      };
    case 'EmergencyAuthorisationRevoked':
      if (s.status !== 'GRANTED')
        throw new Error(`EmergencyAuthorisationRevoked on a ${s.status} authorisation`);
      return { ...s, status: 'REVOKED' };
    default:
      return assertNever(e, 'emergency authorisation event');
  }
}

/** 应急处置 — an agency grants a facility a temporary scope in an emergency, and may end it early. */
export const emergencyAuthorisationDecider: Decider<
  EmergencyAuthorisationState,
  EmergencyAuthorisationCommand,
  EmergencyAuthorisationEvent
> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
