import { labelSvg } from '../../lots/labels/label-svg';
import {
  inspectionLinkExpiry,
  isExpired,
  signInspectionToken,
  verifyInspectionToken,
} from './inspection-link';
import { labelsPerPage, pageCount, sheetHtml, sheetPages } from './label-sheet';
import { discrepancies, kg, maskPerson, shanghaiMinute, type DocumentLot } from './manifest-document';
import { signatureSteps, type StepEvent } from './signature-steps';

const key = Buffer.alloc(32, 7);
const id = '0199a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b';

describe('inspection links (路检链接)', () => {
  it('verify for the manifest they were signed for', () => {
    const token = signInspectionToken(key, id);
    expect(token.startsWith(`${id}.`)).toBe(true);
    expect(verifyInspectionToken(key, token)).toBe(id);
  });

  it('refuse any altered character, another manifest id, another key and other shapes', () => {
    const token = signInspectionToken(key, id);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.' || token[i] === '-') continue;
      const c = token[i] === 'A' ? 'B' : 'A';
      const altered = token.slice(0, i) + c + token.slice(i + 1);
      expect(verifyInspectionToken(key, altered)).toBeNull();
    }
    const last = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(token.length - 1) ^ 1);
    expect(verifyInspectionToken(key, last)).toBeNull();
    const other = '0199a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c';
    expect(verifyInspectionToken(key, `${other}.${token.split('.')[1]}`)).toBeNull();
    expect(verifyInspectionToken(Buffer.alloc(32, 8), token)).toBeNull();
    for (const bad of ['', id, `${id}.`, `.${token.split('.')[1]}`, `${token}x`, 'x'.repeat(500)]) {
      expect(verifyInspectionToken(key, bad)).toBeNull();
    }
  });

  it('work while the manifest is open and for the configured days after it closes or is cancelled', () => {
    const closedAt = new Date('2026-03-01T00:00:00Z');
    expect(inspectionLinkExpiry({ closedAt: null, cancelledAt: null }, 7)).toBeNull();
    const exp = inspectionLinkExpiry({ closedAt, cancelledAt: null }, 7)!;
    expect(exp.toISOString()).toBe('2026-03-08T00:00:00.000Z');
    expect(inspectionLinkExpiry({ closedAt: null, cancelledAt: closedAt }, 0)).toEqual(closedAt);
    expect(isExpired(exp, new Date('2026-03-07T23:59:59.999Z'))).toBe(false);
    expect(isExpired(exp, exp)).toBe(true);
    expect(isExpired(null, new Date('2100-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('signed steps of a printed manifest (签章环节)', () => {
  const ev = (position: number, type: string, data: Record<string, unknown>): StepEvent => ({
    position,
    type,
    data,
    occurredAt: '2026-03-01T01:00:00.000Z',
    recordedAt: '2026-03-01T01:00:01.000Z',
    offline: false,
    actor: '王师傅',
    partyName: '郑州安运',
  });

  it('name each signed act with its business time and detail, oldest first, and leave out unsigned events', () => {
    const steps = signatureSteps([
      ev(9, 'LotReceiptRecorded', {
        at: '2026-03-02T02:00:00.000Z',
        labelCode: 'HL-2026-AAAA',
        measuredGrams: 66000,
        decision: 'ACCEPTED',
        discrepancy: true,
        differenceGrams: 6000,
      }),
      ev(3, 'HandoverCodeIssued', { at: '2026-03-01T01:00:00.000Z' }),
      ev(4, 'CustodyTaken', { at: '2026-03-01T03:00:00.000Z', place: '装货区', disputed: false }),
      ev(1, 'ManifestDrafted', {}),
    ]);
    expect(steps.map((s) => s.stepZh)).toEqual(['填写联单', '承运人接收（装车）', '接受人称重确认']);
    expect(steps[0].at).toBe('2026-03-01T01:00:00.000Z');
    expect(steps[1]).toMatchObject({
      at: '2026-03-01T03:00:00.000Z',
      detail: '第1程；装货区',
      actor: '王师傅',
    });
    expect(steps[2].detail).toBe('HL-2026-AAAA 66.000 kg ACCEPTED；差异 6.000 kg');
  });
});

describe('document helpers', () => {
  it('format masses, Shanghai minutes, masked crew and discrepancies', () => {
    expect(kg(12345)).toBe('12.345');
    expect(kg(-500)).toBe('-0.500');
    expect(kg(null)).toBe('—');
    expect(shanghaiMinute('2026-03-01T16:30:00.000Z')).toBe('2026-03-02 00:30');
    expect(maskPerson({ name: '张三丰', certificateNumber: '410100123456' })).toEqual({
      name: '张**',
      certificateNumber: '…3456',
    });
    const lot = {
      labelCode: 'L',
      declaredGrams: 1000,
      pickupGrams: null,
      measuredGrams: 1100,
      discrepancy: true,
    };
    expect(discrepancies([lot as DocumentLot])).toEqual([
      { labelCode: 'L', referenceGrams: 1000, measuredGrams: 1100, differenceGrams: 100 },
    ]);
  });
});

describe('label sheets (标签排版)', () => {
  const label = (code: string) =>
    labelSvg({
      labelCode: code,
      qrPayload: code,
      title: '危险废物',
      wasteName: '废矿物油',
      category: 'HW08',
      categoryName: '废矿物油与含矿物油废物',
      wasteCode: '900-214-08',
      formZh: '液态',
      hazardsZh: ['毒性'],
      mainComponents: [],
      producerName: '汽修厂',
      address: null,
      contactName: null,
      contactPhone: null,
      date: '2026-03-01',
      massKg: '10.000',
      medicalClassZh: null,
      warning: null,
    });
  const labels = ['A', 'B', 'C', 'D', 'E'].map((c) => label(`HL-2026-${c}`));

  it('put 4 labels of 100 mm on an A4 page, 6 scaled ones on the 6-up sheet, one per label-printer page', () => {
    expect(labelsPerPage('A4')).toBe(4);
    expect(pageCount(5, 'A4')).toBe(2);
    const a4 = sheetPages(labels, 'A4');
    expect(a4).toHaveLength(2);
    expect(a4[0].startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"')).toBe(
      true,
    );
    expect(a4[0]).toContain('<svg x="5" y="48.5" width="100" height="100" viewBox="0 0 100 100"');
    expect(a4[0]).toContain('<svg x="105" y="148.5" width="100" height="100"');
    expect(a4[1]).toContain('HL-2026-E');
    expect(a4[0]).toContain('id="qr-1"');
    expect(a4[0]).toContain('id="qr-4"');
    const six = sheetPages(labels, 'A4-6');
    expect(six).toHaveLength(1);
    expect(six[0]).toContain('<svg x="7.65" y="8.85" width="93.1" height="93.1"');
    expect(sheetPages(labels, '100x100')).toHaveLength(5);
    const html = sheetHtml(sheetPages(labels, '100x100'), '100x100', '标签 <5>');
    expect(html).toContain('@page{size:100mm 100mm;margin:0}');
    expect(html).toContain('<title>标签 &lt;5&gt;</title>');
    expect(html.match(/class="page"/g)).toHaveLength(5);
  });
});
