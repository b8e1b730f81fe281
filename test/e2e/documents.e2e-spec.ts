import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { Clock } from '../../src/shared/clock';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, errorCode, ok } from '../support/auth';
import { today } from '../support/world';
import type { Manifest } from './manifests-world';
import { oversightWorld, type OversightWorld } from './oversight-world';

jest.setTimeout(120_000);

/** The PDF's text with every space and line break removed (table cells wrap long codes and names). */
async function pdfText(body: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(body) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, '');
  } finally {
    await parser.destroy();
  }
}

const squash = (s: string) => s.replace(/\s+/g, '');

const binary = (
  res: { on: (e: string, f: (c?: Buffer) => void) => void },
  done: (e: Error | null, b: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * 单据 — the printed manifest (PDF) of a seeded transfer, its roadside inspection link (signed,
 * logged, expiring after the manifest closes) and the inspectors' lookup by plate. A collector in
 * 金水区 consolidates three drums of waste oil and ships the drum to a disposer in 中原区, whose
 * receipt weighs 10 % more (a discrepancy); a second drum is on the road when the police stop the
 * vehicle.
 */
describe('documents: printed manifest, roadside inspection link, plate lookup', () => {
  let t: TestApp;
  let w: OversightWorld;
  let drum: { id: string; labelCode: string };
  let sources: { id: string; labelCode: string }[];
  let received: Manifest;
  let onTheRoad: Manifest;
  let police: { token: string };
  let link: { url: string; token: string };

  const pdf = (path: string, token?: string) => {
    const r = t.http().get(path).buffer(true).parse(binary);
    return token ? r.set('authorization', `Bearer ${token}`) : r;
  };

  beforeAll(async () => {
    t = await createTestApp(AUTH_ENV);
    w = await oversightWorld(t);
    sources = await w.generate(w.collector, ['10.000', '20.000', '30.000']);
    await w.store(w.collector, w.lotIds(sources));
    drum = await w.consolidate(w.collector, w.lotIds(sources), '60.000');
    received = await w.ship(w.collector, w.disposer, [{ ...drum, measured: '66.000' }]);
    const [next] = await w.generate(w.collector, ['42.500']);
    await w.store(w.collector, [next.id]);
    let m = await w.draft(w.collector.token, {
      receiverPartyId: w.disposer.id,
      legs: [
        {
          carrierPartyId: w.carrier.id,
          vehicleId: w.crew.vehicleId,
          driverId: w.crew.driverId,
          escortId: w.crew.escortId,
        },
      ],
      lots: [{ lotId: next.id, intendedMode: 'DISPOSE', method: 'D10' }],
      plannedDate: today(),
    });
    const s = await w.submit(w.collector.token, m.id);
    m = await w.takeCustody(w.driver, s.manifest, s.handoverCode.code);
    onTheRoad = m;
    police = await w.regulator({
      kind: 'POLICE',
      level: 'CITY',
      divisionCode: '410100',
      jurisdiction: ['4101'],
    });
  });
  afterAll(() => t.close());

  it('prints the manifest as an A4 PDF with its number, every label code, the Chinese waste names, parties, vehicle, steps and discrepancy', async () => {
    const res = await pdf(`/manifests/${received.id}.pdf`, w.collector.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    // kept for a person to look at (test/output/ is ignored by git)
    mkdirSync(join(process.cwd(), 'test', 'output'), { recursive: true });
    writeFileSync(join(process.cwd(), 'test', 'output', 'manifest.pdf'), body);
    expect(body.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const text = await pdfText(body);
    expect(text).toContain(received.number);
    for (const l of received.lots) {
      expect(text).toContain(l.labelCode);
      expect(text).toContain(squash(String(l.wasteName)));
      expect(l.wasteName).toMatch(/[\u4e00-\u9fff]/);
    }
    const [uscc] = await w.sql<{ uscc: string }>(`SELECT uscc FROM party WHERE party_id = $1`, [
      w.collector.id,
    ]);
    const [vehicle] = await w.sql<{ plate: string }>(`SELECT plate FROM vehicle WHERE vehicle_id = $1`, [
      w.crew.vehicleId,
    ]);
    const [licence] = await w.sql<{ number: string }>(
      `SELECT number FROM licence WHERE holder_party_id = $1`,
      [w.disposer.id],
    );
    const [driver] = await w.sql<{ name: string }>(
      `SELECT name FROM crew_member_personal WHERE person_id = $1`,
      [w.crew.driverId],
    );
    for (const s of [
      '危险废物转移联单',
      uscc.uscc,
      vehicle.plate,
      squash(licence.number),
      squash(driver.name),
      '移出人',
      '接受人',
      '承运人',
      '应急措施',
      squash('泄漏时用吸附棉围堵'),
      '60.000',
      '66.000',
      '⚠差异',
      '移出人确认提交',
      '承运人接收（装车）',
      '接受人确认接收',
    ]) {
      expect(text).toContain(s);
    }
    const d = await ok<{ inspectionLink: { url: string; token: string } }>(
      t,
      `query($id: ID!) { inspectionLink(manifestId: $id) { url token validUntil expired } }`,
      { id: received.id },
      w.collector.token,
    );
    link = d.inspectionLink;
    expect(text).toContain(`/inspect/${link.token}`);
  });

  it('serves the PDF by manifest number, to parties and regulators in jurisdiction only', async () => {
    expect(
      (await pdf(`/manifests/${encodeURIComponent(received.number)}.pdf`, w.disposer.token)).status,
    ).toBe(200);
    expect((await pdf(`/manifests/${received.id}.pdf`, w.henan.token)).status).toBe(200);
    const other = await pdf(`/manifests/${received.id}.pdf`, w.hubei.token);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body.toString()).error.code).toBe('NOT_FOUND');
    expect((await pdf(`/manifests/${received.id}.pdf`)).status).toBe(401);
    expect((await pdf(`/manifests/${received.id}.pdf`, police.token)).status).toBe(403);
    expect((await pdf(`/manifests/${received.id}.txt`, w.collector.token)).status).toBe(404);
  });

  it('the inspection link shows anyone the current state, expected lots and carrier, and logs each opening', async () => {
    const path = new URL(link.url).pathname;
    const html = await t.http().get(path).set('user-agent', 'roadside-phone/1.0');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.text).toContain(received.number);
    expect(html.text).toContain(drum.labelCode);
    expect(html.text).toContain('已接收');
    const json = await t.http().get(`${path}.json`).set('user-agent', 'roadside-phone/1.0');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      number: received.number,
      status: 'RECEIVED',
      expectedLots: [{ labelCode: drum.labelCode, declaredKg: '60.000' }],
      consignor: { name: '金水区汽修回收站' },
      validUntil: null,
    });
    const [driver] = await w.sql<{ name: string }>(
      `SELECT name FROM crew_member_personal WHERE person_id = $1`,
      [w.crew.driverId],
    );
    expect(json.body.legs[0].driver.name).not.toBe(driver.name);
    expect(json.body.legs[0].driver.name.startsWith([...driver.name][0])).toBe(true);
    const openings = await ok<{
      inspectionOpenings: { format: string; outcome: string; userAgent: string; address: string }[];
    }>(
      t,
      `query($id: ID!) { inspectionOpenings(manifestId: $id) { format outcome userAgent address openedAt } }`,
      { id: received.id },
      w.disposer.token,
    );
    expect(openings.inspectionOpenings.map((o) => [o.format, o.outcome, o.userAgent])).toEqual([
      ['JSON', 'SHOWN', 'roadside-phone/1.0'],
      ['HTML', 'SHOWN', 'roadside-phone/1.0'],
    ]);
    expect(openings.inspectionOpenings[0].address).toBeTruthy();
    expect(
      await errorCode(
        t,
        `query($id: ID!) { inspectionOpenings(manifestId: $id) { id } }`,
        { id: received.id },
        w.hubei.token,
      ),
    ).toBe('NOT_FOUND');
  });

  it('cannot be altered: another character, or the signature moved to another manifest, shows nothing and logs nothing', async () => {
    const [id, mac] = link.token.split('.');
    const flipped = `${id}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const moved = `${onTheRoad.id}.${mac}`;
    for (const token of [flipped, moved, `${id}`, 'nonsense']) {
      const res = await t.http().get(`/inspect/${token}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('链接无效');
      expect(res.text).not.toContain(received.number);
      const j = await t.http().get(`/inspect/${token}.json`);
      expect(j.status).toBe(404);
      expect(j.body.error.code).toBe('NOT_FOUND');
    }
    const [{ n }] = await w.sql<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_link_opening`);
    expect(n).toBe(2);
  });

  it('keeps working for the configured days after the manifest closes, then shows nothing', async () => {
    await w.treat(w.disposer, [drum.id]);
    const closed = await w.close(w.disposer.token, received.id);
    expect(closed.status).toBe('CLOSED');
    const path = new URL(link.url).pathname;
    const still = await t.http().get(`${path}.json`);
    expect(still.status).toBe(200);
    expect(still.body.status).toBe('CLOSED');
    expect(Date.parse(still.body.validUntil) - Date.parse(String(closed.closedAt))).toBe(7 * 86_400_000);
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.parse(still.body.validUntil) + 1));
    try {
      const html = await t.http().get(path);
      expect(html.status).toBe(404);
      expect(html.text).toContain('链接已过期');
      for (const hidden of [received.number, drum.labelCode, '金水区汽修回收站'])
        expect(html.text).not.toContain(hidden);
      const json = await t.http().get(`${path}.json`);
      expect(json.status).toBe(404);
      expect(json.body.error).toMatchObject({ code: 'NOT_FOUND', expired: true });
      expect(JSON.stringify(json.body)).not.toContain(drum.labelCode);
      const l = await ok<{ inspectionLink: { expired: boolean } }>(
        t,
        `query($id: ID!) { inspectionLink(manifestId: $id) { expired } }`,
        { id: received.id },
        w.collector.token,
      );
      expect(l.inspectionLink.expired).toBe(true);
    } finally {
      spy.mockRestore();
    }
    const [{ n }] = await w.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM inspection_link_opening WHERE manifest_id = $1 AND outcome = 'EXPIRED'`,
      [received.id],
    );
    expect(n).toBe(2);
  });

  it('inspectors look up the manifests on the road by plate, with the crew named in full', async () => {
    const [vehicle] = await w.sql<{ plate: string }>(`SELECT plate FROM vehicle WHERE vehicle_id = $1`, [
      w.crew.vehicleId,
    ]);
    const typed = ` ${vehicle.plate.slice(0, 2)} ${vehicle.plate.slice(2).toLowerCase()} `;
    const q = `query($p: String!) { openManifestsByPlate(plate: $p) { manifestId number status statusZh declaredMass
      legs { current plate carrierName driverName permitNumbers } expectedLots { labelCode declaredMass status } inspectionUrl } }`;
    const d = await ok<{
      openManifestsByPlate: {
        manifestId: string;
        status: string;
        declaredMass: string;
        legs: { current: boolean; plate: string; driverName: string; permitNumbers: string[] }[];
        expectedLots: { labelCode: string; status: string }[];
        inspectionUrl: string;
      }[];
    }>(t, q, { p: typed }, police.token);
    expect(d.openManifestsByPlate.map((m) => m.manifestId)).toEqual([onTheRoad.id]);
    const m = d.openManifestsByPlate[0];
    expect(m).toMatchObject({ status: 'IN_TRANSIT', declaredMass: '42.500' });
    expect(m.expectedLots).toEqual([
      { labelCode: onTheRoad.lots[0].labelCode, declaredMass: '42.500', status: 'CARRIED' },
    ]);
    const [driver] = await w.sql<{ name: string }>(
      `SELECT name FROM crew_member_personal WHERE person_id = $1`,
      [w.crew.driverId],
    );
    expect(m.legs[0]).toMatchObject({ current: true, plate: vehicle.plate, driverName: driver.name });
    expect(m.legs[0].permitNumbers).toHaveLength(1);
    expect((await t.http().get(new URL(m.inspectionUrl).pathname)).status).toBe(200);
    expect(
      (await ok<{ openManifestsByPlate: unknown[] }>(t, q, { p: '豫Z99999' }, police.token))
        .openManifestsByPlate,
    ).toEqual([]);
    expect(await errorCode(t, q, { p: vehicle.plate }, w.collector.token)).toBe('FORBIDDEN');
    expect(await errorCode(t, q, { p: 'x' }, police.token)).toBe('BAD_USER_INPUT');
  });

  it('lays out labels on A4 sheets and for 100 × 100 mm label printers, scoped like the lots', async () => {
    const codes = [...sources.map((s) => s.labelCode), drum.labelCode];
    const get = (q: string, token = w.collector.token) =>
      t.http().get(`/labels/${q}`).set('authorization', `Bearer ${token}`).buffer(true).parse(binary);
    const a4 = await get(`sheet.svg?lots=${codes.join(',')}&layout=A4`);
    expect(a4.status).toBe(200);
    expect(a4.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(a4.headers['x-sheet-pages']).toBe('1');
    const svg = a4.body.toString();
    expect(svg).toContain('width="210mm" height="297mm"');
    for (const c of codes) expect(svg).toContain(c);
    const six = await get(`sheet.svg?lots=${sources[0].id},${drum.labelCode}&layout=A4-6`);
    expect(six.body.toString()).toContain('width="93.1" height="93.1"');
    const roll = await get(`sheet.svg?lots=${codes.join(',')}&layout=100x100&page=2`);
    expect(roll.headers['x-sheet-pages']).toBe('4');
    expect(roll.body.toString()).toContain(codes[1]);
    expect(roll.body.toString()).not.toContain(codes[0]);
    const [{ batch_code }] = await w.sql<{ batch_code: string }>(
      `SELECT batch_code FROM lot WHERE lot_id = $1`,
      [sources[0].id],
    );
    const batch = await get(`sheet.html?batch=${batch_code}&layout=100x100`);
    expect(batch.status).toBe(200);
    const html = batch.body.toString();
    expect(html).toContain('@page{size:100mm 100mm;margin:0}');
    expect(html.match(/class="page"/g)).toHaveLength(3);
    expect((await get(`sheet.svg?lots=${codes[0]}`, w.hubei.token)).status).toBe(404);
    expect((await get(`sheet.svg?lots=${codes[0]}&layout=A5`)).status).toBe(400);
    expect((await t.http().get(`/labels/sheet.svg?lots=${codes[0]}`)).status).toBe(401);
    expect((await get(`${drum.labelCode}.svg`)).status).toBe(200);
  });

  it('serves the custody-chain page and the graph library from the API, nothing else', async () => {
    const slash = await t.http().get('/chain/');
    expect(slash.status).toBe(302);
    expect(slash.headers.location).toBe('/chain');
    const page = await t.http().get('/chain');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/chain/cytoscape.min.js');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const lib = await t.http().get('/chain/cytoscape.min.js');
    expect(lib.status).toBe(200);
    expect(lib.headers['content-type']).toMatch(/javascript/);
    for (const bad of ['/chain/package.json', '/chain/..%2Fchain-page.controller.ts', '/chain/%2e%2e']) {
      expect((await t.http().get(bad)).status).toBe(404);
    }
  });
});
