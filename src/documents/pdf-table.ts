/**
 * A small table and text helper over pdfkit for the printed manifest: rows whose height follows
 * their tallest cell, a page break before a row that would not fit (with the header row repeated),
 * thin borders, and the CJK font throughout.
 */
export interface Column {
  readonly header: string;
  /** Share of the table's width. */
  readonly weight: number;
  readonly align?: 'left' | 'right' | 'center';
}

export const FONT = 'cjk';
const PAD = 2.5;

export class PdfWriter {
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when less than `height` is left. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = this.doc.page.margins.top;
    }
  }

  /** A section heading: Chinese first, English after. */
  heading(zh: string, en: string): void {
    this.ensure(40);
    this.doc.moveDown(0.6);
    const y = this.doc.y;
    this.doc.font(FONT).fontSize(11).fillColor('#000');
    const zhWidth = this.doc.widthOfString(zh);
    this.doc.text(zh, this.left, y, { lineBreak: false });
    // the English name on the same baseline, smaller
    this.doc
      .fontSize(8)
      .fillColor('#444')
      .text(en, this.left + zhWidth + 6, y + 3.5, { lineBreak: false });
    this.doc.y = y + 17;
    this.doc
      .moveTo(this.left, this.doc.y + 1)
      .lineTo(this.left + this.width, this.doc.y + 1)
      .lineWidth(0.8)
      .strokeColor('#000')
      .stroke();
    this.doc.y += 4;
    this.doc.fillColor('#000');
  }

  /** Label–value pairs, `perRow` to a line. */
  fields(pairs: readonly [string, string][], perRow = 2): void {
    const colWidth = this.width / perRow;
    for (let i = 0; i < pairs.length; i += perRow) {
      const row = pairs.slice(i, i + perRow);
      this.doc.font(FONT).fontSize(8.5);
      const heights = row.map(([k, v]) => this.doc.heightOfString(`${k}：${v}`, { width: colWidth - 6 }));
      const h = Math.max(...heights) + 3;
      this.ensure(h);
      const y = this.doc.y;
      row.forEach(([k, v], j) => {
        this.doc
          .fillColor('#444')
          .text(`${k}：`, this.left + j * colWidth, y, { width: colWidth - 6, continued: true })
          .fillColor('#000')
          .text(v || '—');
      });
      this.doc.y = y + h;
    }
  }

  /** A paragraph of plain text. */
  paragraph(text: string, size = 8.5): void {
    this.doc.font(FONT).fontSize(size);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + 4);
    this.doc.fillColor('#000').text(text, this.left, this.doc.y, { width: this.width });
    this.doc.y += 2;
  }

  /** A bordered table; `highlight` shades the rows it returns true for (discrepancies). */
  table(
    columns: readonly Column[],
    rows: readonly string[][],
    size = 7.5,
    highlight?: (i: number) => boolean,
  ): void {
    const total = columns.reduce((a, c) => a + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    const drawRow = (cells: readonly string[], header: boolean, shade: boolean) => {
      this.doc.font(FONT).fontSize(size);
      const h =
        Math.max(...cells.map((c, i) => this.doc.heightOfString(c || '—', { width: widths[i] - 2 * PAD }))) +
        2 * PAD;
      if (!header)
        this.ensureRow(h, () =>
          drawRow(
            columns.map((c) => c.header),
            true,
            false,
          ),
        );
      const y = this.doc.y;
      let x = this.left;
      if (header || shade) {
        this.doc
          .rect(this.left, y, this.width, h)
          .fillColor(header ? '#e6e6e6' : '#ffe0e0')
          .fill();
      }
      cells.forEach((c, i) => {
        this.doc.fillColor('#000').text(c || '—', x + PAD, y + PAD, {
          width: widths[i] - 2 * PAD,
          align: columns[i].align ?? 'left',
        });
        this.doc.rect(x, y, widths[i], h).lineWidth(0.4).strokeColor('#666').stroke();
        x += widths[i];
      });
      this.doc.x = this.left;
      this.doc.y = y + h;
    };
    this.ensure(30);
    drawRow(
      columns.map((c) => c.header),
      true,
      false,
    );
    rows.forEach((r, i) => drawRow(r, false, highlight?.(i) ?? false));
    this.doc.y += 3;
  }

  private ensureRow(height: number, header: () => void): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = this.doc.page.margins.top;
      header();
    }
  }
}
