import { Clock } from '../../src/shared/clock';
import { createTestApp, type TestApp } from '../support/app';
import { AUTH_ENV } from '../support/auth';

/**
 * 路检链接 — the public inspection links are limited per client address
 * (INSPECTION_RATE_LIMIT_PER_MINUTE): past the limit, 429 RATE_LIMITED (an HTML page, or the JSON
 * error) before any link is read or any opening logged; a minute later the address may open again.
 */
describe('inspection links: a flood from one address is cut off', () => {
  let t: TestApp;
  beforeAll(async () => {
    // behind a trusted proxy (TRUST_PROXY): the client address is X-Forwarded-For's
    t = await createTestApp({ ...AUTH_ENV, INSPECTION_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('answers the first 3 openings a minute, then 429 with Retry-After, then again after a minute', async () => {
    const clock = t.app.get(Clock);
    const real = clock.now.bind(clock);
    let shift = 0;
    clock.now = () => new Date(real().getTime() + shift);
    try {
      const from = (address: string, path = '/inspect/not-a-link') =>
        t.http().get(path).set('x-forwarded-for', address);
      for (let i = 0; i < 3; i++) {
        const res = await from('203.0.113.7');
        expect(res.status).toBe(404);
        expect(res.text).toContain('链接无效');
      }
      const html = await from('203.0.113.7');
      expect(html.status).toBe(429);
      expect(html.headers['retry-after']).toBe('60');
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain('请求过于频繁');
      const json = await from('203.0.113.7', '/inspect/not-a-link.json');
      expect(json.status).toBe(429);
      expect(json.body.error).toMatchObject({ code: 'RATE_LIMITED', limitPerMinute: 3 });
      // another client behind the same proxy has its own allowance
      expect((await from('198.51.100.20')).status).toBe(404);
      const [{ n }] = (
        await t.db.owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM inspection_link_opening`)
      ).rows;
      expect(n).toBe(0);

      shift = 61_000;
      const later = await from('203.0.113.7', '/inspect/not-a-link.json');
      expect(later.status).toBe(404);
      expect(later.body.error.code).toBe('NOT_FOUND');
    } finally {
      clock.now = real;
    }
  });
});
