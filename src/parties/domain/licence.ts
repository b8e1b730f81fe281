import { categoryOfCode } from '../../catalogue/domain/medical-waste';
import { type BusinessDate, validityPosition } from './business-date';

/**
 * 危险废物经营许可证 — hazardous-waste operating licence kinds: COMPREHENSIVE 综合经营许可证,
 * MEDICAL_DISPOSAL 医疗废物集中处置, COLLECTION 收集经营许可证, PILOT_COLLECTION
 * 小量产废单位集中收集试点.
 */
export type LicenceKind = 'COMPREHENSIVE' | 'MEDICAL_DISPOSAL' | 'COLLECTION' | 'PILOT_COLLECTION';
/** All licence kinds. */
export const LICENCE_KINDS: readonly LicenceKind[] = [
  'COMPREHENSIVE',
  'MEDICAL_DISPOSAL',
  'COLLECTION',
  'PILOT_COLLECTION',
];

/** 经营方式 — mode of operation: 收集 COLLECT, 贮存 STORE, 利用 UTILISE, 处置 DISPOSE. */
export type LicenceMode = 'COLLECT' | 'STORE' | 'UTILISE' | 'DISPOSE';
/** All modes of operation, in the order used in messages. */
export const LICENCE_MODES: readonly LicenceMode[] = ['COLLECT', 'STORE', 'UTILISE', 'DISPOSE'];

/** A licence's status (suspended 暂扣, revoked 吊销). */
export type LicenceStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';

/** A status change, in force from its date (inclusive, Asia/Shanghai) until the next change. */
export interface LicenceStatusChange {
  readonly status: LicenceStatus;
  readonly from: BusinessDate;
}

/** One licence item (许可事项): a waste code `NNN-NNN-NN` or a whole category `HWxx`, with modes and 年经营规模. */
export interface LicenceItem {
  readonly itemId: string;
  readonly scope: string;
  readonly modes: readonly LicenceMode[];
  readonly annualCapacityTonnes: number;
  /** Codes this item explicitly allows to merge into one lot of its code (合并、重新包装, SPEC section 5). */
  readonly mergeableCodes?: readonly string[];
}

/** 许可证 as the licence projection hands it to the checks. */
export interface Licence {
  readonly id: string;
  readonly number: string;
  readonly holderPartyId: string;
  readonly kind: LicenceKind;
  /** First valid day (inclusive). */
  readonly validFrom: BusinessDate;
  /** Last valid day (inclusive, 有效期至). */
  readonly validTo: BusinessDate;
  /**
   * Suspensions, reinstatements and revocation in the order they were issued; empty when the
   * licence has been ACTIVE since issue. A revocation is final.
   */
  readonly statusChanges?: readonly LicenceStatusChange[];
  /** The sites whose facilities the licence names (设施地址). */
  readonly facilitySiteIds: readonly string[];
  readonly items: readonly LicenceItem[];
}

/**
 * 应急处置 — an emergency authorisation granted in a declared epidemic (Solid Waste Law art. 91):
 * checked like a licence item, and every record it enables is marked as emergency.
 */
export interface EmergencyAuthorisation {
  readonly id: string;
  readonly holderPartyId: string;
  /** Waste codes and/or categories. */
  readonly scope: readonly string[];
  readonly modes: readonly LicenceMode[];
  /** Counted like a licence item's annual capacity, per calendar year, under the authorisation's id. */
  readonly capacityTonnes: number;
  /** The region served, as division-code prefixes, matched against the waste's origin. */
  readonly regionPrefixes: readonly string[];
  readonly validFrom: BusinessDate;
  readonly validTo: BusinessDate;
  /** When given, the sites (facilities, mobile units) the authorisation is limited to. */
  readonly facilitySiteIds?: readonly string[];
  /** Ended early by the agency from this day on. */
  readonly revokedFrom?: BusinessDate | null;
  /**
   * For an authorisation granted for an epidemic (重大传染病疫情) that has a last day: the day after
   * it. The authorisation applies only while its epidemic lasts (SPEC section 3).
   */
  readonly epidemicEndedFrom?: BusinessDate | null;
}

/** How a scope covers a waste code, most specific first. */
export type ScopeMatch = 'CODE' | 'CATEGORY' | 'MEDICAL_MAPPING';

/** Higher is more specific: an exact code before its category before a medical mapping. */
export const SCOPE_SPECIFICITY: Readonly<Record<ScopeMatch, number>> = {
  CODE: 3,
  CATEGORY: 2,
  MEDICAL_MAPPING: 1,
};

/**
 * Medical waste that may also go to another category's item (SPEC section 3): 化学性废物
 * 841-004-01 to an HW49 item, 药物性废物 841-005-01 to an HW03 (废药物、药品) item.
 */
export const MEDICAL_ALTERNATIVE_CATEGORY: Readonly<Record<string, string>> = {
  '841-004-01': 'HW49',
  '841-005-01': 'HW03',
};

/**
 * The only codes a COLLECTION licence (收集经营许可证) covers, whatever its items say (Licence
 * Measures art. 3): 900-214-08 waste mineral oil from vehicle repair (机动车维修活动中产生的废矿物油)
 * and 900-044-49 household Ni-Cd batteries (居民日常生活中产生的废镉镍电池).
 */
export const COLLECTION_LICENCE_CODES: readonly string[] = ['900-214-08', '900-044-49'];

/** True when a COLLECTION (not PILOT_COLLECTION) licence may cover the code at all. */
export const collectionLicenceCovers = (wasteCode: string): boolean =>
  COLLECTION_LICENCE_CODES.includes(wasteCode);

/** How one scope (code or HWxx category) covers a waste code, or null. */
export function scopeMatch(scope: string, wasteCode: string): ScopeMatch | null {
  if (scope === wasteCode) return 'CODE';
  if (scope === categoryOfCode(wasteCode)) return 'CATEGORY';
  if (MEDICAL_ALTERNATIVE_CATEGORY[wasteCode] === scope) return 'MEDICAL_MAPPING';
  return null;
}

/** The best match among several scopes (an emergency authorisation's list), or null. */
export function bestScopeMatch(
  scopes: readonly string[],
  wasteCode: string,
): { scope: string; match: ScopeMatch } | null {
  let best: { scope: string; match: ScopeMatch } | null = null;
  for (const scope of scopes) {
    const match = scopeMatch(scope, wasteCode);
    if (match && (!best || SCOPE_SPECIFICITY[match] > SCOPE_SPECIFICITY[best.match])) best = { scope, match };
  }
  return best;
}

/** How a licence item covers a code, applying the COLLECTION licence restriction. */
export function itemMatch(kind: LicenceKind, item: LicenceItem, wasteCode: string): ScopeMatch | null {
  if (kind === 'COLLECTION' && !collectionLicenceCovers(wasteCode)) return null;
  return scopeMatch(item.scope, wasteCode);
}

/**
 * The licence's status on a business date: the last change in force on or before it (ACTIVE
 * before any change); once revoked, revoked for good.
 */
export function licenceStatusOn(licence: Pick<Licence, 'statusChanges'>, date: BusinessDate): LicenceStatus {
  const changes = [...(licence.statusChanges ?? [])]
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.from === b.c.from ? a.i - b.i : a.c.from < b.c.from ? -1 : 1));
  let status: LicenceStatus = 'ACTIVE';
  for (const { c } of changes) {
    if (c.from > date) break;
    if (status === 'REVOKED') break;
    status = c.status;
  }
  return status;
}

/** Why a licence does or does not stand on a date. */
export type LicenceStanding = 'IN_FORCE' | 'NOT_YET_VALID' | 'EXPIRED' | 'SUSPENDED' | 'REVOKED';

/** IN_FORCE when the date lies in [validFrom, validTo] (inclusive) and the status then is ACTIVE. */
export function licenceStandingOn(licence: Licence, date: BusinessDate): LicenceStanding {
  const position = validityPosition(date, licence.validFrom, licence.validTo);
  if (position === 'BEFORE') return 'NOT_YET_VALID';
  if (position === 'AFTER') return 'EXPIRED';
  const status = licenceStatusOn(licence, date);
  return status === 'ACTIVE' ? 'IN_FORCE' : status;
}

/** Early warning, over capacity (allowed, alerted), or beyond the 20 % tolerance (refused). */
export type CapacityLevel = 'NORMAL' | 'WARNING_90' | 'OVER_100' | 'OVER_120';

/**
 * The level of a licence item's annual use (年经营规模) after an act: ≥ 90 % WARNING_90,
 * > 100 % OVER_100 (allowed with an alert), > 120 % OVER_120 (refused; exactly 120 % is allowed).
 * Exact integer arithmetic.
 */
export function capacityLevelOf(afterGrams: number, capacityGrams: number): CapacityLevel {
  const after = BigInt(afterGrams) * 100n;
  const capacity = BigInt(capacityGrams);
  if (after > capacity * 120n) return 'OVER_120';
  if (after > capacity * 100n) return 'OVER_100';
  if (after >= capacity * 90n) return 'WARNING_90';
  return 'NORMAL';
}

/**
 * Whether lots of `sourceCodes` may be consolidated (合并) into one lot of `targetCode` under these
 * items: always when every source has the target code; otherwise an item covering the target
 * code must list every other source code in its `mergeableCodes`.
 */
export function mergeAllowed(
  items: readonly LicenceItem[],
  targetCode: string,
  sourceCodes: readonly string[],
): boolean {
  const others = sourceCodes.filter((c) => c !== targetCode);
  if (others.length === 0) return true;
  return items.some(
    (item) =>
      scopeMatch(item.scope, targetCode) !== null &&
      others.every((c) => item.mergeableCodes?.includes(c) === true),
  );
}
