import {
  CATEGORY_PATTERN,
  MEDICAL_CATEGORY,
  WASTE_CODE_PATTERN,
  categoryOfCode,
} from '../../catalogue/domain/medical-waste';
import {
  COLLECTION_LICENCE_CODES,
  LICENCE_MODES,
  type LicenceKind,
  type LicenceMode,
} from '../../parties/domain/licence';
import { DomainError } from '../../shared/domain/domain-error';
import { formatTonnes, parseTonnes } from './capacity.policy';

/**
 * What the catalogue (国家危险废物名录, edition in force) says about the codes and categories a
 * command names, looked up by the service before deciding.
 */
export interface CatalogueFacts {
  readonly knownCodes: ReadonlySet<string>;
  readonly knownCategories: ReadonlySet<string>;
}

/** A licence item as a command brings it (capacity as a decimal tonnes string). */
export interface LicenceItemInput {
  readonly itemId: string;
  readonly scope: string;
  readonly modes: readonly string[];
  readonly annualCapacityTonnes: string;
  readonly mergeableCodes?: readonly string[];
}

/** A licence item as the events hold it. */
export interface LicenceItemData {
  itemId: string;
  scope: string;
  modes: LicenceMode[];
  /** 年经营规模, a decimal string of tonnes. */
  annualCapacityTonnes: string;
  mergeableCodes: string[];
}

/** Modes a collection licence (收集经营, and the pilots) may hold. */
export const COLLECTION_MODES: readonly LicenceMode[] = ['COLLECT', 'STORE'];

/** A waste code (`NNN-NNN-NN`) known to the catalogue, else `UNKNOWN_WASTE_CODE` / `BAD_USER_INPUT` on `field`. */
export function assertKnownCode(code: unknown, catalogue: CatalogueFacts, field: string): string {
  const c = typeof code === 'string' ? code.trim() : '';
  if (!WASTE_CODE_PATTERN.test(c))
    throw DomainError.badInput(field, `${field}: not a waste code NNN-NNN-NN: ${JSON.stringify(code)}`);
  if (!catalogue.knownCodes.has(c)) {
    throw new DomainError('UNKNOWN_WASTE_CODE', `${field}: ${c} is not in the waste catalogue in force`, {
      field,
      wasteCode: c,
    });
  }
  return c;
}

/** A scope: a known waste code or a known category `HWxx`. */
export function assertKnownScope(scope: unknown, catalogue: CatalogueFacts, field: string): string {
  const s = typeof scope === 'string' ? scope.trim() : '';
  if (CATEGORY_PATTERN.test(s)) {
    if (!catalogue.knownCategories.has(s)) {
      throw new DomainError(
        'UNKNOWN_WASTE_CODE',
        `${field}: ${s} is not a category of the waste catalogue in force`,
        {
          field,
          wasteCode: s,
        },
      );
    }
    return s;
  }
  if (!WASTE_CODE_PATTERN.test(s)) {
    throw DomainError.badInput(
      field,
      `${field}: a scope is a waste code NNN-NNN-NN or a category HWxx: ${JSON.stringify(scope)}`,
    );
  }
  return assertKnownCode(s, catalogue, field);
}

/** Modes: at least one, known, no repeats. */
export function assertModes(
  modes: readonly string[],
  field: string,
  allowed: readonly LicenceMode[] = LICENCE_MODES,
): LicenceMode[] {
  if (modes.length === 0) throw DomainError.badInput(field, `${field}: at least one mode`);
  for (const m of modes) {
    if (!allowed.includes(m as LicenceMode)) {
      throw DomainError.badInput(
        field,
        `${field}: ${m} is not allowed here (allowed: ${allowed.join(', ')})`,
      );
    }
  }
  if (new Set(modes).size !== modes.length) throw DomainError.badInput(field, `${field}: a mode is repeated`);
  return LICENCE_MODES.filter((m) => modes.includes(m));
}

/** What a licence kind may cover, or why not. */
function kindScopeRefusal(kind: LicenceKind, scope: string): string | null {
  if (kind === 'COLLECTION' && !COLLECTION_LICENCE_CODES.includes(scope)) {
    return `a COLLECTION licence covers only ${COLLECTION_LICENCE_CODES.join(' and ')} (Licence Measures art. 3)`;
  }
  if (kind === 'MEDICAL_DISPOSAL') {
    const category = CATEGORY_PATTERN.test(scope) ? scope : categoryOfCode(scope);
    if (category !== MEDICAL_CATEGORY)
      return `a MEDICAL_DISPOSAL licence covers medical waste (${MEDICAL_CATEGORY}) only`;
  }
  return null;
}

/**
 * Licence items checked against the catalogue and the kind: each scope a known code or category
 * (a COLLECTION licence: only its two codes; MEDICAL_DISPOSAL: HW01), modes known (collection
 * kinds: COLLECT and STORE only), capacity a positive decimal of tonnes, mergeable codes known,
 * item ids unique, and no (scope, mode) pair in two items.
 */
export function validateItems(
  kind: LicenceKind,
  items: readonly LicenceItemInput[],
  catalogue: CatalogueFacts,
  field = 'items',
): LicenceItemData[] {
  if (items.length === 0) throw DomainError.badInput(field, `${field}: at least one item`);
  if (items.length > 200) throw DomainError.badInput(field, `${field}: at most 200 items`);
  const allowedModes =
    kind === 'COLLECTION' || kind === 'PILOT_COLLECTION' ? COLLECTION_MODES : LICENCE_MODES;
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  return items.map((item, i) => {
    const f = `${field}.${i}`;
    if (!item.itemId || ids.has(item.itemId))
      throw DomainError.badInput(`${f}.itemId`, `${f}.itemId: missing or repeated`);
    ids.add(item.itemId);
    const scope = assertKnownScope(item.scope, catalogue, `${f}.scope`);
    const refusal = kindScopeRefusal(kind, scope);
    if (refusal) throw DomainError.badInput(`${f}.scope`, `${f}.scope: ${refusal}`);
    const modes = assertModes(item.modes, `${f}.modes`, allowedModes);
    for (const m of modes) {
      const other = seen.get(`${scope}|${m}`);
      if (other !== undefined) {
        throw DomainError.badInput(`${f}.modes`, `${f}.modes: ${scope} with ${m} is already item ${other}`);
      }
      seen.set(`${scope}|${m}`, i);
    }
    const capacity = parseTonnes(item.annualCapacityTonnes, `${f}.annualCapacityTonnes`);
    const mergeableCodes = [
      ...new Set(
        (item.mergeableCodes ?? []).map((c, k) => assertKnownCode(c, catalogue, `${f}.mergeableCodes.${k}`)),
      ),
    ];
    return {
      itemId: item.itemId,
      scope,
      modes,
      annualCapacityTonnes: formatTonnes(capacity),
      mergeableCodes,
    };
  });
}
