import { Controller, Get, Injectable, Query, Req, Res } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normaliseLabelCode } from '../lots/labels/label-code';
import { labelSvg } from '../lots/labels/label-svg';
import { LabelService } from '../lots/labels/label.service';
import { LotReadService } from '../lots/lot-read.service';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { PrincipalService } from '../shared/auth/principal.service';
import { DomainError } from '../shared/domain/domain-error';
import { formatKg } from '../shared/domain/mass';
import {
  isSheetLayout,
  pageCount,
  type SheetLayout,
  SHEET_LAYOUTS,
  sheetHtml,
  sheetPages,
} from './domain/label-sheet';
import { type HttpReply, type HttpRequest, httpCaller } from './http-auth';

/** Most labels in one request. */
export const MAX_SHEET_LABELS = 200;

/** The label SVGs of the lots asked for (ids or label codes, or a batch code), each visible to the caller. */
@Injectable()
export class LabelSheetService {
  constructor(
    private readonly db: DataSource,
    private readonly read: LotReadService,
    private readonly labels: LabelService,
  ) {}

  async svgs(who: Principal, lots: string | undefined, batch: string | undefined): Promise<string[]> {
    const keys = (lots ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!keys.length && !batch)
      throw DomainError.badInput('lots', 'lots: lot ids or label codes, comma-separated (or batch)');
    if (keys.length > MAX_SHEET_LABELS)
      throw DomainError.badInput('lots', `lots: at most ${MAX_SHEET_LABELS}`);
    const ids: string[] = [];
    for (const k of keys) {
      const code = normaliseLabelCode(k);
      const [r] = await this.db.query<{ lot_id: string }[]>(
        code ? `SELECT lot_id FROM lot WHERE label_code = $1` : `SELECT lot_id FROM lot WHERE lot_id = $1`,
        [code ?? k],
      );
      // one lot the caller may not see makes the whole sheet NOT_FOUND, as the lot would be
      if (!r || !(await this.read.canSeeLot(who, r.lot_id))) throw notFound('lot');
      ids.push(r.lot_id);
    }
    if (batch) {
      const rows = await this.db.query<{ lot_id: string }[]>(
        `SELECT lot_id FROM lot WHERE batch_code = $1 ORDER BY label_code LIMIT ${MAX_SHEET_LABELS + 1}`,
        [batch.trim().toUpperCase()],
      );
      const visible: string[] = [];
      for (const r of rows) if (await this.read.canSeeLot(who, r.lot_id)) visible.push(r.lot_id);
      if (!visible.length) throw notFound('batch');
      ids.push(...visible.filter((id) => !ids.includes(id)));
    }
    if (ids.length > MAX_SHEET_LABELS)
      throw DomainError.badInput('lots', `at most ${MAX_SHEET_LABELS} labels at once`);
    const rows = await this.read.rowsByIds(ids);
    const out: string[] = [];
    for (const row of rows) {
      const label = await this.labels.label(row);
      out.push(labelSvg({ ...label, massKg: formatKg(label.mass) }));
    }
    return out;
  }
}

const layoutOf = (layout: string | undefined): SheetLayout => {
  const l = layout ?? 'A4';
  if (!isSheetLayout(l)) throw DomainError.badInput('layout', `layout: one of ${SHEET_LAYOUTS.join(', ')}`);
  return l;
};

/**
 * 标签排版 — labels laid out for printing, scoped like the lots (callers of `lotByLabel`; a lot
 * you may not see is NOT_FOUND):
 * - `GET /labels/sheet.svg?lots=<ids or label codes>|batch=<batch code>&layout=A4|A4-6|100x100&page=N`:
 *   one page as SVG (`x-sheet-pages` tells how many);
 * - `GET /labels/sheet.html?…`: every page in one document with `@page` set, to print at once
 *   (to A4 sheets, or to a label printer loaded with 100 × 100 mm labels).
 */
@Controller('labels')
export class LabelSheetController {
  constructor(
    private readonly principals: PrincipalService,
    private readonly sheets: LabelSheetService,
  ) {}

  @Get('sheet.svg')
  async svg(
    @Query('lots') lots: string | undefined,
    @Query('batch') batch: string | undefined,
    @Query('layout') layout: string | undefined,
    @Query('page') page: string | undefined,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<string> {
    const who = await httpCaller(this.principals, req, 'lotByLabel', 'labels');
    const l = layoutOf(layout);
    const svgs = await this.sheets.svgs(who, lots, batch);
    const pages = pageCount(svgs.length, l);
    const n = page === undefined ? 1 : Number(page);
    if (!Number.isInteger(n) || n < 1 || n > pages) throw DomainError.badInput('page', `page: 1 to ${pages}`);
    const svg = sheetPages(svgs, l)[n - 1];
    reply.header('content-type', 'image/svg+xml; charset=utf-8');
    reply.header('cache-control', 'private, no-store');
    reply.header('x-sheet-pages', String(pages));
    return svg;
  }

  @Get('sheet.html')
  async html(
    @Query('lots') lots: string | undefined,
    @Query('batch') batch: string | undefined,
    @Query('layout') layout: string | undefined,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<string> {
    const who = await httpCaller(this.principals, req, 'lotByLabel', 'labels');
    const l = layoutOf(layout);
    const svgs = await this.sheets.svgs(who, lots, batch);
    reply.header('content-type', 'text/html; charset=utf-8');
    reply.header('cache-control', 'private, no-store');
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    return sheetHtml(sheetPages(svgs, l), l, `危险废物标签 ${svgs.length} 张`);
  }
}
