import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { qrPath } from '../lots/labels/label-svg';
import {
  DECISION_ZH,
  discrepancies,
  FORM_ZH,
  HAZARD_ZH,
  kg,
  LICENCE_KIND_ZH,
  type ManifestDocument,
  MODE_ZH,
  ROLE_ZH,
  shanghaiMinute,
  STATUS_ZH,
  TRANSFER_TYPE_ZH,
} from './domain/manifest-document';
import { FONT, PdfWriter } from './pdf-table';

/**
 * The CJK font, from an npm package so that a clean clone renders Chinese with Node.js alone:
 * Noto Sans SC Regular (SIL Open Font License 1.1) of `@expo-google-fonts/noto-sans-sc`. Read once
 * (10 MB); pdfkit embeds only the glyphs a document uses.
 */
let font: Buffer | undefined;
export function cjkFont(): Buffer {
  font ??= readFileSync(
    require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  );
  return font;
}

const zh = (map: Record<string, string>, v: string | null): string => (v === null ? '—' : (map[v] ?? v));

/**
 * 转移联单 as an A4 PDF: header with number, status and the QR code of the roadside inspection
 * link; parties with USCC and licence or permit numbers; transport legs with vehicle, driver and
 * escort; start and end points; the lots with label codes, codes, names, hazards, declared, pickup
 * and measured masses and the receipt; emergency measures; discrepancies and disputes; every signed
 * step with its time and actor. Every page carries the number and a page count.
 */
export function renderManifestPdf(d: ManifestDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 40, bottom: 48, left: 36, right: 36 },
    bufferPages: true,
    info: {
      Title: `危险废物转移联单 ${d.number}`,
      Subject: 'Hazardous waste transfer manifest (电子转移联单)',
      Creator: 'HazLedger',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, cjkFont());
  doc.font(FONT);
  const w = new PdfWriter(doc);

  header(doc, w, d);

  w.heading('一、单位信息', 'Parties');
  w.table(
    [
      { header: '角色', weight: 9 },
      { header: '单位名称', weight: 24 },
      { header: '统一社会信用代码', weight: 19 },
      { header: '许可证/运输许可证', weight: 26 },
      { header: '地址及联系人', weight: 28 },
    ],
    d.parties.map((p) => [
      p.roles.map((r) => ROLE_ZH[r]).join('、'),
      p.name,
      p.uscc ?? '—',
      [
        ...p.licences.map((l) => `${zh(LICENCE_KIND_ZH, l.kind)} ${l.number}（至 ${l.validTo}）`),
        ...p.permits.map((x) => `道路危险货物运输许可 ${x.number}（至 ${x.validTo}）`),
      ].join('\n') || '—',
      [p.address, p.contact].filter(Boolean).join('\n') || '—',
    ]),
  );

  w.heading('二、运输信息', 'Transport: vehicle, driver and escort');
  w.table(
    [
      { header: '程', weight: 4, align: 'center' },
      { header: '承运人', weight: 20 },
      { header: '车牌号', weight: 11 },
      { header: '道路运输证/营运证件号', weight: 20 },
      { header: '运输许可证', weight: 15 },
      { header: '驾驶员（资格证）', weight: 15 },
      { header: '押运员（资格证）', weight: 15 },
    ],
    d.legs.map((l) => [
      String(l.leg),
      l.carrierName + (l.medicalWasteVehicle ? '\n医疗废物专用车' : ''),
      l.plate ?? '—',
      [l.vehicleCertificateNumber, l.operatingPermitNumber].filter(Boolean).join('\n'),
      l.permitNumber ?? '—',
      `${l.driver.name ?? '（已删除）'}\n${l.driver.certificateNumber ?? ''}`,
      `${l.escort.name ?? '（已删除）'}\n${l.escort.certificateNumber ?? ''}`,
    ]),
  );
  w.fields(
    [
      ['起点 Start', `${d.startPoint.address}（${d.startPoint.divisionCode}）`],
      ['终点 End', `${d.endPoint.address}（${d.endPoint.divisionCode}）`],
    ],
    1,
  );

  w.heading('三、废物明细', 'Lots');
  w.table(
    [
      { header: '#', weight: 3, align: 'center' },
      { header: '标签编码', weight: 17 },
      { header: '废物代码 / 名称', weight: 20 },
      { header: '危险特性', weight: 8 },
      { header: '形态 / 包装', weight: 11 },
      { header: '方式', weight: 6 },
      { header: '申报 kg', weight: 9, align: 'right' },
      { header: '起运 kg', weight: 8, align: 'right' },
      { header: '实测 kg', weight: 9, align: 'right' },
      { header: '接收结果', weight: 11 },
    ],
    d.lots.map((l, i) => [
      String(i + 1),
      l.labelCode,
      `${l.wasteCode}\n${l.wasteName}`,
      l.hazards.map((h) => HAZARD_ZH[h] ?? h).join('、'),
      [zh(FORM_ZH, l.form), l.packaging].filter((x) => x && x !== '—').join('\n') || '—',
      `${zh(MODE_ZH, l.intendedMode)}\n${l.method}`,
      kg(l.declaredGrams),
      kg(l.pickupGrams),
      kg(l.measuredGrams),
      l.refusedReason
        ? `装车拒收：${l.refusedReason}`
        : [
            l.decision ? zh(DECISION_ZH, l.decision) : '',
            l.acceptedGrams !== null ? `接收 ${kg(l.acceptedGrams)}` : '',
            l.rejectedGrams ? `拒收 ${kg(l.rejectedGrams)}` : '',
            l.discrepancy ? '⚠ 差异' : '',
            l.late ? '逾期确认' : '',
          ]
            .filter(Boolean)
            .join('\n') || '—',
    ]),
    7.5,
    (i) => d.lots[i].discrepancy,
  );
  w.fields([
    ['合计申报 Declared', `${kg(d.declaredGrams)} kg（${d.lots.length} 件）`],
    [
      '合计接收 Accepted',
      d.acceptedGrams === null ? '—' : `${kg(d.acceptedGrams)} kg；拒收 ${kg(d.rejectedGrams)} kg`,
    ],
  ]);

  w.heading('四、应急措施', 'Emergency measures');
  w.paragraph(d.emergencyMeasures);

  const diffs = discrepancies(d.lots);
  if (diffs.length || d.disputes.length || d.paper) {
    w.heading('五、差异与争议', 'Discrepancies and disputes');
    for (const x of diffs) {
      w.paragraph(
        `⚠ 差异 ${x.labelCode}：实测 ${kg(x.measuredGrams)} kg，对照 ${kg(x.referenceGrams)} kg，差额 ${kg(x.differenceGrams)} kg`,
      );
    }
    for (const x of d.disputes) w.paragraph(`争议 ${x.act} ${shanghaiMinute(x.at)}：${x.reasons.join('；')}`);
    if (d.paper) w.paragraph(`纸质联单补录 ${d.paper.paperNumber}${d.paper.late ? '（逾期补录）' : ''}`);
  }

  w.heading('六、签章记录', 'Signed steps (from the ledger)');
  w.table(
    [
      { header: '环节', weight: 20 },
      { header: '时间（北京时间）', weight: 15 },
      { header: '签署人', weight: 15 },
      { header: '单位', weight: 22 },
      { header: '说明', weight: 28 },
    ],
    d.steps.map((s) => [
      `${s.stepZh}\n${s.stepEn}`,
      `${shanghaiMinute(s.at)}${s.offline ? '\n离线 offline' : ''}`,
      s.actor,
      s.partyName ?? '—',
      s.detail ?? '',
    ]),
  );

  footers(doc, d);
  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, w: PdfWriter, d: ManifestDocument): void {
  const top = doc.page.margins.top;
  const qrSide = 86;
  const qr = qrPath(d.inspectionUrl);
  const qx = w.left + w.width - qrSide;
  doc
    .save()
    .translate(qx, top)
    .scale(qrSide / qr.size)
    .path(qr.d)
    .fill('#000')
    .restore();
  doc
    .fontSize(6.5)
    .fillColor('#000')
    .text('扫码路检 Roadside check', qx - 10, top + qrSide + 2, { width: qrSide + 20, align: 'center' });
  doc.fontSize(18).text('危险废物转移联单', w.left, top, { width: w.width - qrSide - 10 });
  doc.fontSize(9).fillColor('#444').text('Hazardous waste transfer manifest · 危险废物转移管理办法（2021）');
  doc.moveDown(0.4).fillColor('#000');
  w.fields(
    [
      ['联单编号', d.number],
      ['国家系统编号', d.nationalNumber ?? '—'],
      ['状态', `${zh(STATUS_ZH, d.status)} ${d.status}`],
      ['转移类型', zh(TRANSFER_TYPE_ZH, d.transferType)],
      ['计划转移日期', d.plannedDate],
      ['更正', d.correctionCount ? `已更正 ${d.correctionCount} 次` : '无'],
    ],
    2,
  );
  doc.y = Math.max(doc.y, top + qrSide + 14);
}

function footers(doc: PDFKit.PDFDocument, d: ManifestDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(6.5)
      .fillColor('#444')
      .text(
        `${d.number} · 第 ${i + 1} / ${range.count} 页 · 由 HazLedger 根据账本于 ${shanghaiMinute(d.printedAt)} 生成，以账本为准 · 核验 ${d.inspectionUrl}`,
        doc.page.margins.left,
        doc.page.height - 30,
        {
          width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
          align: 'center',
          lineBreak: true,
        },
      );
    doc.page.margins.bottom = bottom;
  }
}
