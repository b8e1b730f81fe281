import { type BusinessDate, assertBusinessDate } from '../../parties/domain/business-date';
import { jurisdictionMatches, normaliseJurisdictionPrefix } from '../../parties/domain/divisions';
import type { LicenceKind } from '../../parties/domain/licence';
import type { AgencyKind, AgencyLevel } from '../../parties/domain/party.events';
import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDate } from '../../shared/domain/time';

/** The acting regulator's agency, as the service hands it to a decider (from the caller's principal). */
export interface AgencyFacts {
  readonly agencyId: string;
  readonly kind: AgencyKind;
  readonly level: AgencyLevel;
  /** Division-code prefixes (`41`, `4101`, `410102`). */
  readonly jurisdiction: readonly string[];
}

/** A site of a party with its 6-digit division code. */
export interface SiteFacts {
  readonly siteId: string;
  readonly divisionCode: string;
}

/**
 * Which agency levels may issue each licence kind (Licence Measures art. 7): COMPREHENSIVE
 * 综合经营 the province; MEDICAL_DISPOSAL 医疗废物集中处置 the city (设区的市) or the province;
 * COLLECTION 收集经营 the county, city or province; PILOT_COLLECTION 集中收集试点 as the province
 * decides — the province by default.
 */
export const ISSUING_LEVELS: Readonly<Record<LicenceKind, readonly AgencyLevel[]>> = {
  COMPREHENSIVE: ['PROVINCE'],
  MEDICAL_DISPOSAL: ['CITY', 'PROVINCE'],
  COLLECTION: ['COUNTY', 'CITY', 'PROVINCE'],
  PILOT_COLLECTION: ['PROVINCE'],
};

/**
 * Longest validity of each kind, in years (Licence Measures art. 13: comprehensive 5, collection 3;
 * medical disposal is a comprehensive-type licence; pilots as the province decides, 3 by default).
 */
export const MAX_TERM_YEARS: Readonly<Record<LicenceKind, number>> = {
  COMPREHENSIVE: 5,
  MEDICAL_DISPOSAL: 5,
  COLLECTION: 3,
  PILOT_COLLECTION: 3,
};

/** The business date (Asia/Shanghai) of a command's business time. */
export const todayOf = (occurredAt: Date): BusinessDate => shanghaiDate(occurredAt);

/** Only environment agencies (生态环境主管部门) issue licences and authorisations; inspectors never. */
export function assertEnvironmentAgency(agency: AgencyFacts, act: string): void {
  if (agency.kind !== 'ENVIRONMENT') {
    throw new DomainError('FORBIDDEN', `only an environment agency may ${act}`, {
      agencyKind: agency.kind,
    });
  }
}

/** FORBIDDEN unless the agency's level may issue (or act on) a licence of this kind. */
export function assertMayIssueKind(agency: AgencyFacts, kind: LicenceKind): void {
  assertEnvironmentAgency(agency, 'issue licences');
  const levels = ISSUING_LEVELS[kind];
  if (!levels.includes(agency.level)) {
    throw new DomainError(
      'FORBIDDEN',
      `a ${kind} licence is issued by a ${levels.join(' or ')} agency, not a ${agency.level} one`,
      { kind, agencyLevel: agency.level, issuingLevels: levels },
    );
  }
}

/** FORBIDDEN unless every site lies in the agency's jurisdiction. */
export function assertSitesInJurisdiction(
  agency: AgencyFacts,
  sites: readonly SiteFacts[],
  field: string,
): void {
  for (const [i, s] of sites.entries()) {
    if (!jurisdictionMatches(s.divisionCode, agency.jurisdiction)) {
      throw new DomainError(
        'FORBIDDEN',
        `site ${s.siteId} (${s.divisionCode}) lies outside your jurisdiction`,
        {
          field: `${field}.${i}`,
          siteId: s.siteId,
          divisionCode: s.divisionCode,
        },
      );
    }
  }
}

/**
 * A region prefix (2, 4 or 6 digits) normalised, and inside the agency's jurisdiction: it must
 * start with one of the agency's prefixes (a city agency may name its city or a county of it).
 */
export function regionWithinJurisdiction(agency: AgencyFacts, prefix: string, field: string): string {
  const p = normaliseJurisdictionPrefix(prefix);
  if (p === null)
    throw DomainError.badInput(field, `${field}: not a division prefix: ${JSON.stringify(prefix)}`);
  const inside = agency.jurisdiction.some((j) => {
    const n = normaliseJurisdictionPrefix(j);
    return n !== null && p.startsWith(n);
  });
  if (!inside) {
    throw new DomainError('FORBIDDEN', `region ${p} lies outside your jurisdiction`, { field, region: p });
  }
  return p;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The date `months` calendar months after `date` (the 31st rolls over like the calendar does). */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d)).toISOString().slice(0, 10);
}

/** The day before a date. */
export const dayBefore = (date: BusinessDate): BusinessDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/** The last day of a term of `months` starting on `validFrom` (inclusive): 2025-01-01 + 12 months → 2025-12-31. */
export const lastDayOfTerm = (validFrom: BusinessDate, months: number): BusinessDate =>
  dayBefore(addMonths(validFrom, months));

/**
 * A validity period checked: real dates, first ≤ last, not over (last day ≥ today), and at most
 * `maxMonths` long when given. Returns the two dates.
 */
export function assertValidity(
  validFrom: unknown,
  validTo: unknown,
  today: BusinessDate,
  opts: { maxMonths?: number; what?: string } = {},
): { validFrom: BusinessDate; validTo: BusinessDate } {
  const from = assertBusinessDate(validFrom, 'validFrom');
  const to = assertBusinessDate(validTo, 'validTo');
  if (to < from) throw DomainError.badInput('validTo', `validTo ${to} is before validFrom ${from}`);
  if (to < today)
    throw DomainError.badInput('validTo', `validTo ${to} has already passed (today is ${today})`);
  if (opts.maxMonths !== undefined) {
    const last = lastDayOfTerm(from, opts.maxMonths);
    if (to > last) {
      throw DomainError.badInput(
        'validTo',
        `validTo: ${opts.what ?? 'the validity'} lasts at most ${opts.maxMonths / 12} years: ${from} to ${last} at the latest`,
        { latestValidTo: last },
      );
    }
  }
  return { validFrom: from, validTo: to };
}

/** A status change date: a real date, not before today (no backdating) and not before `notBefore`. */
export function assertChangeDate(
  from: unknown,
  today: BusinessDate,
  notBefore: BusinessDate | null,
  field = 'from',
): BusinessDate {
  const d = assertBusinessDate(from, field);
  if (d < today)
    throw DomainError.badInput(
      field,
      `${field}: ${d} lies in the past; a change takes effect today or later`,
    );
  if (notBefore !== null && d < notBefore) {
    throw DomainError.badInput(field, `${field}: ${d} is before the previous change (${notBefore})`);
  }
  return d;
}

/** A reason, trimmed and required. */
export function assertReason(reason: unknown, field = 'reason'): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (r.length < 2 || r.length > 1000) throw DomainError.badInput(field, `${field}: 2 to 1000 characters`);
  return r;
}
