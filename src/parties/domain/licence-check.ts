import { WASTE_CODE_PATTERN } from '../../catalogue/domain/medical-waste';
import { DomainError } from '../../shared/domain/domain-error';
import { type Grams, tonnesToGrams } from '../../shared/domain/mass';
import { type BusinessDate, businessYear, toBusinessDate, validityPosition } from './business-date';
import { jurisdictionMatches } from './divisions';
import {
  bestScopeMatch,
  type CapacityLevel,
  capacityLevelOf,
  type EmergencyAuthorisation,
  itemMatch,
  type Licence,
  LICENCE_MODES,
  type LicenceMode,
  licenceStandingOn,
  SCOPE_SPECIFICITY,
  type ScopeMatch,
  scopeMatch,
} from './licence';

/** The licence model and the transfer checks, so that callers import the whole policy from here. */
export * from './licence';
export * from './transfer-check';

/** What the receiver check needs: the receiver's licences and the act (SPEC section 3). */
export interface ReceiverLicenceQuery {
  /** Licences of any holder; only those of `partyId` count. */
  readonly licences: readonly Licence[];
  readonly emergencyAuthorisations?: readonly EmergencyAuthorisation[];
  /** The receiver (接受人). */
  readonly partyId: string;
  /** The receiving site; when given, the licence must name it among its facility sites. */
  readonly siteId?: string;
  /** Division code of the site the waste comes from (matched against an emergency authorisation's region). */
  readonly originDivisionCode?: string;
  readonly wasteCode: string;
  /** The intended mode of the lot (拟利用处置方式). */
  readonly mode: LicenceMode;
  /** The business date of the act (planned date at submit); an instant is taken as its Shanghai day. */
  readonly businessDate: BusinessDate | Date;
  readonly massGrams: Grams;
  /** Reserved plus settled grams on an item (or an emergency authorisation id) in a calendar year, before this act. */
  readonly usedGrams: (itemId: string, year: number) => Grams;
}

/** The item to reserve on, and how full it will be. */
export interface ReceiverLicenceOk {
  readonly ok: true;
  /** The capacity counter to reserve on: a licence item id, or the emergency authorisation id. */
  readonly itemId: string;
  /** Null when an emergency authorisation covers the act. */
  readonly licenceId: string | null;
  readonly licenceNumber: string | null;
  readonly emergencyAuthorisationId: string | null;
  /** The act relies on an emergency authorisation (应急处置): its records are marked. */
  readonly emergency: boolean;
  readonly match: ScopeMatch;
  readonly scope: string;
  readonly capacityLevel: Exclude<CapacityLevel, 'OVER_120'>;
  readonly year: number;
  readonly usedGrams: Grams;
  readonly afterGrams: Grams;
  readonly capacityGrams: Grams;
}

interface Candidate {
  readonly itemId: string;
  readonly licence: Licence | null;
  readonly authorisation: EmergencyAuthorisation | null;
  readonly match: ScopeMatch;
  readonly scope: string;
  readonly modes: readonly LicenceMode[];
  readonly capacityGrams: Grams;
}

interface Evaluated extends Candidate {
  readonly used: Grams;
  readonly after: Grams;
  readonly level: CapacityLevel;
}

const LEVEL_RANK: Readonly<Record<CapacityLevel, number>> = {
  NORMAL: 0,
  WARNING_90: 1,
  OVER_100: 2,
  OVER_120: 3,
};

/** Validates a waste code's shape (`UNKNOWN_WASTE_CODE`); whether the catalogue lists it is checked elsewhere. */
export function assertWasteCodeShape(wasteCode: unknown, field = 'wasteCode'): string {
  if (typeof wasteCode !== 'string' || !WASTE_CODE_PATTERN.test(wasteCode)) {
    throw new DomainError(
      'UNKNOWN_WASTE_CODE',
      `${field}: not a waste code NNN-NNN-NN: ${JSON.stringify(wasteCode)}`,
      {
        field,
      },
    );
  }
  return wasteCode;
}

/** Validates a mass in grams: a non-negative safe integer (`BAD_USER_INPUT`). */
export function assertMassGrams(value: unknown, field = 'massGrams'): Grams {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw DomainError.badInput(field, `${field}: a mass must be a non-negative integer number of grams`);
  }
  return value as Grams;
}

function assertUsed(value: number, what: string): Grams {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`usedGrams(${what}) returned ${value}`);
  return value as Grams;
}

/** Orders candidates: most specific first; among equals, the lower capacity level, then more room left, then item id. */
function byPreference(a: Evaluated, b: Evaluated): number {
  return (
    SCOPE_SPECIFICITY[b.match] - SCOPE_SPECIFICITY[a.match] ||
    LEVEL_RANK[a.level] - LEVEL_RANK[b.level] ||
    b.capacityGrams - b.after - (a.capacityGrams - a.after) ||
    a.itemId.localeCompare(b.itemId)
  );
}

/** Why a licence of the receiver cannot serve this act, or null. */
function licenceRefusal(
  licence: Licence,
  coversCode: boolean,
  wasteCode: string,
  date: BusinessDate,
  siteId: string | undefined,
): string | null {
  if (!coversCode) {
    const restricted = licence.items.some((item) => scopeMatch(item.scope, wasteCode) !== null);
    return restricted ? 'COLLECTION_LICENCE_RESTRICTION' : 'CODE_NOT_COVERED';
  }
  const standing = licenceStandingOn(licence, date);
  if (standing !== 'IN_FORCE') return standing;
  if (siteId !== undefined && !licence.facilitySiteIds.includes(siteId)) return 'SITE_NOT_COVERED';
  return null;
}

/** Why an emergency authorisation covering the code cannot serve this act, or null. */
function authorisationRefusal(
  auth: EmergencyAuthorisation,
  date: BusinessDate,
  originDivisionCode: string | undefined,
  siteId: string | undefined,
): string | null {
  const position = validityPosition(date, auth.validFrom, auth.validTo);
  if (position === 'BEFORE') return 'NOT_YET_VALID';
  if (position === 'AFTER') return 'EXPIRED';
  if (auth.revokedFrom != null && date >= auth.revokedFrom) return 'REVOKED';
  if (auth.epidemicEndedFrom != null && date >= auth.epidemicEndedFrom) return 'EPIDEMIC_ENDED';
  if (originDivisionCode === undefined) return 'ORIGIN_UNKNOWN';
  if (!jurisdictionMatches(originDivisionCode, auth.regionPrefixes)) return 'ORIGIN_OUTSIDE_REGION';
  if (siteId !== undefined && auth.facilitySiteIds !== undefined && !auth.facilitySiteIds.includes(siteId)) {
    return 'SITE_NOT_COVERED';
  }
  return null;
}

/**
 * 接受人许可核查 — may the receiver accept this waste code with this mode on this date, and on which
 * licence item is the mass reserved? Uses the most specific item (code before category before
 * the medical mapping) of an ACTIVE, unexpired licence; an emergency authorisation is used when no
 * licence item covers the code with the mode, or when the licence item would exceed 120 %.
 * Throws `RECEIVER_NOT_LICENSED` (nothing covers the code on the date), `LICENCE_MODE_MISSING`
 * (covered, but not with the mode) or `LICENCE_CAPACITY_EXCEEDED` (reserved + settled + this mass
 * above 120 % of the annual capacity, 年经营规模).
 */
export function checkReceiverLicence(q: ReceiverLicenceQuery): ReceiverLicenceOk {
  const date = toBusinessDate(q.businessDate, 'businessDate');
  const year = businessYear(date);
  const wasteCode = assertWasteCodeShape(q.wasteCode);
  if (!LICENCE_MODES.includes(q.mode))
    throw DomainError.badInput('mode', `mode: unknown mode ${String(q.mode)}`);
  const mass = assertMassGrams(q.massGrams);

  const candidates: Candidate[] = [];
  const refused: { id: string; reason: string }[] = [];
  for (const licence of q.licences.filter((l) => l.holderPartyId === q.partyId)) {
    const items = licence.items.flatMap((item) => {
      const match = itemMatch(licence.kind, item, wasteCode);
      return match ? [{ item, match }] : [];
    });
    const reason = licenceRefusal(licence, items.length > 0, wasteCode, date, q.siteId);
    if (reason) {
      refused.push({ id: licence.id, reason });
      continue;
    }
    for (const { item, match } of items) {
      candidates.push({
        itemId: item.itemId,
        licence,
        authorisation: null,
        match,
        scope: item.scope,
        modes: item.modes,
        capacityGrams: tonnesToGrams(item.annualCapacityTonnes),
      });
    }
  }
  for (const auth of (q.emergencyAuthorisations ?? []).filter((a) => a.holderPartyId === q.partyId)) {
    const best = bestScopeMatch(auth.scope, wasteCode);
    const reason = best
      ? authorisationRefusal(auth, date, q.originDivisionCode, q.siteId)
      : 'CODE_NOT_COVERED';
    if (reason || !best) {
      refused.push({ id: auth.id, reason: reason ?? 'CODE_NOT_COVERED' });
      continue;
    }
    candidates.push({
      itemId: auth.id,
      licence: null,
      authorisation: auth,
      match: best.match,
      scope: best.scope,
      modes: auth.modes,
      capacityGrams: tonnesToGrams(auth.capacityTonnes),
    });
  }

  const context = { partyId: q.partyId, wasteCode, mode: q.mode, businessDate: date };
  if (candidates.length === 0) {
    throw new DomainError(
      'RECEIVER_NOT_LICENSED',
      `receiver ${q.partyId} holds no licence in force on ${date} covering ${wasteCode}`,
      { ...context, refused },
    );
  }
  const withMode = candidates.filter((c) => c.modes.includes(q.mode));
  if (withMode.length === 0) {
    const availableModes = LICENCE_MODES.filter((m) => candidates.some((c) => c.modes.includes(m)));
    throw new DomainError(
      'LICENCE_MODE_MISSING',
      `receiver ${q.partyId} is licensed for ${wasteCode} on ${date} but not to ${q.mode} it (only ${availableModes.join(', ')})`,
      { ...context, availableModes },
    );
  }

  const evaluated: Evaluated[] = withMode.map((c) => {
    const used = assertUsed(q.usedGrams(c.itemId, year), c.itemId);
    const after = (used + mass) as Grams;
    return { ...c, used, after, level: capacityLevelOf(after, c.capacityGrams) };
  });
  const fromLicences = evaluated.filter((c) => c.licence !== null).sort(byPreference);
  const fromEmergency = evaluated.filter((c) => c.authorisation !== null).sort(byPreference);
  const primary = fromLicences.at(0);
  const chosen =
    primary && primary.level !== 'OVER_120'
      ? primary
      : (fromEmergency.find((c) => c.level !== 'OVER_120') ?? null);
  if (!chosen) {
    const full = primary ?? fromEmergency[0];
    throw new DomainError(
      'LICENCE_CAPACITY_EXCEEDED',
      `${full.scope} of ${full.licence ? `licence ${full.licence.number}` : `emergency authorisation ${full.itemId}`}: ${year} use would reach ${full.after} g, above 120 % of ${full.capacityGrams} g`,
      {
        ...context,
        itemId: full.itemId,
        year,
        usedGrams: full.used,
        afterGrams: full.after,
        capacityGrams: full.capacityGrams,
      },
    );
  }
  return {
    ok: true,
    itemId: chosen.itemId,
    licenceId: chosen.licence?.id ?? null,
    licenceNumber: chosen.licence?.number ?? null,
    emergencyAuthorisationId: chosen.authorisation?.id ?? null,
    emergency: chosen.authorisation !== null,
    match: chosen.match,
    scope: chosen.scope,
    capacityLevel: chosen.level as Exclude<CapacityLevel, 'OVER_120'>,
    year,
    usedGrams: chosen.used,
    afterGrams: chosen.after,
    capacityGrams: chosen.capacityGrams,
  };
}
