import { DomainError } from '../../shared/domain/domain-error';
import { grams, type Grams } from '../../shared/domain/mass';

/**
 * 管理类别 — management class of a producer site (HJ 1259-2022 §4.2):
 * KEY 重点监管单位, SIMPLIFIED 简化管理单位, REGISTRATION 登记管理单位.
 */
export type ManagementClass = 'KEY' | 'SIMPLIFIED' | 'REGISTRATION';
/** All management classes, strictest first. */
export const MANAGEMENT_CLASSES: readonly ManagementClass[] = ['KEY', 'SIMPLIFIED', 'REGISTRATION'];

/** What fixed the class: a regulator's override, the site's own facility or licence, the ledger, or the declaration. */
export type ManagementClassBasis = 'OVERRIDE' | 'FACILITY_OR_LICENCE' | 'LEDGER' | 'DECLARED';

/** 100 t/a: at or above, KEY (重点监管). */
export const KEY_THRESHOLD_GRAMS = grams(100_000_000);
/** 10 t/a: at or above, SIMPLIFIED (简化管理); below, REGISTRATION (登记管理). */
export const SIMPLIFIED_THRESHOLD_GRAMS = grams(10_000_000);
/** HJ 1259 §4.2.3: the largest annual amount of the last three years. */
export const LOOKBACK_YEARS = 3;

/** A regulator's decision for one calendar year (设区的市级以上生态环境主管部门可确定其管理类别, §4.2.2). */
export interface ManagementClassOverride {
  readonly class: ManagementClass;
  readonly reason: string;
  readonly year: number;
}

/** What fixes a site's class for a year: amounts, flags and any override. */
export interface ManagementClassInput {
  /** The calendar year asked for; the class is fixed on 1 January of that year. */
  readonly year: number;
  /**
   * Expected annual amount declared by a new site (环评 or 排污许可证), used until the ledger holds a
   * full year among the last three.
   */
  readonly declaredAnnualGrams?: Grams | null;
  /**
   * Annual amounts generated, per calendar year, for the years the ledger holds as full years
   * (the caller leaves out a partial first year and years without data).
   */
  readonly ledgerAnnualGrams?: ReadonlyMap<number, Grams> | Readonly<Record<number, Grams>>;
  /** The site has its own utilisation or disposal facility (自建利用处置设施). */
  readonly ownTreatmentFacility?: boolean;
  /** The party holds a hazardous-waste operating licence (危险废物经营许可证). */
  readonly holdsLicence?: boolean;
  /** Regulator overrides; the last one for the asked year wins (later events replace earlier ones). */
  readonly override?: ManagementClassOverride | readonly ManagementClassOverride[] | null;
}

/** A site's class for a year and what fixed it. */
export interface ManagementClassResult {
  readonly year: number;
  readonly class: ManagementClass;
  readonly basis: ManagementClassBasis;
  /**
   * The annual amount the thresholds apply to (largest ledger year of Y-3..Y-1, else the declared
   * amount); null only when an override, facility or licence decided and no amount is known.
   */
  readonly amountGrams: Grams | null;
  /** The ledger year whose amount was used (basis LEDGER, or another basis when the ledger had one). */
  readonly amountYear?: number;
  /** The regulator's reason (basis OVERRIDE). */
  readonly reason?: string;
}

/** The class an annual amount alone gives: ≥ 100 t KEY, ≥ 10 t SIMPLIFIED, else REGISTRATION. */
export function classForAnnualAmount(amount: Grams): ManagementClass {
  if (amount >= KEY_THRESHOLD_GRAMS) return 'KEY';
  if (amount >= SIMPLIFIED_THRESHOLD_GRAMS) return 'SIMPLIFIED';
  return 'REGISTRATION';
}

function checkAmount(value: unknown, field: string): Grams {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw DomainError.badInput(
      field,
      `${field}: an annual amount must be a non-negative integer number of grams`,
    );
  }
  return value as Grams;
}

function checkYear(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1000 || value > 9999) {
    throw DomainError.badInput(field, `${field}: not a calendar year: ${String(value)}`);
  }
  return value;
}

function ledgerEntries(ledger: ManagementClassInput['ledgerAnnualGrams']): [number, Grams][] {
  if (!ledger) return [];
  const entries: [number | string, unknown][] =
    ledger instanceof Map
      ? [...(ledger as ReadonlyMap<number, unknown>).entries()]
      : Object.entries(ledger as Readonly<Record<string, unknown>>);
  return entries.map(([y, g]) => {
    const year = checkYear(Number(y), `ledgerAnnualGrams.${y}`);
    return [year, checkAmount(g, `ledgerAnnualGrams.${y}`)];
  });
}

function overrideFor(input: ManagementClassInput, year: number): ManagementClassOverride | undefined {
  const list =
    input.override == null ? [] : Array.isArray(input.override) ? input.override : [input.override];
  const matching = (list as readonly ManagementClassOverride[]).filter((o) => o.year === year);
  const chosen = matching.at(-1);
  if (!chosen) return undefined;
  if (!MANAGEMENT_CLASSES.includes(chosen.class)) {
    throw DomainError.badInput('override.class', `override.class: unknown class ${String(chosen.class)}`);
  }
  if (typeof chosen.reason !== 'string' || chosen.reason.trim() === '') {
    throw DomainError.badInput('override.reason', 'override.reason: a regulator override needs a reason');
  }
  return chosen;
}

/**
 * The management class of a producer site for calendar year `year` (HJ 1259-2022 §4.2), fixed on
 * 1 January: a regulator override for that year wins; else KEY when the site has its own
 * treatment facility or holds a licence; else by the largest annual amount among the ledger's
 * full years Y-3..Y-1, or, with none, by the declared expected amount. Throws `BAD_USER_INPUT`
 * when the amount is needed but no ledger year and no declaration exist.
 */
export function managementClassFor(input: ManagementClassInput): ManagementClassResult {
  const year = checkYear(input.year, 'year');
  const declared =
    input.declaredAnnualGrams == null ? null : checkAmount(input.declaredAnnualGrams, 'declaredAnnualGrams');

  let amountGrams: Grams | null = null;
  let amountYear: number | undefined;
  for (const [y, g] of ledgerEntries(input.ledgerAnnualGrams)) {
    if (y < year - LOOKBACK_YEARS || y >= year) continue;
    if (
      amountGrams === null ||
      g > amountGrams ||
      (g === amountGrams && amountYear !== undefined && y > amountYear)
    ) {
      amountGrams = g;
      amountYear = y;
    }
  }
  const fromLedger = amountGrams !== null;
  if (!fromLedger) amountGrams = declared;
  const amount = { amountGrams, ...(amountYear === undefined ? {} : { amountYear }) };

  const override = overrideFor(input, year);
  if (override) return { year, class: override.class, basis: 'OVERRIDE', ...amount, reason: override.reason };

  if (input.ownTreatmentFacility === true || input.holdsLicence === true) {
    return { year, class: 'KEY', basis: 'FACILITY_OR_LICENCE', ...amount };
  }
  if (amountGrams === null) {
    throw DomainError.badInput(
      'declaredAnnualGrams',
      `declaredAnnualGrams: the ledger holds no full year among ${year - LOOKBACK_YEARS}..${year - 1}; a declared expected annual amount is needed`,
    );
  }
  return {
    year,
    class: classForAnnualAmount(amountGrams),
    basis: fromLedger ? 'LEDGER' : 'DECLARED',
    ...amount,
  };
}
