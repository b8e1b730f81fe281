import { parseKg } from '../../shared/domain/mass';
import { distanceMeters, type LatLon, parseDegrees } from './geo';

/**
 * 物联网读数 — what devices send: GPS points (车载卫星定位) and weighbridge readings (地磅). Bad
 * readings are skipped one by one with a reason, never by refusing the batch; the answer counts
 * them per reason. This file checks what a reading says on its own and against its neighbours;
 * the service checks devices, vehicles and sites against the read models. Pure: instants are
 * epoch milliseconds, "now" comes in the limits.
 */

/** Why a reading was not stored (a closed list: the GraphQL enum and the MQTT acknowledgement use it). */
export const SKIP_REASONS = [
  /** Not a reading: a missing or mistyped field, an unparseable time. */
  'MALFORMED',
  /** The batch holds more readings than TELEMETRY_BATCH_LIMIT. */
  'BATCH_TOO_LARGE',
  /** No such device, or not one the sender may speak for. */
  'UNKNOWN_DEVICE',
  /** The device's key was revoked. */
  'REVOKED_DEVICE',
  /** The device's key does not list `submitReadings`. */
  'DEVICE_NOT_ALLOWED',
  /** A weighing from a device that is not a weighbridge, or a point from one that is. */
  'WRONG_DEVICE_KIND',
  'UNKNOWN_VEHICLE',
  /** A weighing at a site that is not the weighbridge owner's. */
  'UNKNOWN_SITE',
  /** Latitude or longitude malformed or out of range, or the 0,0 of a unit without a fix. */
  'INVALID_COORDINATES',
  /** A reported speed, or the speed implied by the jump from the previous point, beyond the limit. */
  'IMPOSSIBLE_SPEED',
  /** Masses malformed, negative, or net ≠ gross − tare. */
  'INVALID_MASS',
  /** More than the allowed clock skew ahead of the server. */
  'FUTURE_TIMESTAMP',
  /** Older than TELEMETRY_MAX_AGE_DAYS. */
  'TOO_OLD',
  /** The same device and instant was stored before, or twice in the batch. */
  'DUPLICATE',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface ReadingLimits {
  readonly nowMs: number;
  /** How far ahead of the server a device clock may be. */
  readonly maxSkewMs: number;
  /** The oldest reading accepted (late batches from a unit that was offline). */
  readonly maxAgeMs: number;
  /** Highest credible speed, in tenths of km/h. */
  readonly maxSpeedTenths: number;
}

/** A GPS point as sent (GraphQL input or MQTT JSON): fields not yet trusted. */
export interface RawPoint {
  readonly deviceId?: unknown;
  readonly vehicleId?: unknown;
  readonly at?: unknown;
  readonly latitude?: unknown;
  readonly longitude?: unknown;
  readonly speedKmh?: unknown;
}

export interface GpsPoint extends LatLon {
  readonly deviceId: string | null;
  readonly vehicleId: string | null;
  readonly atMs: number;
  /** Tenths of km/h; null when the unit did not say. */
  readonly speedTenths: number | null;
}

/** A weighbridge reading as sent; masses are kilogram decimal strings like the `Mass` scalar. */
export interface RawWeighing {
  readonly deviceId?: unknown;
  readonly siteId?: unknown;
  readonly vehicleId?: unknown;
  readonly plate?: unknown;
  readonly at?: unknown;
  readonly gross?: unknown;
  readonly tare?: unknown;
  readonly net?: unknown;
}

export interface WeighingReading {
  readonly deviceId: string | null;
  readonly siteId: string;
  readonly vehicleId: string | null;
  readonly plate: string | null;
  readonly atMs: number;
  readonly grossGrams: number;
  readonly tareGrams: number;
  readonly netGrams: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: SkipReason; message: string };

const skip = <T>(reason: SkipReason, message: string): Checked<T> => ({ ok: false, reason, message });
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** 2000-01-01T00:00:00Z: earlier epoch values are a unit without a clock, not history. */
const EARLIEST_MS = 946_684_800_000;

/** An instant from an ISO 8601 string with its zone, a Date, or epoch milliseconds; null otherwise. */
export function parseInstant(value: unknown): number | null {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number' && Number.isSafeInteger(value)) ms = value;
  else if (typeof value === 'string' && ISO_WITH_ZONE.test(value.trim())) ms = Date.parse(value.trim());
  else return null;
  return Number.isFinite(ms) && ms >= EARLIEST_MS ? ms : null;
}

const optionalId = (v: unknown): string | null | undefined =>
  v === undefined || v === null
    ? null
    : typeof v === 'string' && v.length > 0 && v.length <= 100
      ? v
      : undefined;

/** The time checks every reading gets: not ahead of the server beyond the skew, not too old. */
export function checkInstant(atMs: number, limits: ReadingLimits): Checked<number> {
  if (atMs > limits.nowMs + limits.maxSkewMs)
    return skip('FUTURE_TIMESTAMP', `${new Date(atMs).toISOString()} lies in the future`);
  if (atMs < limits.nowMs - limits.maxAgeMs)
    return skip('TOO_OLD', `${new Date(atMs).toISOString()} is too old`);
  return { ok: true, value: atMs };
}

const SPEED = /^(\d{1,4})(?:\.(\d{1,6}))?$/;

/** Tenths of km/h from a decimal string or number; `'negative'` or null (malformed). */
function parseSpeedTenths(value: unknown): number | 'negative' | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? value.toFixed(3) : value;
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t.startsWith('-')) return 'negative';
  const m = SPEED.exec(t);
  if (!m) return null;
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').slice(0, 2).padEnd(2, '0'));
  return Math.floor((hundredths + 5) / 10);
}

/** One GPS point on its own: shape, time, coordinates, reported speed. */
export function checkPoint(raw: RawPoint, limits: ReadingLimits): Checked<GpsPoint> {
  if (typeof raw !== 'object' || raw === null) return skip('MALFORMED', 'a point is an object');
  const deviceId = optionalId(raw.deviceId);
  const vehicleId = optionalId(raw.vehicleId);
  if (deviceId === undefined || vehicleId === undefined)
    return skip('MALFORMED', 'deviceId and vehicleId are ids');
  const atMs = parseInstant(raw.at);
  if (atMs === null) return skip('MALFORMED', 'at: an ISO 8601 instant with its zone, or epoch milliseconds');
  const time = checkInstant(atMs, limits);
  if (!time.ok) return time;
  const latE6 = parseDegrees(raw.latitude, 90);
  const lonE6 = parseDegrees(raw.longitude, 180);
  if (latE6 === null || lonE6 === null)
    return skip('INVALID_COORDINATES', 'latitude and longitude: decimal degrees within ±90 and ±180');
  if (latE6 === 0 && lonE6 === 0) return skip('INVALID_COORDINATES', '0,0: the unit had no fix');
  let speedTenths: number | null = null;
  if (raw.speedKmh !== undefined && raw.speedKmh !== null) {
    const s = parseSpeedTenths(raw.speedKmh);
    if (s === null) return skip('MALFORMED', 'speedKmh: a decimal number of km/h');
    if (s === 'negative' || s > limits.maxSpeedTenths)
      return skip(
        'IMPOSSIBLE_SPEED',
        `speed ${s === 'negative' ? 'below 0' : `${s / 10}`} km/h is not credible`,
      );
    speedTenths = s;
  }
  return { ok: true, value: { deviceId, vehicleId, atMs, latE6, lonE6, speedTenths } };
}

const grams = (v: unknown): number | null => {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  try {
    return parseKg(typeof v === 'number' ? v.toFixed(3) : v);
  } catch {
    return null;
  }
};

/** One weighbridge reading on its own: shape, time, masses (net = gross − tare, exactly). */
export function checkWeighing(raw: RawWeighing, limits: ReadingLimits): Checked<WeighingReading> {
  if (typeof raw !== 'object' || raw === null) return skip('MALFORMED', 'a weighing is an object');
  const deviceId = optionalId(raw.deviceId);
  const vehicleId = optionalId(raw.vehicleId);
  const plate = optionalId(raw.plate);
  const siteId = optionalId(raw.siteId);
  if (deviceId === undefined || vehicleId === undefined || plate === undefined || !siteId)
    return skip('MALFORMED', 'siteId is required; deviceId, vehicleId and plate are strings');
  if (!vehicleId && !plate) return skip('MALFORMED', 'a weighing names its vehicle (vehicleId or plate)');
  const atMs = parseInstant(raw.at);
  if (atMs === null) return skip('MALFORMED', 'at: an ISO 8601 instant with its zone, or epoch milliseconds');
  const time = checkInstant(atMs, limits);
  if (!time.ok) return time;
  const [grossGrams, tareGrams, netGrams] = [grams(raw.gross), grams(raw.tare), grams(raw.net)];
  if (grossGrams === null || tareGrams === null || netGrams === null)
    return skip('INVALID_MASS', 'gross, tare and net: kilograms with up to 3 decimals, not negative');
  if (netGrams !== grossGrams - tareGrams) return skip('INVALID_MASS', 'net must equal gross − tare');
  return {
    ok: true,
    value: {
      deviceId,
      siteId,
      vehicleId,
      plate: plate?.trim() ?? null,
      atMs,
      grossGrams,
      tareGrams,
      netGrams,
    },
  };
}

/** Speed implied by moving from `a` to `b`, in tenths of km/h (infinite for a jump in no time). */
export function impliedSpeedTenths(a: LatLon & { atMs: number }, b: LatLon & { atMs: number }): number {
  const meters = distanceMeters(a, b);
  const seconds = Math.abs(b.atMs - a.atMs) / 1000;
  if (seconds === 0) return meters > 0 ? Number.POSITIVE_INFINITY : 0;
  return (meters / seconds) * 36;
}

/** GPS drift that no jump check should mind, in metres. */
export const JUMP_SLACK_METERS = 50;

/**
 * 漂移点 — points of one device, oldest first, that are spikes: the jump from the last credible
 * point implies an impossible speed, and neither of the next two points is credible from them
 * (when one is, the vehicle really is there — or the earlier point was the spike — and the track
 * goes on from it). `previous` is the device's last stored point before them, if any. Returns the
 * indexes (into `points`) to skip.
 */
export function jumps(
  points: readonly (LatLon & { atMs: number })[],
  previous: (LatLon & { atMs: number }) | null,
  maxSpeedTenths: number,
): Set<number> {
  const credible = (a: LatLon & { atMs: number }, b: LatLon & { atMs: number }) =>
    distanceMeters(a, b) <= JUMP_SLACK_METERS || impliedSpeedTenths(a, b) <= maxSpeedTenths;
  const out = new Set<number>();
  let last = previous;
  points.forEach((p, i) => {
    const next = points.slice(i + 1, i + 3);
    if (!last || credible(last, p) || next.some((n) => credible(p, n))) last = p;
    else out.add(i);
  });
  return out;
}

/** Counts per reason, in the order of SKIP_REASONS, omitting zeros. */
export function tally(reasons: readonly SkipReason[]): { reason: SkipReason; count: number }[] {
  const counts = new Map<SkipReason, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return SKIP_REASONS.filter((r) => counts.has(r)).map((reason) => ({ reason, count: counts.get(reason)! }));
}
