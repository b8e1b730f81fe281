import { centroid, distanceMeters, type LatLon } from './geo';

/** A point of a vehicle's track as the stop finder sees it. */
export interface TrackSample extends LatLon {
  readonly atMs: number;
  /** The vehicle carried at least one manifest at this instant (装载). */
  readonly loaded: boolean;
  /** The manifests it carried then. */
  readonly manifestIds: readonly string[];
}

/** 停留 — a run of loaded points that stay within a radius of their running centre. */
export interface Stop {
  readonly startMs: number;
  /** The last point seen in the stop. */
  readonly endMs: number;
  readonly durationMs: number;
  readonly place: LatLon;
  readonly pointCount: number;
  /** The stop runs to the end of the track: the vehicle may still be there. */
  readonly ongoing: boolean;
  readonly manifestIds: readonly string[];
}

export interface StopOptions {
  /** Points within this many metres of the stop's centre belong to it. */
  readonly radiusMeters: number;
  /** Only stops at least this long are returned. */
  readonly minDurationMs: number;
}

/**
 * The stops of a loaded vehicle, from its points oldest first. A stop is a maximal run of loaded
 * points each within `radiusMeters` of the centre of the run so far; a gap in reporting inside
 * the run counts as stopped time (a unit switched off while the vehicle stands still is the case
 * that matters most). An unloaded point, or one outside the radius, ends the run. Pure.
 */
export function findStops(points: readonly TrackSample[], options: StopOptions): Stop[] {
  const stops: Stop[] = [];
  let run: TrackSample[] = [];
  let centre: LatLon | null = null;
  let sumLat = 0;
  let sumLon = 0;
  const close = (ongoing: boolean) => {
    if (run.length >= 2) {
      const durationMs = run[run.length - 1].atMs - run[0].atMs;
      if (durationMs >= options.minDurationMs) {
        stops.push({
          startMs: run[0].atMs,
          endMs: run[run.length - 1].atMs,
          durationMs,
          place: centroid(run),
          pointCount: run.length,
          ongoing,
          manifestIds: [...new Set(run.flatMap((p) => p.manifestIds))].sort(),
        });
      }
    }
    run = [];
    centre = null;
    sumLat = 0;
    sumLon = 0;
  };
  for (const p of points) {
    if (!p.loaded) {
      close(false);
      continue;
    }
    if (centre && distanceMeters(centre, p) > options.radiusMeters) close(false);
    run.push(p);
    sumLat += p.latE6;
    sumLon += p.lonE6;
    centre = { latE6: Math.round(sumLat / run.length), lonE6: Math.round(sumLon / run.length) };
  }
  close(true);
  return stops;
}
