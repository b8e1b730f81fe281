import { DomainError } from '../../shared/domain/domain-error';

/**
 * 行政区划代码 — administrative division codes (GB/T 2260): 6 digits, province (省级) `PP0000`,
 * prefecture-level city (地级) `PPCC00`, county-level division (县级: 市辖区、县、县级市) `PPCCDD`.
 * Counties run directly by a province (省直辖县级行政区划) use `PP90DD`.
 */
export type DivisionLevel = 'province' | 'city' | 'county';

/** One row of the reference table (`seeds/cn-divisions.csv`: code,name,level,parent_code). */
export interface DivisionRow {
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
  /** Empty or null for a province. */
  readonly parentCode?: string | null;
}

/** A division code resolved against the table. */
export interface ResolvedDivision {
  readonly code: string;
  readonly level: DivisionLevel;
  readonly provinceCode: string;
  readonly provinceName: string;
  /** The prefecture-level city, or null (province itself, municipality district, province-run county). */
  readonly cityCode: string | null;
  readonly cityName: string | null;
  /** Known only when the county is listed. */
  readonly countyName: string | null;
  /** True when the code itself is a row of the table; false when accepted by its shape. */
  readonly listed: boolean;
}

/** Options of a `DivisionTable`. */
export interface DivisionTableOptions {
  /**
   * Provinces whose every county-level division is in the table, so that an unlisted county
   * code there is refused (2-digit or 6-digit province codes). Default: Henan (41), as the
   * reference data lists every county of Henan and no other province's.
   */
  readonly countyCompleteProvinces?: readonly string[];
}

/** Henan (河南省): the reference data lists every one of its county-level divisions. */
export const DEFAULT_COUNTY_COMPLETE_PROVINCES: readonly string[] = ['41'];

const SIX_DIGITS = /^\d{6}$/;
const LEVELS: readonly DivisionLevel[] = ['province', 'city', 'county'];

/** The province code `PP0000` of a 6-digit division code. */
export const provinceCodeOf = (code: string): string => `${code.slice(0, 2)}0000`;

/** True when two 6-digit division codes lie in the same province (省). */
export const sameProvince = (a: string, b: string): boolean => a.slice(0, 2) === b.slice(0, 2);

/**
 * The administrative division table (行政区划代码表) and its acceptance rules (SPEC section 2):
 * every province and prefecture-level city is listed; every county of the county-complete
 * provinces (Henan) is listed; elsewhere a county code is accepted by its shape when its city is
 * listed, or when its province has no city rows (municipalities 直辖市 such as 北京 110105), or
 * when it has the province-run shape `PP90DD` under a listed province.
 */
export class DivisionTable {
  private readonly rows = new Map<string, DivisionRow>();
  private readonly provincesWithCities = new Set<string>();
  private readonly countyComplete: ReadonlySet<string>;

  private constructor(rows: readonly DivisionRow[], options: DivisionTableOptions) {
    for (const row of rows) this.addRow(row);
    for (const row of this.rows.values()) this.checkParent(row);
    const complete = new Set<string>();
    for (const p of options.countyCompleteProvinces ?? DEFAULT_COUNTY_COMPLETE_PROVINCES) {
      const prefix = p.slice(0, 2);
      if (!/^\d{2}$/.test(prefix) || !this.rows.has(`${prefix}0000`)) {
        throw new Error(`division table: county-complete province ${p} is not listed`);
      }
      complete.add(prefix);
    }
    this.countyComplete = complete;
  }

  /** Builds the table from rows; throws a plain `Error` on inconsistent reference data (a bug, not user input). */
  static fromRows(rows: readonly DivisionRow[], options: DivisionTableOptions = {}): DivisionTable {
    return new DivisionTable(rows, options);
  }

  /** Number of listed divisions. */
  get size(): number {
    return this.rows.size;
  }

  /** The listed row for a code, if any. */
  get(code: string): DivisionRow | undefined {
    return this.rows.get(code);
  }

  /** True when `resolve` would accept the code. */
  isAccepted(code: string): boolean {
    return this.tryResolve(code).ok;
  }

  /**
   * Resolves a site's 6-digit 行政区划代码 to its province and city, or throws
   * `BAD_USER_INPUT` on `field` saying why the code is refused.
   */
  resolve(code: string, field = 'divisionCode'): ResolvedDivision {
    const r = this.tryResolve(code);
    if (!r.ok) throw DomainError.badInput(field, `${field}: ${r.reason}`, { divisionCode: code });
    return r.division;
  }

  private tryResolve(raw: string): { ok: true; division: ResolvedDivision } | { ok: false; reason: string } {
    const code = typeof raw === 'string' ? raw.trim() : '';
    if (!SIX_DIGITS.test(code))
      return { ok: false, reason: `a division code must be 6 digits: ${JSON.stringify(raw)}` };
    const pp = code.slice(0, 2);
    const cc = code.slice(2, 4);
    const dd = code.slice(4, 6);
    const province = this.rows.get(`${pp}0000`);
    if (!province) return { ok: false, reason: `unknown province ${pp}0000 in ${code}` };

    const listed = this.rows.get(code);
    if (listed) return { ok: true, division: this.fromListed(listed) };

    if (cc === '00') return { ok: false, reason: `${code} is not a listed division` };
    if (dd === '00')
      return { ok: false, reason: `${code} is not a listed prefecture-level city of ${province.name}` };

    // an unlisted county-level code
    if (this.countyComplete.has(pp)) {
      return { ok: false, reason: `${code} is not a listed county-level division of ${province.name}` };
    }
    const city = this.rows.get(`${pp}${cc}00`);
    const base = { code, level: 'county' as const, provinceCode: province.code, provinceName: province.name };
    if (city) {
      return {
        ok: true,
        division: { ...base, cityCode: city.code, cityName: city.name, countyName: null, listed: false },
      };
    }
    if (cc === '90' || !this.provincesWithCities.has(pp)) {
      return {
        ok: true,
        division: { ...base, cityCode: null, cityName: null, countyName: null, listed: false },
      };
    }
    return {
      ok: false,
      reason: `${code}: its city ${pp}${cc}00 is not a listed prefecture-level city of ${province.name}`,
    };
  }

  private fromListed(row: DivisionRow): ResolvedDivision {
    const province = this.rows.get(provinceCodeOf(row.code)) as DivisionRow;
    const parent = row.parentCode ? this.rows.get(row.parentCode) : undefined;
    const city = row.level === 'city' ? row : parent?.level === 'city' ? parent : undefined;
    return {
      code: row.code,
      level: row.level,
      provinceCode: province.code,
      provinceName: province.name,
      cityCode: city?.code ?? null,
      cityName: city?.name ?? null,
      countyName: row.level === 'county' ? row.name : null,
      listed: true,
    };
  }

  private addRow(row: DivisionRow): void {
    const where = `division table row ${JSON.stringify(row.code)}`;
    if (!SIX_DIGITS.test(row.code)) throw new Error(`${where}: code must be 6 digits`);
    if (!LEVELS.includes(row.level)) throw new Error(`${where}: unknown level ${String(row.level)}`);
    if (!row.name || row.name.trim() === '') throw new Error(`${where}: empty name`);
    if (this.rows.has(row.code)) throw new Error(`${where}: duplicate code`);
    const shapeOk =
      row.level === 'province'
        ? row.code.endsWith('0000')
        : row.level === 'city'
          ? row.code.endsWith('00') && row.code.slice(2, 4) !== '00'
          : !row.code.endsWith('00');
    if (!shapeOk) throw new Error(`${where}: code does not have the shape of a ${row.level}`);
    this.rows.set(row.code, row);
    if (row.level === 'city') this.provincesWithCities.add(row.code.slice(0, 2));
  }

  private checkParent(row: DivisionRow): void {
    const where = `division table row ${row.code}`;
    const parentCode = row.parentCode || null;
    if (row.level === 'province') {
      if (parentCode !== null) throw new Error(`${where}: a province has no parent`);
      return;
    }
    const parent = parentCode === null ? undefined : this.rows.get(parentCode);
    if (!parent) throw new Error(`${where}: parent ${String(parentCode)} is not listed`);
    const allowed: readonly DivisionLevel[] = row.level === 'city' ? ['province'] : ['province', 'city'];
    if (!allowed.includes(parent.level))
      throw new Error(`${where}: a ${row.level} cannot sit under a ${parent.level}`);
    const prefixLength = parent.level === 'province' ? 2 : 4;
    if (row.code.slice(0, prefixLength) !== parent.code.slice(0, prefixLength)) {
      throw new Error(
        `${where}: code does not start with its parent's ${parent.code.slice(0, prefixLength)}`,
      );
    }
  }
}

/** Builds a `DivisionTable` (factory form). */
export const divisionTable = (rows: readonly DivisionRow[], options?: DivisionTableOptions): DivisionTable =>
  DivisionTable.fromRows(rows, options);

/**
 * A regulator's jurisdiction prefix (管辖范围) normalised: 2, 4 or 6 digits, with trailing `00`
 * pairs of a 4- or 6-digit code dropped (`410000` → `41`, `410100` → `4101`); null when malformed.
 */
export function normaliseJurisdictionPrefix(prefix: string): string | null {
  let p = typeof prefix === 'string' ? prefix.trim() : '';
  if (!/^\d{2}(\d{2}){0,2}$/.test(p)) return null;
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
  return p === '00' ? null : p;
}

/**
 * True when a 6-digit division code lies in a regulator's jurisdiction given as division-code
 * prefixes (`41` Henan, `4101` Zhengzhou, `410102` 中原区). A malformed or empty prefix matches
 * nothing (it never widens a jurisdiction to everything).
 */
export function jurisdictionMatches(divisionCode: string, prefixes: readonly string[]): boolean {
  if (typeof divisionCode !== 'string' || !SIX_DIGITS.test(divisionCode)) return false;
  return prefixes.some((raw) => {
    const p = normaliseJurisdictionPrefix(raw);
    return p !== null && divisionCode.startsWith(p);
  });
}
