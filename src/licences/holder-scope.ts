import type { PartyReadService } from '../parties/party-read.service';
import { PARTY_TYPES } from '../parties/domain/party.events';
import { jurisdictionPatterns } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';

/** The party types whose verified members form the public directory (operators). */
export const operatorTypes = (partyRead: PartyReadService): string[] =>
  PARTY_TYPES.filter((t) => partyRead.isOperator([t]));

/**
 * SQL scope for records held by a party (`holderCol`): the holder itself; a regulator when
 * `inJurisdiction` holds for its division-code patterns (the parameter number it is given); and
 * everyone signed in for a VERIFIED operator (the public directory). Parameters are appended to
 * `params`.
 */
export function holderScope(
  who: Principal,
  params: unknown[],
  operators: readonly string[],
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
    `EXISTS (SELECT 1 FROM party p WHERE p.party_id = ${holderCol} AND p.status = 'VERIFIED' AND p.types && $${params.push(operators)}::text[])`,
  );
  return `(${scope.join(' OR ')})`;
}
