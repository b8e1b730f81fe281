import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { shanghaiDate } from '../shared/domain/time';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import { ReferenceCache } from '../shared/reference-cache';
import { medicalClassOfCode } from './domain/medical-waste';
import type {
  HazardCharacteristic,
  MedicalWasteClassEnum,
  WasteCategoryObject,
  WasteCodeObject,
  WasteEditionObject,
} from './graphql/catalogue.objects';

interface WasteCodeRow {
  code: string;
  category_code: string;
  category_name: string;
  industry_code: string;
  industry_name: string;
  description: string;
  hazards: string[];
  hazard_notation: string;
  edition_id: string;
  valid_from: string;
  valid_to: string | null;
}

export interface WasteCodeQuery {
  category?: string;
  hazard?: string;
  search?: string;
  at: Date;
  first?: number;
  after?: string;
}

const SELECT_CODE = `
  SELECT c.code, c.category_code, k.name_zh AS category_name, c.industry_code, c.industry_name, c.description,
         c.hazards, c.hazard_notation, c.edition_id, to_char(c.valid_from, 'YYYY-MM-DD') AS valid_from,
         to_char(c.valid_to, 'YYYY-MM-DD') AS valid_to
    FROM waste_code c
    JOIN waste_category k ON k.code = c.category_code
    JOIN waste_edition e ON e.id = c.edition_id`;

/** Codes of the edition in force on a Shanghai date, each valid on that date. */
const IN_FORCE = `e.in_force_from <= $1::date AND (e.in_force_to IS NULL OR e.in_force_to >= $1::date)
  AND c.valid_from <= $1::date AND (c.valid_to IS NULL OR c.valid_to >= $1::date)`;

/** 国家危险废物名录 — read access to the waste catalogue, by the edition in force at a business time. */
@Injectable()
export class CatalogueService {
  /**
   * Codes by (code, Shanghai date): the catalogue changes only with a migration, and every act
   * looks its codes up, so they are kept in process for ten minutes (see ReferenceCache).
   */
  private readonly codes = new ReferenceCache<WasteCodeObject | null>(600_000, 5_000);

  constructor(private readonly db: DataSource) {}

  /** The entry for `code` in the edition in force at `at`, or null when unknown then. */
  async findCode(code: string, at: Date): Promise<WasteCodeObject | null> {
    const day = shanghaiDate(at);
    const found = await this.codes.get(`${code}@${day}`, async () => {
      const rows = await this.db.query<WasteCodeRow[]>(`${SELECT_CODE} WHERE ${IN_FORCE} AND c.code = $2`, [
        day,
        code,
      ]);
      return rows.length ? toObject(rows[0]) : null;
    });
    // a copy: callers may not change what the next act reads
    return found && structuredClone(found);
  }

  async listCodes(q: WasteCodeQuery): Promise<Page<WasteCodeObject>> {
    const first = q.first ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [shanghaiDate(q.at)];
    const where = [IN_FORCE];
    if (q.category) where.push(`c.category_code = $${params.push(q.category)}`);
    if (q.hazard) where.push(`$${params.push(q.hazard)} = ANY (c.hazards)`);
    if (q.search) {
      const like = `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const i = params.push(like);
      where.push(
        `(c.code ILIKE $${i} OR c.description ILIKE $${i} OR c.industry_name ILIKE $${i} OR k.name_zh ILIKE $${i})`,
      );
    }
    const filter = where.join(' AND ');
    const countRows = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM waste_code c JOIN waste_category k ON k.code = c.category_code
         JOIN waste_edition e ON e.id = c.edition_id WHERE ${filter}`,
      params,
    );
    const pageWhere = q.after
      ? `${filter} AND c.code > $${params.push(decodeCursor(q.after, 1)[0])}`
      : filter;
    const rows = await this.db.query<WasteCodeRow[]>(
      `${SELECT_CODE} WHERE ${pageWhere} ORDER BY c.code LIMIT ${first + 1}`,
      params,
    );
    return toPage(rows.map(toObject), first, countRows[0].n, (r) => [r.code]);
  }

  async categories(at: Date): Promise<WasteCategoryObject[]> {
    return this.db.query<WasteCategoryObject[]>(
      `SELECT k.code, k.name_zh AS "nameZh", count(c.code)::int AS "codeCount"
         FROM waste_category k
         JOIN waste_code c ON c.category_code = k.code
         JOIN waste_edition e ON e.id = c.edition_id
        WHERE ${IN_FORCE}
        GROUP BY k.code, k.name_zh ORDER BY k.code`,
      [shanghaiDate(at)],
    );
  }

  async editions(): Promise<WasteEditionObject[]> {
    return this.db.query<WasteEditionObject[]>(
      `SELECT id, title, instrument, to_char(in_force_from, 'YYYY-MM-DD') AS "inForceFrom",
              to_char(in_force_to, 'YYYY-MM-DD') AS "inForceTo", note
         FROM waste_edition ORDER BY in_force_from`,
    );
  }
}

function toObject(r: WasteCodeRow): WasteCodeObject {
  return {
    code: r.code,
    category: r.category_code,
    categoryNameZh: r.category_name,
    industryCode: r.industry_code,
    industryNameZh: r.industry_name,
    descriptionZh: r.description,
    hazards: r.hazards as HazardCharacteristic[],
    hazardNotation: r.hazard_notation,
    medicalClass: (medicalClassOfCode(r.code) ?? null) as MedicalWasteClassEnum | null,
    edition: r.edition_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}
