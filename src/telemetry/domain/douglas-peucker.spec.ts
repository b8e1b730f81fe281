import fc from 'fast-check';
import { simplify } from './douglas-peucker';
import { distanceMeters, type LatLon, projector } from './geo';

const at = (i: number, latE6: number, lonE6: number) => ({ i, latE6, lonE6 });

/** Distance from p to the polyline through `line`, in metres (planar, as the simplifier measures). */
function toPolyline(p: LatLon, line: readonly LatLon[]): number {
  const project = projector(line[0]);
  const q = project(p);
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k + 1 < line.length; k++) {
    const a = project(line[k]);
    const b = project(line[k + 1]);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((q.x - a.x) * dx + (q.y - a.y) * dy) / len2));
    best = Math.min(best, Math.hypot(q.x - (a.x + t * dx), q.y - (a.y + t * dy)));
  }
  return best;
}

describe('Douglas–Peucker track simplification (轨迹抽稀)', () => {
  it('drops points on a straight road and keeps the corners', () => {
    // east along a parallel, then north: an L of 11 + 10 points, ~9 m apart
    const track = [
      ...Array.from({ length: 11 }, (_, k) => at(k, 34_700_000, 113_600_000 + k * 100)),
      ...Array.from({ length: 10 }, (_, k) => at(11 + k, 34_700_000 + (k + 1) * 100, 113_601_000)),
    ];
    expect(simplify(track, 5).map((p) => p.i)).toEqual([0, 10, 20]);
  });

  it('keeps a detour larger than the precision and drops one smaller', () => {
    const detour = (offsetE6: number) => [
      at(0, 34_700_000, 113_600_000),
      at(1, 34_700_000 + offsetE6, 113_600_500),
      at(2, 34_700_000, 113_601_000),
    ];
    expect(simplify(detour(450), 20).map((p) => p.i)).toEqual([0, 1, 2]); // ~50 m off the line
    expect(simplify(detour(90), 20).map((p) => p.i)).toEqual([0, 2]); // ~10 m off the line
  });

  it('returns every point at precision 0, and short tracks as they are', () => {
    const track = [at(0, 1, 1), at(1, 2, 2), at(2, 3, 3)];
    expect(simplify(track, 0)).toEqual(track);
    expect(simplify(track.slice(0, 2), 100)).toEqual(track.slice(0, 2));
    expect(simplify([], 100)).toEqual([]);
  });

  it('property: keeps the ends, keeps order, and every dropped point lies within the precision', () => {
    const point = fc.record({
      latE6: fc.integer({ min: 34_600_000, max: 34_800_000 }),
      lonE6: fc.integer({ min: 113_500_000, max: 113_700_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 1, max: 2000 }),
        (ps, tol) => {
          const track = ps.map((p, i) => ({ ...p, i }));
          const kept = simplify(track, tol);
          expect(kept[0]).toBe(track[0]);
          expect(kept[kept.length - 1]).toBe(track[track.length - 1]);
          expect(kept.map((p) => p.i)).toEqual([...kept.map((p) => p.i)].sort((a, b) => a - b));
          for (const p of track) expect(toPolyline(p, kept)).toBeLessThanOrEqual(tol + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('handles a long day’s track (a point every 10 s) without recursion', () => {
    const track = Array.from({ length: 8640 }, (_, k) =>
      at(k, 34_700_000 + Math.round(Math.sin(k / 50) * 2000), 113_600_000 + k * 10),
    );
    const kept = simplify(track, 30);
    expect(kept.length).toBeGreaterThan(2);
    expect(kept.length).toBeLessThan(track.length / 5);
    expect(distanceMeters(kept[0], track[0])).toBe(0);
  });
});
