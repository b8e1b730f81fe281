import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo-world';
import { Env } from '../../src/config/env';
import { seedDemoIfEmpty } from '../../src/database/demo-seed';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV, login, ok } from '../support/auth';

jest.setTimeout(180_000);

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core downloads no browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUTPUT = join(process.cwd(), 'test', 'output');

interface RenderedNode {
  id: string;
  lotId: string;
  label: string;
  classes: string[];
  width: number;
}

/** What the page's graph holds (`window.hazledgerChain`, set by chain.js). */
const rendered = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      hazledgerChain: {
        cy: {
          nodes(): {
            map<T>(
              f: (n: { data(k: string): string; classes(): string[]; renderedWidth(): number }) => T,
            ): T[];
          };
          edges(): { map<T>(f: (e: { data(k: string): string; classes(): string[] }) => T): T[] };
        };
      };
    };
    const cy = g.hazledgerChain.cy;
    return {
      nodes: cy.nodes().map<RenderedNode>((n) => ({
        id: n.data('id'),
        lotId: n.data('lotId'),
        label: n.data('label'),
        classes: n.classes(),
        width: n.renderedWidth(),
      })),
      edges: cy.edges().map((e) => ({
        source: e.data('source'),
        target: e.data('target'),
        classes: e.classes(),
        label: e.data('label'),
      })),
    };
  });

/**
 * 溯源图 in a real browser: the demo regulator of Zhengzhou signs in on /chain, opens the demo
 * world's consolidated lot (three village clinics' infectious waste merged at the township health
 * centre, now on its way to the disposal centre) and sees its custody chain drawn: the clinics'
 * lots, the handovers and the consolidation, with a timeline beside it. A screenshot is saved.
 */
describe('custody-chain page (/chain) in headless Chromium', () => {
  let t: TestApp;
  let base: string;
  let context: BrowserContext;
  let profile: string;
  let merged: { lot_id: string; label_code: string; mass_grams: string };
  let sources: { lot_id: string; label_code: string }[];
  const problems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ ...AUTH_ENV, SEED_DEMO: 'true' });
    expect(await seedDemoIfEmpty(t.app, t.app.get(Env), () => undefined)).toBe(true);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    [merged] = (
      await t.db.owner.query(
        `SELECT lot_id, label_code, mass_grams FROM lot WHERE origin_kind = 'CONSOLIDATION' ORDER BY generated_at LIMIT 1`,
      )
    ).rows;
    sources = (
      await t.db.owner.query(
        `SELECT l.lot_id, l.label_code FROM lot_lineage e JOIN lot l ON l.lot_id = e.parent_lot_id WHERE e.child_lot_id = $1`,
        [merged.lot_id],
      )
    ).rows;
    expect(sources.length).toBeGreaterThanOrEqual(2);
    profile = mkdtempSync(join(tmpdir(), 'hazledger-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1400, height: 1000 },
      locale: 'zh-CN',
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('signs in as the demo regulator, opens the consolidated lot and draws its chain with a timeline', async () => {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const res = await page.goto(`${base}/chain/`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/chain`);

    await page.getByLabel('用户名 Username').fill('zhengzhou-regulator');
    await page.getByLabel('密码 Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录 Sign in' }).click();
    await page.locator('#search-section').waitFor({ state: 'visible' });
    await page.getByLabel(/标签编码/).fill(merged.label_code);
    await page.getByRole('button', { name: '显示 Show' }).click();
    await page.locator('#status', { hasText: '已显示' }).waitFor();

    const { nodes, edges } = await rendered(page);
    const lots = new Set(nodes.map((n) => n.lotId));
    expect(lots).toEqual(new Set([merged.lot_id, ...sources.map((s) => s.lot_id)]));
    expect(nodes.every((n) => n.classes.includes('lot'))).toBe(true);
    const ofLot = (id: string) => nodes.filter((n) => n.lotId === id);
    // the consolidated lot is the largest node; it is marked as the asked one
    const mergedWidth = Math.max(...ofLot(merged.lot_id).map((n) => n.width));
    for (const s of sources)
      expect(Math.max(...ofLot(s.lot_id).map((n) => n.width))).toBeLessThan(mergedWidth);
    expect(ofLot(merged.lot_id).every((n) => n.classes.includes('root'))).toBe(true);
    // each clinic's lot is held by the clinic, then handed over (exempt) to the township health centre
    for (const s of sources) {
      expect(ofLot(s.lot_id).length).toBe(2);
      expect(ofLot(s.lot_id)[0].label).toContain('卫生室');
      expect(ofLot(s.lot_id)[1].label).toContain('卫生院');
    }
    expect(edges.filter((e) => e.classes.includes('lineage'))).toHaveLength(sources.length);
    expect(edges.some((e) => e.classes.includes('custody') && e.label.startsWith('豁免交接'))).toBe(true);
    expect(
      edges.some((e) => e.classes.includes('custody') && /^承运接收 HL-\d{4}-\d{4}-\d{6}$/.test(e.label)),
    ).toBe(true);

    // the accessible list and the timeline say the same
    await expect(page.locator('#nodes tr').count()).resolves.toBe(lots.size);
    for (const s of sources)
      await expect(page.locator('#nodes').getByText(s.label_code).count()).resolves.toBe(1);
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(3 * sources.length + 2);
    await expect(page.locator('#summary').textContent()).resolves.toContain(`${lots.size} 个批次`);

    await page.locator('#result-title').scrollIntoViewIfNeeded();
    mkdirSync(OUTPUT, { recursive: true });
    const shot = join(OUTPUT, 'custody-chain.png');
    await page.screenshot({ path: shot, fullPage: false });
    // the README's picture: refreshed on demand only (UPDATE_SCREENSHOT=1), so that runs leave the tree clean
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(shot, join(__dirname, 'custody-chain.png'));

    // keyboard: a lot's row button shows its details
    await page.locator('#nodes button').first().focus();
    await page.keyboard.press('Enter');
    await page.locator('#details strong').waitFor();
    await expect(page.locator('#details').textContent()).resolves.toMatch(/HL-\d{4}-/);

    expect(problems).toEqual([]);
  });

  it('the demo traffic police find the medical-waste vehicle on the road by its plate (README example)', async () => {
    const police = await login(t, 'zhengzhou-traffic-police', DEMO_PASSWORD);
    const d = await ok<{ openManifestsByPlate: { status: string; expectedLots: { labelCode: string }[] }[] }>(
      t,
      `{ openManifestsByPlate(plate: "豫AY1201") { status expectedLots { labelCode } } }`,
      undefined,
      police,
    );
    expect(d.openManifestsByPlate).toEqual([
      { status: 'IN_TRANSIT', expectedLots: [{ labelCode: merged.label_code }] },
    ]);
  });

  it('refuses a wrong password and finds nothing outside the regulator’s jurisdiction', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/chain`);
    await page.getByLabel('用户名 Username').fill('zhengzhou-regulator');
    await page.getByLabel('密码 Password').fill('wrong-password');
    await page.getByRole('button', { name: '登录 Sign in' }).click();
    await page.locator('#status.error', { hasText: '登录失败' }).waitFor();
    await page.getByLabel('密码 Password').fill(DEMO_PASSWORD);
    await page.getByLabel('用户名 Username').fill('zhongyuan-regulator');
    await page.getByRole('button', { name: '登录 Sign in' }).click();
    await page.locator('#search-section').waitFor({ state: 'visible' });
    await page.getByLabel(/标签编码/).fill(merged.label_code);
    await page.getByRole('button', { name: '显示 Show' }).click();
    await page.locator('#status.error', { hasText: '未找到' }).waitFor();
    expect(await page.locator('#result').isHidden()).toBe(true);
  });
});
