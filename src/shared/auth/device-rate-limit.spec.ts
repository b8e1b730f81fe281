import { DeviceRateLimiter } from './device-rate-limit';

describe('device rate limit', () => {
  it('allows the rate, refuses beyond it, and refills over time', () => {
    const l = new DeviceRateLimiter(60);
    for (let i = 0; i < 60; i++) expect(l.take('d1', 0)).toBe(true);
    expect(l.take('d1', 0)).toBe(false);
    expect(l.take('d2', 0)).toBe(true);
    expect(l.take('d1', 1000)).toBe(true);
    expect(l.take('d1', 1000)).toBe(false);
  });
});
