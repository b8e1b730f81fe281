import { canSee, jurisdictionPatterns } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';

/**
 * 辖区 — THE jurisdiction rule of the regulator workspace, in one place: every custody chain,
 * search, statistic and live notification of `src/oversight/` asks this module what its caller may
 * see, as SQL conditions (for reads over read models) or as a test on one record (for events).
 *
 * - A regulator sees a record that touches a site within its division-code prefixes: a lot any of
 *   whose sites (`lot_site`) lies there; a manifest whose start or end site does; a party one of
 *   whose sites does; a licence one of whose facility sites does; a figure whose region does.
 * - A party sees the records its history names (`lot_party`, `manifest_party`, its own licences).
 * - The system administrator sees everything; anyone else nothing.
 *
 * The same rule as `canSee` (shared/auth/access-policy.ts), which decides single records.
 */
export type Viewer =
  | { readonly kind: 'ALL' }
  | { readonly kind: 'SCOPED'; readonly partyId: string | null; readonly patterns: readonly string[] | null };

export function viewerOf(who: Principal): Viewer {
  if (isSystemAdmin(who)) return { kind: 'ALL' };
  return {
    kind: 'SCOPED',
    partyId: partyOf(who),
    patterns: isRegulator(who) ? jurisdictionPatterns(who.agency.jurisdiction) : null,
  };
}

/** Regulators and the system administrator (searches and statistics); FORBIDDEN for anyone else. */
export function overseerOf(who: Principal): Viewer {
  if (!isSystemAdmin(who) && !isRegulator(who)) {
    throw new DomainError('FORBIDDEN', 'for regulators: searches and statistics cover a jurisdiction');
  }
  return viewerOf(who);
}

/** A single record (a live notification, an alert): `canSee`. */
export const mayView = (
  who: Principal,
  record: { partyIds: readonly string[]; divisionCodes: readonly string[] },
): boolean => canSee(who, record);

/**
 * SQL conditions for one query. Each method returns a boolean SQL expression over the given
 * alias and pushes the values it needs onto `params` (the jurisdiction patterns once).
 */
export class ScopeSql {
  private patternsRef?: string;
  private partyRef?: string;

  constructor(
    readonly viewer: Viewer,
    private readonly params: unknown[],
  ) {}

  private patternsParam(): string {
    if (this.viewer.kind !== 'SCOPED' || !this.viewer.patterns) throw new Error('no jurisdiction');
    this.patternsRef ??= `$${this.params.push(this.viewer.patterns)}`;
    return this.patternsRef;
  }

  private partyParam(): string {
    if (this.viewer.kind !== 'SCOPED' || !this.viewer.partyId) throw new Error('no party');
    this.partyRef ??= `$${this.params.push(this.viewer.partyId)}`;
    return this.partyRef;
  }

  private either(byParty: (p: string) => string, byRegion: (patterns: string) => string): string {
    if (this.viewer.kind === 'ALL') return 'true';
    const parts: string[] = [];
    if (this.viewer.partyId) parts.push(byParty(this.partyParam()));
    if (this.viewer.patterns) parts.push(byRegion(this.patternsParam()));
    return parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
  }

  /** A division-code column (a figure's region, an alert's region); parties see none by region. */
  region(column: string): string {
    if (this.viewer.kind === 'ALL') return 'true';
    return this.viewer.patterns ? `${column} LIKE ANY(${this.patternsParam()})` : 'false';
  }

  /** An alert (`ledger_alert`): its region, or a party it names. */
  alert(alias = 'ledger_alert'): string {
    return this.either(
      (p) => `${p} = ANY(${alias}.party_ids)`,
      (r) => `${alias}.region LIKE ANY(${r})`,
    );
  }

  /** A lot (`lot` row alias): a site it touched, or a party its history names. */
  lot(alias: string): string {
    return this.either(
      (p) => `EXISTS (SELECT 1 FROM lot_party jp WHERE jp.lot_id = ${alias}.lot_id AND jp.party_id = ${p})`,
      (r) =>
        `EXISTS (SELECT 1 FROM lot_site js JOIN party_site jss ON jss.site_id = js.site_id
                  WHERE js.lot_id = ${alias}.lot_id AND jss.division_code LIKE ANY(${r}))`,
    );
  }

  /** A manifest (`manifest` row alias): its start or end site, or a party named on it. */
  manifest(alias: string): string {
    return this.either(
      (p) =>
        `EXISTS (SELECT 1 FROM manifest_party jp WHERE jp.manifest_id = ${alias}.manifest_id AND jp.party_id = ${p})`,
      (r) => `(${alias}.start_division_code LIKE ANY(${r}) OR ${alias}.end_division_code LIKE ANY(${r}))`,
    );
  }

  /** A party (`party` row alias): one of its sites, or itself. */
  party(alias: string): string {
    return this.either(
      (p) => `${alias}.party_id = ${p}`,
      (r) =>
        `EXISTS (SELECT 1 FROM party_site js WHERE js.party_id = ${alias}.party_id AND js.division_code LIKE ANY(${r}))`,
    );
  }

  /** A licence (`licence` row alias): one of its facility sites, or its holder. */
  licence(alias: string): string {
    return this.either(
      (p) => `${alias}.holder_party_id = ${p}`,
      (r) =>
        `EXISTS (SELECT 1 FROM party_site js WHERE js.site_id = ANY(${alias}.facility_site_ids) AND js.division_code LIKE ANY(${r}))`,
    );
  }
}
