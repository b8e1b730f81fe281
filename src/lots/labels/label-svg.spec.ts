import { labelSvg, qrPath, type LabelData } from './label-svg';

const label: LabelData = {
  labelCode: 'HL-2025-7K3Q-9M2X-H4CB',
  qrPayload: 'HL-2025-7K3Q-9M2X-H4CB',
  title: '危险废物',
  wasteName: '废矿物油 <试验> & 杂质',
  category: 'HW08',
  categoryName: '废矿物油与含矿物油废物',
  wasteCode: '900-214-08',
  formZh: '液态',
  hazardsZh: ['毒性', '易燃性'],
  mainComponents: ['机油'],
  producerName: '汽修厂',
  address: null,
  contactName: '王师傅',
  contactPhone: '0371-6200000',
  date: '2025-03-03',
  massKg: '180.000',
  medicalClassZh: null,
  warning: null,
};

describe('label SVG (HJ 1276-2022)', () => {
  it('draws a QR code of the payload as unit squares', () => {
    const qr = qrPath(label.qrPayload);
    expect(qr.size).toBeGreaterThanOrEqual(21);
    expect(qr.d).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    // the three finder patterns: a run of 7 dark modules at the top left and top right
    expect(qr.d.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(qr.d).toContain(`M${qr.size - 7} 0h7v1h-7z`);
  });

  it('prints the fields, the label code and the QR, with text escaped', () => {
    const svg = labelSvg(label);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="100mm"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    for (const s of [
      '危险废物',
      '900-214-08',
      '毒性、易燃性',
      '180.000 kg',
      '王师傅 0371-6200000',
      label.labelCode,
    ]) {
      expect(svg).toContain(s);
    }
    expect(svg).toContain('废矿物油 &lt;试验&gt; &amp; 杂质');
    expect(svg).not.toContain('<试验>');
    expect(svg).toContain(`<g id="qr" data-payload="${label.labelCode}"`);
    expect(svg).toContain('#FF9600');
  });

  it('is the HJ 421 warning for medical waste', () => {
    const svg = labelSvg({
      ...label,
      title: '医疗废物',
      medicalClassZh: '感染性废物',
      warning: '医疗废物专用 (HJ 421-2008)',
    });
    expect(svg).toContain('警告！医疗废物');
    expect(svg).toContain('医疗废物类别');
    expect(svg).toContain('#FFD700');
  });
});
