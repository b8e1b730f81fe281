import { findStops, type TrackSample } from './stops';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MIN = 60_000;
/** One point a minute; `lat` in micro-degrees (100 ≈ 11 m). */
const sample = (minute: number, latE6: number, loaded = true, manifestIds = ['m1']): TrackSample => ({
  atMs: T0 + minute * MIN,
  latE6,
  lonE6: 113_600_000,
  loaded,
  manifestIds: loaded ? manifestIds : [],
});
const options = { radiusMeters: 100, minDurationMs: 30 * MIN };

describe('stops of a loaded vehicle (停留)', () => {
  const driving = (from: number, to: number, startLat: number) =>
    Array.from({ length: to - from }, (_, k) => sample(from + k, startLat + k * 5000)); // ~550 m a minute

  it('finds a 40-minute stop between two drives, with its centre and duration', () => {
    const stop = Array.from({ length: 41 }, (_, k) => sample(20 + k, 35_000_000 + (k % 3) * 100)); // ±11 m drift
    const track = [...driving(0, 20, 34_800_000), ...stop, ...driving(61, 80, 35_010_000)];
    const stops = findStops(track, options);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({
      startMs: T0 + 20 * MIN,
      endMs: T0 + 60 * MIN,
      durationMs: 40 * MIN,
      pointCount: 41,
      ongoing: false,
      manifestIds: ['m1'],
    });
    expect(Math.abs(stops[0].place.latE6 - 35_000_100)).toBeLessThanOrEqual(10);
  });

  it('ignores stops shorter than the threshold', () => {
    const track = [
      ...driving(0, 5, 34_800_000),
      ...Array.from({ length: 20 }, (_, k) => sample(5 + k, 35_000_000)),
    ];
    expect(findStops(track, options)).toEqual([]);
  });

  it('a stop at the end of the track is ongoing', () => {
    const track = [
      ...driving(0, 5, 34_800_000),
      ...Array.from({ length: 35 }, (_, k) => sample(5 + k, 35_000_000)),
    ];
    expect(findStops(track, options)).toMatchObject([{ ongoing: true, durationMs: 34 * MIN }]);
  });

  it('a unit switched off while standing still: the gap counts as stopped time', () => {
    const track = [sample(0, 35_000_000), sample(1, 35_000_050), sample(45, 35_000_020)];
    expect(findStops(track, options)).toMatchObject([{ durationMs: 45 * MIN, pointCount: 3 }]);
  });

  it('an unloaded vehicle is not watched: an unloaded point ends a stop', () => {
    const track = [
      ...Array.from({ length: 20 }, (_, k) => sample(k, 35_000_000)),
      sample(20, 35_000_000, false),
      ...Array.from({ length: 20 }, (_, k) => sample(21 + k, 35_000_000)),
    ];
    expect(findStops(track, options)).toEqual([]);
    expect(
      findStops(
        track.map((p) => ({ ...p, loaded: false, manifestIds: [] })),
        options,
      ),
    ).toEqual([]);
  });

  it('slow creeping beyond the radius is not one stop', () => {
    const track = Array.from({ length: 60 }, (_, k) => sample(k, 35_000_000 + k * 100)); // 11 m a minute
    expect(findStops(track, options).every((s) => s.durationMs < 40 * MIN)).toBe(true);
  });

  it('collects the manifests carried during the stop (a collection round carries several)', () => {
    const track = Array.from({ length: 31 }, (_, k) =>
      sample(k, 35_000_000, true, k < 10 ? ['m1'] : ['m1', 'm2']),
    );
    expect(findStops(track, options)[0].manifestIds).toEqual(['m1', 'm2']);
  });
});
