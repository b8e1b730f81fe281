/**
 * 标签排版 — the lots' label SVGs (100 mm × 100 mm, `src/lots/labels/label-svg.ts`) laid out for the
 * printers people have: a label printer with 100 × 100 mm labels (one label per page), and A4 sheets
 * of self-adhesive labels (2 × 2 labels of 100 mm; or 2 × 3 labels of 99.1 × 93.1 mm, the common
 * 6-up sheet, each label scaled to 93.1 mm). Pure: label SVG strings in, page SVG strings out.
 */

export const SHEET_LAYOUTS = ['100x100', 'A4', 'A4-6'] as const;
export type SheetLayout = (typeof SHEET_LAYOUTS)[number];

interface LayoutSpec {
  /** Page size in mm. */
  readonly page: { readonly width: number; readonly height: number };
  readonly columns: number;
  readonly rows: number;
  /** Top-left of the first cell, the cell size and the pitch between cells, in mm. */
  readonly left: number;
  readonly top: number;
  readonly cell: { readonly width: number; readonly height: number };
  readonly pitch: { readonly x: number; readonly y: number };
  readonly nameZh: string;
}

export const LAYOUTS: Record<SheetLayout, LayoutSpec> = {
  '100x100': {
    page: { width: 100, height: 100 },
    columns: 1,
    rows: 1,
    left: 0,
    top: 0,
    cell: { width: 100, height: 100 },
    pitch: { x: 100, y: 100 },
    nameZh: '标签打印机 100×100 mm',
  },
  A4: {
    page: { width: 210, height: 297 },
    columns: 2,
    rows: 2,
    left: 5,
    top: 48.5,
    cell: { width: 100, height: 100 },
    pitch: { x: 100, y: 100 },
    nameZh: 'A4 不干胶 2×2（100×100 mm）',
  },
  'A4-6': {
    page: { width: 210, height: 297 },
    columns: 2,
    rows: 3,
    left: 4.65,
    top: 8.85,
    cell: { width: 99.1, height: 93.1 },
    pitch: { x: 101.6, y: 93.1 },
    nameZh: 'A4 不干胶 2×3（99.1×93.1 mm）',
  },
};

export const isSheetLayout = (s: string): s is SheetLayout =>
  (SHEET_LAYOUTS as readonly string[]).includes(s);

export const labelsPerPage = (layout: SheetLayout): number => LAYOUTS[layout].columns * LAYOUTS[layout].rows;

export const pageCount = (labels: number, layout: SheetLayout): number =>
  Math.max(1, Math.ceil(labels / labelsPerPage(layout)));

const OPEN_TAG = /^<svg\b[^>]*>/;

/** The inner markup of a label SVG, with its element ids made unique on the page. */
function innerOf(svg: string, n: number): { inner: string; fontFamily: string | null } {
  const open = OPEN_TAG.exec(svg);
  if (!open || !svg.endsWith('</svg>')) throw new Error('not a label SVG');
  const font = /font-family="([^"]*)"/.exec(open[0]);
  const inner = svg.slice(open[0].length, -'</svg>'.length).replace(/\bid="([\w-]+)"/g, `id="$1-${n}"`);
  return { inner, fontFamily: font ? font[1] : null };
}

/**
 * The pages of a sheet: each an SVG whose user unit is the millimetre, holding up to
 * `labelsPerPage` labels placed in the layout's cells (a label keeps its square shape, centred).
 */
export function sheetPages(labels: readonly string[], layout: SheetLayout): string[] {
  const spec = LAYOUTS[layout];
  const per = labelsPerPage(layout);
  const pages: string[] = [];
  for (let p = 0; p * per < Math.max(labels.length, 1); p++) {
    const cells = labels.slice(p * per, (p + 1) * per).map((svg, i) => {
      const { inner, fontFamily } = innerOf(svg, p * per + i + 1);
      const side = Math.min(spec.cell.width, spec.cell.height);
      const col = i % spec.columns;
      const row = Math.floor(i / spec.columns);
      const x = round(spec.left + col * spec.pitch.x + (spec.cell.width - side) / 2);
      const y = round(spec.top + row * spec.pitch.y + (spec.cell.height - side) / 2);
      const font = fontFamily ? ` font-family="${fontFamily}"` : '';
      return `<svg x="${x}" y="${y}" width="${side}" height="${side}" viewBox="0 0 100 100"${font}>${inner}</svg>`;
    });
    const { width, height } = spec.page;
    pages.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">` +
        `<title>${spec.nameZh} · ${p + 1}</title>${cells.join('')}</svg>`,
    );
  }
  return pages;
}

const round = (v: number): number => Math.round(v * 100) / 100;

/**
 * One printable HTML document of every page: `@page` sets the paper (A4, or 100 × 100 mm for a
 * label printer) without margins, each page's SVG fills one sheet. Print it from a browser.
 */
export function sheetHtml(pages: readonly string[], layout: SheetLayout, title: string): string {
  const { width, height } = LAYOUTS[layout].page;
  const esc = title.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );
  return [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
    `<title>${esc}</title>`,
    `<style>@page{size:${width}mm ${height}mm;margin:0}html,body{margin:0;padding:0}`,
    `.page{width:${width}mm;height:${height}mm;break-after:page;page-break-after:always;overflow:hidden}`,
    '.page:last-child{break-after:auto;page-break-after:auto}.page>svg{display:block}</style></head><body>',
    ...pages.map((svg) => `<div class="page">${svg}</div>`),
    '</body></html>',
  ].join('');
}
