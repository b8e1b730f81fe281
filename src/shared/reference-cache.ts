/**
 * An in-process cache for reference data that changes only with a migration (the waste catalogue's
 * editions, the exemption list): entries live `ttlMs` at most, so that a process started before a
 * new edition was migrated in picks it up within that time, and at most `maxEntries` are kept (the
 * oldest goes first). A failed load is not kept. Never use it for facts an act can change
 * (epidemics, licences, parties): those are read from the database every time.
 */
export class ReferenceCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    if (hit) this.entries.delete(key);
    const value = load();
    this.entries.set(key, { at: t, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Forgets everything (for tests). */
  clear(): void {
    this.entries.clear();
  }
}
