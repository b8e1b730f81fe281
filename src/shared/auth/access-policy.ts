import { jurisdictionMatches, normaliseJurisdictionPrefix } from '../../parties/domain/divisions';
import { DomainError } from '../domain/domain-error';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from './principal';

/**
 * Data scoping in one place: a party sees its own records and those it is named on; a
 * regulator sees what touches a site within its jurisdiction; nobody else sees anything — not
 * even whether it exists (NOT_FOUND, never FORBIDDEN, for records outside one's scope).
 */
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);

/** True when the caller may see a record that names these parties and touches these division codes. */
export function canSee(
  p: Principal,
  record: { partyIds: readonly string[]; divisionCodes: readonly string[] },
): boolean {
  if (p.kind === 'ANONYMOUS') return false;
  if (isSystemAdmin(p)) return true;
  const own = partyOf(p);
  if (own && record.partyIds.includes(own)) return true;
  if (isRegulator(p)) return record.divisionCodes.some((d) => jurisdictionMatches(d, p.agency.jurisdiction));
  return false;
}

/** Throws NOT_FOUND unless `canSee`. */
export function assertCanSee(
  p: Principal,
  record: { partyIds: readonly string[]; divisionCodes: readonly string[] },
  what: string,
): void {
  if (!canSee(p, record)) throw notFound(what);
}

/** The caller's own party, or FORBIDDEN (for acts a party does for itself). */
export function ownParty(p: Principal): string {
  const party = partyOf(p);
  if (!party) throw new DomainError('FORBIDDEN', 'only a member of a party may do this');
  return party;
}

/** SQL condition on a division-code column for a regulator's jurisdiction (`col LIKE ANY($n)`). */
export const jurisdictionPatterns = (prefixes: readonly string[]): string[] =>
  prefixes
    .map(normaliseJurisdictionPrefix)
    .filter((p): p is string => p !== null)
    .map((p) => `${p}%`);
