import { distanceMeters, formatDegrees, type Geofence, type LatLon, locate } from './geo';
import type { Stop } from './stops';

/**
 * 物联网监管规则 — the rules the telemetry raises alerts for (防范非法倾倒、堆放). Pure functions of
 * facts the service gathers; each finding carries the period that makes its alert identity
 * deterministic (rule, subject, period), so that a rerun raises nothing twice.
 */
export const TELEMETRY_ALERT_RULES = {
  /** 疑似非法倾倒 — a loaded vehicle stopped too long outside every licensed site and its manifests' sites. */
  SUSPECTED_DUMPING: 'SUSPECTED_DUMPING',
  /** 运输超时 — a trip taking more than a factor of its expected time. */
  TRIP_OVERDUE: 'TRIP_OVERDUE',
  /** 轨迹缺失 — a manifest in transit with no track for too long. */
  TRACK_MISSING: 'TRACK_MISSING',
  /** 地磅差异 — the weighbridge net at receipt below the pickup weighing beyond the tolerance. */
  WEIGHBRIDGE_SHORTFALL: 'WEIGHBRIDGE_SHORTFALL',
} as const;

export interface DumpingFinding {
  readonly stop: Stop;
  readonly period: string;
  readonly evidence: {
    readonly latitude: string;
    readonly longitude: string;
    readonly startedAt: string;
    readonly lastSeenAt: string;
    readonly durationSeconds: number;
    readonly ongoing: boolean;
    readonly pointCount: number;
    readonly manifestIds: readonly string[];
    readonly nearestSite: { readonly siteId: string; readonly distanceMeters: number } | null;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * 疑似倾倒 — the stops (already at least the threshold long) that lie outside every geofence:
 * licensed sites and the sites of the vehicle's open manifests. The period is the stop's start,
 * so that a stop still going on is alerted once however many batches extend it.
 */
export function suspectedDumping(stops: readonly Stop[], fences: readonly Geofence[]): DumpingFinding[] {
  const out: DumpingFinding[] = [];
  for (const stop of stops) {
    const { inside, nearest } = locate(stop.place, fences);
    if (inside.length > 0) continue;
    out.push({
      stop,
      period: `stop:${iso(stop.startMs)}`,
      evidence: {
        latitude: formatDegrees(stop.place.latE6),
        longitude: formatDegrees(stop.place.lonE6),
        startedAt: iso(stop.startMs),
        lastSeenAt: iso(stop.endMs),
        durationSeconds: Math.round(stop.durationMs / 1000),
        ongoing: stop.ongoing,
        pointCount: stop.pointCount,
        manifestIds: stop.manifestIds,
        nearestSite: nearest,
      },
    });
  }
  return out;
}

export interface TripExpectation {
  /** Straight-line distance between the transfer's start and end sites. */
  readonly distanceMeters: number;
  readonly expectedMs: number;
}

export interface TripModel {
  /** Road distance over straight-line distance (路线系数). */
  readonly routeFactorPercent: number;
  /** Average speed of a loaded hazardous-waste vehicle, km/h. */
  readonly speedKmh: number;
  /** No trip is expected to take less (loading, gates, traffic lights). */
  readonly minimumMs: number;
}

/** How long a trip between two points should take. */
export function expectedTrip(start: LatLon, end: LatLon, model: TripModel): TripExpectation {
  const straight = distanceMeters(start, end);
  const roadMeters = (straight * model.routeFactorPercent) / 100;
  const ms = Math.round((roadMeters * 3600) / model.speedKmh);
  return { distanceMeters: Math.round(straight), expectedMs: Math.max(model.minimumMs, ms) };
}

/** 运输超时 — elapsed (to delivery, or to now while in transit) beyond `factorPercent` % of the expectation. */
export function tripOverdue(t: {
  readonly custodyTakenAtMs: number;
  readonly deliveredAtMs: number | null;
  readonly nowMs: number;
  readonly expectedMs: number;
  readonly factorPercent: number;
}): { elapsedMs: number; limitMs: number } | null {
  const end = t.deliveredAtMs ?? t.nowMs;
  const elapsedMs = end - t.custodyTakenAtMs;
  const limitMs = Math.round((t.expectedMs * t.factorPercent) / 100);
  return elapsedMs > limitMs ? { elapsedMs, limitMs } : null;
}

/**
 * 轨迹缺失 — a manifest in transit whose vehicle has sent no point since `silentSinceMs` (its last
 * point on the leg, else the start of the leg) for longer than the limit. The period is the start
 * of the silence: each silence is alerted once.
 */
export function trackMissing(t: {
  readonly legStartedAtMs: number;
  readonly lastPointAtMs: number | null;
  readonly nowMs: number;
  readonly limitMs: number;
}): { silentSinceMs: number; silentMs: number; period: string } | null {
  const since = Math.max(t.legStartedAtMs, t.lastPointAtMs ?? t.legStartedAtMs);
  const silentMs = t.nowMs - since;
  return silentMs > t.limitMs
    ? { silentSinceMs: since, silentMs, period: `silent-since:${iso(since)}` }
    : null;
}

/**
 * 地磅差异 — the net at receipt against the pickup weighings of the manifests it weighed (a
 * weighbridge weighs the vehicle: a receipt weighing shared by the manifests of one collection
 * round is compared with the sum of their pickup weighings). Short beyond the tolerance: a finding.
 */
export function weighbridgeShortfall(w: {
  readonly pickupNetGrams: number;
  readonly receiptNetGrams: number;
  readonly toleranceBasisPoints: number;
}): { differenceGrams: number; allowedGrams: number } | null {
  const differenceGrams = w.receiptNetGrams - w.pickupNetGrams;
  const allowedGrams = Math.floor((w.pickupNetGrams * w.toleranceBasisPoints) / 10_000);
  return -differenceGrams > allowedGrams ? { differenceGrams, allowedGrams } : null;
}

/**
 * Splits `totalGrams` over items in proportion to their weights (largest remainder, so that the
 * parts add up to the total exactly). Items of zero total weight share equally.
 */
export function apportion(
  totalGrams: number,
  weights: readonly { id: string; weight: number }[],
): Map<string, number> {
  const out = new Map<string, number>();
  if (weights.length === 0) return out;
  const sum = weights.reduce((a, w) => a + w.weight, 0);
  const shares = weights.map((w, i) => {
    const exact = sum > 0 ? (totalGrams * w.weight) / sum : totalGrams / weights.length;
    return { id: w.id, floor: Math.floor(exact), rest: exact - Math.floor(exact), i };
  });
  let left = totalGrams - shares.reduce((a, s) => a + s.floor, 0);
  for (const s of [...shares].sort((a, b) => b.rest - a.rest || a.i - b.i)) {
    if (left <= 0) break;
    s.floor += 1;
    left -= 1;
  }
  for (const s of shares) out.set(s.id, s.floor);
  return out;
}
