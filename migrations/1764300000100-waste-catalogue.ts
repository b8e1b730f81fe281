import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { parseHazardNotation } from '../src/catalogue/domain/hazard';
import { APP_GROUP_ROLE } from '../src/database/roles';
import { seedFile } from '../src/database/seed-files';

interface CatalogueRow {
  edition: string;
  valid_from: string;
  valid_to: string;
  waste_code: string;
  category_code: string;
  category_name: string;
  industry_code: string;
  industry_source: string;
  description: string;
  hazard_characteristics: string;
  pdf_page: string;
}

/**
 * 国家危险废物名录 — the National Hazardous Waste List, as reference data loaded from
 * `seeds/hw-catalog.csv` (a copy of shared/data/hw-catalog-2021.csv with the edition and the
 * validity range on each code). A later edition is loaded by a new migration, never by editing this one.
 */
export class WasteCatalogue1764300000100 implements MigrationInterface {
  name = 'WasteCatalogue1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE waste_edition (
        id text PRIMARY KEY,
        title text NOT NULL,
        instrument text NOT NULL,
        in_force_from date NOT NULL,
        in_force_to date,
        note text
      );
      CREATE TABLE waste_category (
        code text PRIMARY KEY CHECK (code ~ '^HW[0-9]{2}$'),
        name_zh text NOT NULL
      );
      CREATE TABLE waste_code (
        edition_id text NOT NULL REFERENCES waste_edition(id),
        code text NOT NULL CHECK (code ~ '^[0-9]{3}-[0-9]{3}-[0-9]{2}$'),
        category_code text NOT NULL REFERENCES waste_category(code),
        industry_code text NOT NULL,
        industry_name text NOT NULL,
        description text NOT NULL,
        hazard_notation text NOT NULL,
        hazards text[] NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        source_page integer,
        PRIMARY KEY (edition_id, code),
        CHECK (right(code, 2) = right(category_code, 2))
      );
      CREATE INDEX waste_code_category_idx ON waste_code (category_code, code);
      CREATE INDEX waste_code_code_idx ON waste_code (code);
      CREATE INDEX waste_code_hazards_idx ON waste_code USING gin (hazards);
    `);
    await q.query(
      `INSERT INTO waste_edition (id, title, instrument, in_force_from, in_force_to, note) VALUES ($1, $2, $3, $4, NULL, $5)`,
      [
        '2021',
        '国家危险废物名录（2021年版）',
        '生态环境部令 第15号',
        '2021-01-01',
        'The 2025 edition (令第36号) has been in force since 2025-01-01, but its code-level table is not available here; ' +
          'until it is loaded, the 2021 codes stand in for it (the 2025 edition has 470 codes: 2 merged, 1 split, 4 new tin-smelting codes).',
      ],
    );
    const rows: CatalogueRow[] = parse(readFileSync(seedFile('hw-catalog.csv')), { columns: true });
    const categories = new Map(rows.map((r) => [r.category_code, r.category_name]));
    for (const [code, name] of categories) {
      await q.query(`INSERT INTO waste_category (code, name_zh) VALUES ($1, $2)`, [code, name]);
    }
    await q.query(
      `INSERT INTO waste_code (edition_id, code, category_code, industry_code, industry_name, description,
                               hazard_notation, hazards, valid_from, valid_to, source_page)
       SELECT a, b, c, d, e, f, g, string_to_array(h, ','), i, j, k
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::text[], $9::date[], $10::date[], $11::int[]) AS t(a, b, c, d, e, f, g, h, i, j, k)`,
      [
        rows.map((r) => r.edition),
        rows.map((r) => r.waste_code),
        rows.map((r) => r.category_code),
        rows.map((r) => r.industry_code),
        rows.map((r) => r.industry_source),
        rows.map((r) => r.description),
        rows.map((r) => r.hazard_characteristics),
        rows.map((r) => parseHazardNotation(r.hazard_characteristics).join(',')),
        rows.map((r) => r.valid_from),
        rows.map((r) => r.valid_to || null),
        rows.map((r) => (r.pdf_page ? Number(r.pdf_page) : null)),
      ],
    );
    await q.query(`GRANT SELECT ON waste_edition, waste_category, waste_code TO ${APP_GROUP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE waste_code; DROP TABLE waste_category; DROP TABLE waste_edition;`);
  }
}
