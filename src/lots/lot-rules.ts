import type { CustodianKind } from '../oversight/domain/clock-rules';
import type { BusinessDate } from '../parties/domain/business-date';
import { validityPosition } from '../parties/domain/business-date';
import { jurisdictionMatches } from '../parties/domain/divisions';
import {
  bestScopeMatch,
  type EmergencyAuthorisation,
  itemMatch,
  type Licence,
  type LicenceItem,
  type LicenceMode,
  licenceStandingOn,
  mergeAllowed,
} from '../parties/domain/licence';

/**
 * Pure rules the lot services apply to facts they look up (licences, exemption entries, party
 * types), so that the deciders get plain facts: which modes a party may use for a code at a site,
 * whether an exemption entry covers a producer, what kind of custodian a storage clock runs for.
 */

/** 豁免管理清单 — one entry of the exemption list at one stage, as the `exemption_entry` table holds it. */
export interface ExemptionEntry {
  readonly entryNo: number;
  readonly stage: string;
  /** Waste codes or categories (`HW01`). */
  readonly wasteScope: readonly string[];
  readonly condition: {
    readonly partyTypes?: readonly string[];
    readonly maxBeds?: number;
    readonly receiverPartyTypes?: readonly string[];
  };
  readonly suspendedDuringEpidemic: boolean;
  readonly contentZh: string;
  readonly source: string;
}

export interface ExemptionSubject {
  readonly wasteCode: string;
  readonly category: string;
  readonly producerTypes: readonly string[];
  readonly bedCount: number | null;
  /** For a handover: the receiving party's types. */
  readonly receiverTypes?: readonly string[];
}

/** Whether an entry's scope and condition cover the waste, its producer (and the receiver, when one is named). */
export function exemptionCovers(entry: ExemptionEntry, s: ExemptionSubject): boolean {
  if (!entry.wasteScope.some((w) => w === s.wasteCode || w === s.category)) return false;
  const c = entry.condition;
  if (c.partyTypes && !c.partyTypes.some((t) => s.producerTypes.includes(t))) return false;
  if (c.maxBeds !== undefined && (s.bedCount === null || s.bedCount > c.maxBeds)) return false;
  if (
    s.receiverTypes &&
    c.receiverPartyTypes &&
    !c.receiverPartyTypes.some((t) => s.receiverTypes!.includes(t))
  )
    return false;
  return true;
}

/** What a party may do with a code at a site on a date: modes under licence items, and modes only an emergency authorisation gives. */
export interface ModeCoverage {
  readonly licensed: ReadonlySet<LicenceMode>;
  readonly emergencyOnly: ReadonlySet<LicenceMode>;
  /** Items of licences in force at the site that cover the code (for merge lists). */
  readonly items: readonly LicenceItem[];
}

export interface CoverageQuery {
  readonly partyId: string;
  readonly siteId: string;
  readonly wasteCode: string;
  readonly date: BusinessDate;
  /** Division of the site the waste comes from (an emergency authorisation serves a region). */
  readonly originDivisionCode: string | null;
}

/** Licence items (ACTIVE, in validity, naming the site) and emergency authorisations covering a code. */
export function modeCoverage(
  licences: readonly Licence[],
  authorisations: readonly EmergencyAuthorisation[],
  q: CoverageQuery,
): ModeCoverage {
  const licensed = new Set<LicenceMode>();
  const items: LicenceItem[] = [];
  for (const l of licences) {
    if (l.holderPartyId !== q.partyId || licenceStandingOn(l, q.date) !== 'IN_FORCE') continue;
    if (!l.facilitySiteIds.includes(q.siteId)) continue;
    for (const item of l.items) {
      if (itemMatch(l.kind, item, q.wasteCode) === null) continue;
      items.push(item);
      item.modes.forEach((m) => licensed.add(m));
    }
  }
  const emergencyOnly = new Set<LicenceMode>();
  for (const a of authorisations) {
    if (a.holderPartyId !== q.partyId || !bestScopeMatch(a.scope, q.wasteCode)) continue;
    if (validityPosition(q.date, a.validFrom, a.validTo) !== 'WITHIN') continue;
    if (a.revokedFrom != null && q.date >= a.revokedFrom) continue;
    if (a.epidemicEndedFrom != null && q.date >= a.epidemicEndedFrom) continue;
    if (q.originDivisionCode === null || !jurisdictionMatches(q.originDivisionCode, a.regionPrefixes))
      continue;
    if (a.facilitySiteIds !== undefined && !a.facilitySiteIds.includes(q.siteId)) continue;
    a.modes.filter((m) => !licensed.has(m)).forEach((m) => emergencyOnly.add(m));
  }
  return { licensed, emergencyOnly, items };
}

/** The source codes other than the target that a licence item lets merge into the target (all or none). */
export function mergeableSourceCodes(
  items: readonly LicenceItem[],
  targetCode: string,
  sourceCodes: readonly string[],
): string[] {
  const others = [...new Set(sourceCodes.filter((c) => c !== targetCode))];
  return others.length > 0 && mergeAllowed(items, targetCode, others) ? others : [];
}

/**
 * Whose storage clock runs (SPEC sections 5, 7, 8): a medical institution holding medical waste
 * (48 h), a COLLECTION licence holder (90 working days), a pilot collector, or anyone else (1 year).
 */
export function custodianKindOf(
  partyTypes: readonly string[],
  licences: readonly Licence[],
  category: string,
  date: BusinessDate,
): CustodianKind {
  if (category === 'HW01' && partyTypes.includes('MEDICAL_INSTITUTION')) return 'MEDICAL_PRODUCER';
  const inForce = licences.filter((l) => licenceStandingOn(l, date) === 'IN_FORCE');
  if (inForce.some((l) => l.kind === 'COLLECTION')) return 'COLLECTOR';
  if (inForce.some((l) => l.kind === 'PILOT_COLLECTION')) return 'PILOT_COLLECTOR';
  return 'OTHER';
}
