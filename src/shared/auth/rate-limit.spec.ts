import { RateLimiter } from './rate-limit';

describe('rate limit (token bucket per key)', () => {
  it('allows the rate, refuses beyond it, and refills over time', () => {
    const l = new RateLimiter(60);
    for (let i = 0; i < 60; i++) expect(l.take('d1', 0)).toBe(true);
    expect(l.take('d1', 0)).toBe(false);
    expect(l.take('d2', 0)).toBe(true);
    expect(l.take('d1', 1000)).toBe(true);
    expect(l.take('d1', 1000)).toBe(false);
  });

  it('a clock set back neither drains nor refills the bucket', () => {
    const l = new RateLimiter(2);
    expect(l.take('d1', 1_000_000)).toBe(true);
    expect(l.take('d1', 0)).toBe(true); // an hour and more back: the one token left is still there
    expect(l.take('d1', 0)).toBe(false);
    expect(l.take('d1', 1_000_000)).toBe(false); // back to the present: no refill for the jump back
    expect(l.take('d1', 1_030_000)).toBe(true); // 30 s later: one token
  });
});
