import { type LatLon, projector } from './geo';

/**
 * 轨迹抽稀 — Douglas–Peucker simplification of a track for display at a given precision: keeps the
 * first and last points and every point that lies more than `toleranceMeters` from the line
 * through the points kept around it. Iterative (a long day's track never overflows the stack),
 * in a local planar projection. A tolerance of 0 or less returns every point. Pure.
 */
export function simplify<T extends LatLon>(points: readonly T[], toleranceMeters: number): T[] {
  if (points.length <= 2 || toleranceMeters <= 0) return [...points];
  const project = projector(points[0]);
  const xy = points.map(project);
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let farthest = -1;
    let max = toleranceMeters * toleranceMeters;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(xy[i], xy[first], xy[last]);
      if (d > max) {
        max = d;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

type Xy = { x: number; y: number };

/** Squared distance from `p` to the segment a–b (to the point itself when a and b coincide). */
function segmentDistance2(p: Xy, a: Xy, b: Xy): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  const ex = p.x - (a.x + t * dx);
  const ey = p.y - (a.y + t * dy);
  return ex * ex + ey * ey;
}
