import { ReferenceCache } from './reference-cache';

describe('ReferenceCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('loads a key once while it is fresh, and again once its time is up', async () => {
    const cache = new ReferenceCache<number>(60_000, 10, clock);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    now += 59_999;
    expect(await cache.get('a', load)).toBe(1);
    now += 1;
    expect(await cache.get('a', load)).toBe(2);
    expect(loads).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    const cache = new ReferenceCache<string>(60_000, 10, clock);
    let loads = 0;
    const load = () => new Promise<string>((r) => setTimeout(() => r(`v${++loads}`), 5));
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual(['v1', 'v1']);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = new ReferenceCache<string>(60_000, 10, clock);
    await expect(cache.get('k', () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
    expect(await cache.get('k', async () => 'back')).toBe('back');
  });

  it('keeps at most maxEntries, dropping the oldest first', async () => {
    const cache = new ReferenceCache<string>(60_000, 2, clock);
    let loads = 0;
    const load = (v: string) => async () => {
      loads += 1;
      return v;
    };
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('c', load('c'));
    expect(loads).toBe(3);
    await cache.get('c', load('c'));
    await cache.get('b', load('b'));
    expect(loads).toBe(3);
    expect(await cache.get('a', load('a2'))).toBe('a2');
    expect(loads).toBe(4);
  });

  it('forgets everything on clear', async () => {
    const cache = new ReferenceCache<string>(60_000, 10, clock);
    await cache.get('k', async () => 'old');
    cache.clear();
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });
});
