import { shanghaiMinute } from './domain/manifest-document';
import type { RoadsideView } from './domain/roadside-view';

/**
 * The roadside inspection page (路检页面): plain server-rendered HTML, no script, large type and
 * high contrast for a phone in sunlight. Every value is escaped.
 */
const esc = (s: string | number | null | undefined): string =>
  String(s ?? '—').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `
body{font-family:'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:0;color:#111;background:#fff;line-height:1.5}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.2rem 0 .4rem;border-bottom:2px solid #111}
.status{display:inline-block;padding:.2rem .7rem;border-radius:.3rem;font-weight:bold;font-size:1.2rem;border:2px solid #111}
.open{background:#d7f5d7}.closed{background:#e8e8e8}.cancelled{background:#ffd9d9}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0}dt{font-weight:bold}dd{margin:0}
.code{font-family:monospace;font-size:1.05rem}.note{color:#333;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const statusClass = (s: string) => (s === 'CLOSED' ? 'closed' : s === 'CANCELLED' ? 'cancelled' : 'open');

export function inspectionPage(v: RoadsideView, jsonUrl: string): string {
  const leg = v.legs.find((l) => l.current) ?? v.legs[0];
  const lots = v.expectedLots
    .map(
      (l, i) =>
        `<tr><td>${i + 1}</td><td class="code">${esc(l.labelCode)}</td><td>${esc(l.wasteCode)}<br>${esc(l.wasteName)}</td><td>${esc(l.hazardsZh.join('、'))}</td><td>${esc(l.packaging)}</td><td class="num">${esc(l.declaredKg)}</td></tr>`,
    )
    .join('');
  const legs = v.legs
    .map(
      (l) =>
        `<tr><td>${l.leg}${l.current ? ' ◀' : ''}</td><td>${esc(l.carrierName)}<br><span class="note">${esc(l.carrierUscc)}</span></td><td class="code">${esc(l.plate)}</td><td>${esc(l.permitNumbers.join('、'))}<br>${esc(l.vehicleCertificateNumber)}</td><td>${esc(l.driver.name)} ${esc(l.driver.certificateNumber)}<br>${esc(l.escort.name)} ${esc(l.escort.certificateNumber)}</td></tr>`,
    )
    .join('');
  return page(
    `路检 ${v.number}`,
    `<p class="note">危险废物转移联单 · 路检核验 Roadside check</p>
<h1>联单 <span class="code">${esc(v.number)}</span></h1>
<p><span class="status ${statusClass(v.status)}" role="status">${esc(v.statusZh)} · ${esc(v.status)}</span></p>
<dl>
<dt>转移类型</dt><dd>${esc(v.transferTypeZh)}</dd>
<dt>计划日期</dt><dd>${esc(v.plannedDate)}</dd>
<dt>移出人</dt><dd>${esc(v.consignor.name)}（${esc(v.consignor.uscc)}）</dd>
<dt>接受人</dt><dd>${esc(v.receiver.name)}（${esc(v.receiver.uscc)}）</dd>
<dt>当前承运人</dt><dd>${esc(leg?.carrierName)} · 车牌 <span class="code">${esc(leg?.plate)}</span>${leg?.medicalWasteVehicle ? ' · 医疗废物专用车' : ''}</dd>
<dt>起点</dt><dd>${esc(v.startAddress)}</dd>
<dt>终点</dt><dd>${esc(v.endAddress)}</dd>
<dt>国家系统编号</dt><dd>${esc(v.nationalNumber)}</dd>
</dl>
<h2>应装载废物 Expected lots（${v.expectedLots.length} 件，${esc(v.declaredKg)} kg）</h2>
<table><caption class="note">核对车上容器标签编码与下表一致 · Compare the containers' label codes</caption>
<thead><tr><th scope="col">#</th><th scope="col">标签编码</th><th scope="col">废物代码/名称</th><th scope="col">危险特性</th><th scope="col">包装</th><th scope="col">申报 kg</th></tr></thead>
<tbody>${lots}</tbody></table>
${v.refusedLotCount ? `<p class="note">另有 ${v.refusedLotCount} 件在装车时被拒装，未随车。</p>` : ''}
<h2>运输 Transport</h2>
<table><thead><tr><th scope="col">程</th><th scope="col">承运人</th><th scope="col">车牌</th><th scope="col">运输许可/道路运输证</th><th scope="col">驾驶员/押运员</th></tr></thead><tbody>${legs}</tbody></table>
<h2>应急措施 Emergency measures</h2><p>${esc(v.emergencyMeasures)}</p>
<p class="note">核验时间 ${esc(shanghaiMinute(v.checkedAt))}（北京时间）${v.validUntil ? ` · 链接有效至 ${esc(shanghaiMinute(v.validUntil))}` : ' · 联单办结后链接仍有效若干天'} · 本次查看已记录 · <a href="${esc(jsonUrl)}">JSON</a></p>`,
  );
}

/** Nothing of the manifest: only that the link has expired, and when. */
export function expiredPage(expiredAt: string): string {
  return page(
    '路检链接已过期',
    `<h1>链接已过期</h1><p>This inspection link has expired (${esc(shanghaiMinute(expiredAt))}).</p><p class="note">联单已办结或撤销，链接不再显示内容。请联系承运人或生态环境主管部门。</p>`,
  );
}

export function invalidPage(): string {
  return page(
    '路检链接无效',
    `<h1>链接无效</h1><p>This inspection link is not valid: it was altered or never issued.</p><p class="note">请扫描联单上的二维码，或使用执法账号按车牌查询。</p>`,
  );
}

export function tooManyPage(limitPerMinute: number): string {
  return page(
    '请求过于频繁',
    `<h1>请求过于频繁</h1><p>Too many openings from this address (at most ${limitPerMinute} a minute). Wait a minute and reload.</p>`,
  );
}

/** Scripts none, styles only inline, no framing, no referrer (the link is the credential). */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
