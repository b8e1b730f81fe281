/**
 * 坐标 — coordinates as integer micro-degrees (百万分之一度: 1e-6°, about 0.11 m of latitude), parsed
 * from decimal strings (or JSON numbers from devices) without binary rounding surprises, and the
 * few distances the rules need. Pure: no clock, no I/O. Coordinates are WGS-84 as GPS units
 * report them (GCJ-02 map offsets are a display concern).
 */

export interface LatLon {
  /** Latitude in micro-degrees, −90 000 000 … 90 000 000. */
  readonly latE6: number;
  /** Longitude in micro-degrees, −180 000 000 … 180 000 000. */
  readonly lonE6: number;
}

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

const DECIMAL_DEGREES = /^(-?)(\d{1,3})(?:\.(\d{1,15}))?$/;

/**
 * Decimal degrees (`"34.7466"`, or a finite number) to micro-degrees, rounded half away from zero
 * at the 7th decimal; null when malformed or beyond ±`limit` degrees.
 */
export function parseDegrees(value: unknown, limit: 90 | 180): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = value.toFixed(7);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const m = DECIMAL_DEGREES.exec(text);
  if (!m) return null;
  const e7 = Number(m[2]) * 10_000_000 + Number((m[3] ?? '').slice(0, 7).padEnd(7, '0'));
  const e6 = Math.floor((e7 + 5) / 10);
  if (e6 > limit * 1_000_000) return null;
  return m[1] === '-' && e6 !== 0 ? -e6 : e6;
}

/** Micro-degrees as a decimal string with six places (`34746600` → `"34.746600"`). */
export function formatDegrees(e6: number): string {
  const sign = e6 < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(e6));
  return `${sign}${Math.trunc(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

const RAD = Math.PI / 180 / 1_000_000;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const φ1 = a.latE6 * RAD;
  const φ2 = b.latE6 * RAD;
  const dφ = (b.latE6 - a.latE6) * RAD;
  const dλ = (b.lonE6 - a.lonE6) * RAD;
  const h = Math.sin(dφ / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin(dλ / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The mean position of points (fine over the few hundred metres of a stop), in micro-degrees. */
export function centroid(points: readonly LatLon[]): LatLon {
  if (points.length === 0) throw new Error('centroid of no points');
  let lat = 0;
  let lon = 0;
  for (const p of points) {
    lat += p.latE6;
    lon += p.lonE6;
  }
  return { latE6: Math.round(lat / points.length), lonE6: Math.round(lon / points.length) };
}

/**
 * A planar projection around `origin` (equirectangular, metres east and north): accurate to well
 * under a metre over a city, which is what track simplification needs.
 */
export function projector(origin: LatLon): (p: LatLon) => { x: number; y: number } {
  const k = Math.cos(origin.latE6 * RAD) * EARTH_RADIUS_M * RAD;
  const ky = EARTH_RADIUS_M * RAD;
  return (p) => ({ x: (p.lonE6 - origin.lonE6) * k, y: (p.latE6 - origin.latE6) * ky });
}

/** 电子围栏 — a circle around a site. */
export interface Geofence {
  readonly siteId: string;
  readonly center: LatLon;
  readonly radiusMeters: number;
}

/** The geofences that contain `p`, and the nearest fence with its distance from the centre. */
export function locate(
  p: LatLon,
  fences: readonly Geofence[],
): { inside: Geofence[]; nearest: { siteId: string; distanceMeters: number } | null } {
  const inside: Geofence[] = [];
  let nearest: { siteId: string; distanceMeters: number } | null = null;
  for (const f of fences) {
    const d = distanceMeters(p, f.center);
    if (d <= f.radiusMeters) inside.push(f);
    if (!nearest || d < nearest.distanceMeters) nearest = { siteId: f.siteId, distanceMeters: Math.round(d) };
  }
  return { inside, nearest };
}
