import { Controller, Get, Header, Injectable, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import { mayCall } from '../shared/auth/permissions';
import { PrincipalService } from '../shared/auth/principal.service';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { formatKg } from '../shared/domain/mass';
import { isLocalDate, SHANGHAI_OFFSET_MS } from '../shared/domain/time';
import { ENTRY_KIND_ZH } from './domain/ledger-book';
import { FlowsAccess } from './flows-access.service';
import { type BookRange, ENTRY_SELECT, type EntryRow, LedgerBookService } from './ledger-book.service';

/** The CSV columns: Chinese first (what the unit's staff read), English after. */
const COLUMNS = [
  '时间 time',
  '类型 kind',
  '方向 direction',
  '批次 lot',
  '标签编码 label code',
  '产生批次编码 batch code',
  '废物代码 waste code',
  '废物类别 category',
  '重量(kg) mass',
  '设施 facility',
  '对方单位 counterparty',
  '对方单位ID counterparty id',
  '转移联单编号 manifest number',
  '利用处置方式 method',
  '豁免 exempt',
  '上线导入 imported',
  '记录时间 recorded at',
];

const DIRECTION_ZH = { IN: '入', OUT: '出', NONE: '—' } as const;

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai. */
const localTime = (d: Date): string =>
  new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);

/** One CSV row straight from the database row (no intermediate object: less garbage per row). */
function record(r: EntryRow): string[] {
  return [
    localTime(r.at),
    `${ENTRY_KIND_ZH[r.kind]} ${r.kind}`,
    DIRECTION_ZH[r.direction],
    r.lot_id,
    r.label_code,
    r.batch_code,
    r.waste_code,
    r.category,
    formatKg(Number(r.mass_grams)),
    r.facility_name ?? r.facility_id ?? '',
    r.counterparty_name ?? '',
    r.counterparty_party_id ?? '',
    r.manifest_number ?? '',
    r.method ?? '',
    r.exempt ? '是' : '否',
    r.imported ? '是' : '否',
    r.recorded_at.toISOString(),
  ];
}

/**
 * Streams a site's ledger book for a period as CSV: one database snapshot (REPEATABLE READ, read
 * only), read by keyset in batches of LEDGER_BOOK_CSV_BATCH rows, each batch written before the
 * next is read (the response's back-pressure paces the reads), so that memory stays flat however
 * long the book. UTF-8 with a BOM, so that spreadsheet programs read the Chinese.
 */
@Injectable()
export class LedgerBookCsvExport {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
  ) {}

  private async *records(siteId: string, range: BookRange): AsyncGenerator<string[]> {
    const runner = this.db.createQueryRunner();
    let open = false;
    try {
      await runner.connect();
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      const batch = this.env.LEDGER_BOOK_CSV_BATCH;
      let after: [Date, string, number] | null = null;
      for (;;) {
        const params: unknown[] = [siteId, range.start, range.end];
        const keyset = after
          ? `AND (e.at, e.position, e.seq) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::bigint, $${params.push(after[2])}::smallint)`
          : '';
        const rows = (await runner.query(
          `${ENTRY_SELECT} WHERE e.site_id = $1 AND e.at >= $2 AND e.at < $3 ${keyset}
            ORDER BY e.at, e.position, e.seq LIMIT ${batch}`,
          params,
        )) as EntryRow[];
        for (const r of rows) yield record(r);
        if (rows.length < batch) break;
        const last = rows[rows.length - 1];
        after = [last.at, last.position, last.seq];
      }
      await runner.query('COMMIT');
      open = false;
    } finally {
      if (open) await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release().catch(() => undefined);
    }
  }

  /** The CSV text as a stream (with the header row and a BOM). */
  stream(siteId: string, range: BookRange): Readable {
    const csv = stringify({ header: true, columns: COLUMNS, bom: true });
    pipeline(Readable.from(this.records(siteId, range), { highWaterMark: 64 }), csv, () => undefined);
    return csv;
  }
}

/**
 * `GET /ledger-books/<siteId>.csv?from=YYYY-MM-DD&to=YYYY-MM-DD` — the ledger book (管理台账) of a
 * site as CSV. Same bearer token as GraphQL, allowed to the callers of `ledgerBook`, scoped like
 * it (the unit, its agents, regulators of the site's region).
 */
@Controller('ledger-books')
export class LedgerBookCsvController {
  constructor(
    private readonly principals: PrincipalService,
    private readonly access: FlowsAccess,
    private readonly books: LedgerBookService,
    private readonly csv: LedgerBookCsvExport,
    private readonly clock: Clock,
  ) {}

  @Get(':file')
  @Header('cache-control', 'private, no-store')
  async export(
    @Param('file') file: string,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Req() req: Parameters<PrincipalService['forRequest']>[0],
  ): Promise<StreamableFile> {
    const who = await this.principals.forRequest(req);
    const verdict = mayCall(who, 'ledgerBook');
    if (verdict === 'UNAUTHENTICATED')
      throw new DomainError(
        'UNAUTHENTICATED',
        'ledger books need a signed-in user (Authorization: Bearer <token>)',
      );
    if (verdict !== 'ALLOWED') throw new DomainError('FORBIDDEN', 'your role may not read ledger books');
    const m = /^(.+)\.csv$/i.exec(file);
    if (!m) throw new DomainError('NOT_FOUND', 'ledger books are served as <site id>.csv');
    for (const [name, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || !isLocalDate(value)))
        throw DomainError.badInput(name, `${name}: a date YYYY-MM-DD`);
    }
    const siteId = decodeURIComponent(m[1]);
    const range = this.books.range(from, to);
    await this.access.readable(who, siteId, this.clock.now());
    return new StreamableFile(this.csv.stream(siteId, range), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="ledger-book-${siteId.replace(/[^\w-]/g, '')}-${range.from}-${range.to}.csv"`,
    });
  }
}
