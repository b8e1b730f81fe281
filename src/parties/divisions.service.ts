import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { seedFile } from '../database/seed-files';
import { type DivisionRow, DivisionTable, type ResolvedDivision } from './domain/divisions';

/** 行政区划代码 — the division table from `seeds/cn-divisions.csv`, loaded once. */
@Injectable()
export class DivisionsService {
  readonly table: DivisionTable;

  constructor() {
    const rows: { code: string; name: string; level: DivisionRow['level']; parent_code: string }[] = parse(
      readFileSync(seedFile('cn-divisions.csv')),
      { columns: true },
    );
    this.table = DivisionTable.fromRows(
      rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code || null })),
    );
  }

  resolve(code: string, field: string): ResolvedDivision {
    return this.table.resolve(code, field);
  }
}
