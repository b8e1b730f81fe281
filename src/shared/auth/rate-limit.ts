/**
 * A token bucket per key (a device key; a client address for the inspection links), in this
 * process: a scanner stuck in a loop, a stolen key or a script opening links cannot flood the
 * API. Limits are per API process (with N processes behind a load balancer a key gets at most N
 * times the rate), which is what a flood guard needs; durable limits (login, handover codes) live
 * in the database.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** Takes one token for `key` (a device id, a client address) at `nowMs`; false when the bucket is empty. */
  take(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: nowMs };
    // a clock set back (NTP, a test moving time) refills nothing rather than draining the bucket
    const elapsed = Math.max(0, nowMs - b.at);
    b.tokens = Math.min(this.perMinute, b.tokens + (elapsed * this.perMinute) / 60_000);
    b.at = Math.max(b.at, nowMs);
    if (this.buckets.size > 100_000) this.buckets.clear();
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
