import { create } from 'qrcode';

/** What a printed label shows (HJ 1276-2022 fields; HJ 421-2008 warning for medical waste). */
export interface LabelData {
  readonly labelCode: string;
  readonly qrPayload: string;
  readonly title: string;
  readonly wasteName: string;
  readonly category: string;
  readonly categoryName: string;
  readonly wasteCode: string;
  readonly formZh: string;
  readonly hazardsZh: readonly string[];
  readonly mainComponents: readonly string[];
  readonly producerName: string;
  readonly address: string | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly date: string;
  /** Decimal kilograms, e.g. "12.345". */
  readonly massKg: string;
  readonly medicalClassZh: string | null;
  readonly warning: string | null;
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The QR code of `payload` as one SVG path of unit squares (runs of dark modules per row). */
export function qrPath(payload: string): { size: number; d: string } {
  const { modules } = create(payload, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size;) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < modules.size && modules.get(y, x + run)) run++;
      parts.push(`M${x} ${y}h${run}v1h-${run}z`);
      x += run;
    }
  }
  return { size: modules.size, d: parts.join('') };
}

const FONT = `font-family="'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',SimHei,sans-serif"`;

/**
 * 标签 — the printable label as SVG (normative output; 100 mm × 100 mm): the HJ 1276-2022 fields
 * on an orange ground for hazardous waste, or the HJ 421-2008 warning (yellow, "警告！医疗废物")
 * for medical waste, and a QR code carrying the label code, with the code printed beneath it.
 * Text is left as text: a printer or viewer with a CJK font renders it.
 */
export function labelSvg(l: LabelData): string {
  const medical = l.medicalClassZh !== null;
  const ground = medical ? '#FFD700' : '#FF9600';
  const qr = qrPath(l.qrPayload);
  const qrSide = 30;
  const medicalRow: [string, string][] =
    l.medicalClassZh === null ? [] : [['医疗废物类别', l.medicalClassZh]];
  const rows: [string, string][] = [
    ['废物名称', l.wasteName],
    ['废物类别', `${l.category} ${l.categoryName}`],
    ['废物代码', l.wasteCode],
    ['废物形态', l.formZh],
    ['危险特性', l.hazardsZh.join('、')],
    ['主要成分', l.mainComponents.join('、') || '—'],
    ...medicalRow,
    ['产生/收集单位', l.producerName],
    ['联系人及电话', [l.contactName, l.contactPhone].filter(Boolean).join(' ') || '—'],
    ['产生日期', l.date],
    ['废物重量', `${l.massKg} kg`],
  ];
  const text = rows
    .map(
      ([k, v], i) =>
        `<text x="4" y="${24 + i * 5.6}" font-size="3.2"><tspan font-weight="bold">${escape(k)}：</tspan>${escape(v)}</text>`,
    )
    .join('');
  const warning = medical
    ? `<path d="M84 4 L95 18 L73 18 Z" fill="#000"/><text x="84" y="16.5" font-size="8" fill="${ground}" text-anchor="middle" font-weight="bold">!</text>`
    : '';
  const scale = qrSide / qr.size;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm" viewBox="0 0 100 100" ${FONT}>`,
    `<title>${escape(`${l.title} ${l.labelCode}`)}</title>`,
    `<rect x="0.5" y="0.5" width="99" height="99" fill="${ground}" stroke="#000" stroke-width="1"/>`,
    `<text x="${medical ? 40 : 50}" y="13" font-size="8" font-weight="bold" text-anchor="middle">${escape(medical ? `警告！${l.title}` : l.title)}</text>`,
    warning,
    l.warning ? `<text x="50" y="19" font-size="2.6" text-anchor="middle">${escape(l.warning)}</text>` : '',
    text,
    `<rect x="64" y="20" width="${qrSide + 4}" height="${qrSide + 4}" fill="#fff"/>`,
    `<g id="qr" data-payload="${escape(l.qrPayload)}" transform="translate(66 22) scale(${scale})">`,
    `<path fill="#000" d="${qr.d}" shape-rendering="crispEdges"/></g>`,
    `<text x="81" y="58" font-size="2.8" text-anchor="middle" font-family="monospace">${escape(l.labelCode)}</text>`,
    `<text x="4" y="97" font-size="2.6">数字识别码 ${escape(l.labelCode)}</text>`,
    `</svg>`,
  ].join('');
}
