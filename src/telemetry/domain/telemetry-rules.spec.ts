import fc from 'fast-check';
import type { Stop } from './stops';
import {
  apportion,
  expectedTrip,
  suspectedDumping,
  trackMissing,
  tripOverdue,
  weighbridgeShortfall,
} from './telemetry-rules';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const MIN = 60_000;

describe('SUSPECTED_DUMPING (疑似非法倾倒)', () => {
  const stop = (latE6: number): Stop => ({
    startMs: T0,
    endMs: T0 + 40 * MIN,
    durationMs: 40 * MIN,
    place: { latE6, lonE6: 113_600_000 },
    pointCount: 41,
    ongoing: false,
    manifestIds: ['m1'],
  });
  const site = { siteId: 'recycler', center: { latE6: 35_000_000, lonE6: 113_600_000 }, radiusMeters: 300 };

  it('a stop outside every geofence is a finding: place, duration, nearest site', () => {
    expect(suspectedDumping([stop(35_100_000)], [site])).toEqual([
      {
        stop: stop(35_100_000),
        period: 'stop:2026-03-02T00:00:00.000Z',
        evidence: {
          latitude: '35.100000',
          longitude: '113.600000',
          startedAt: '2026-03-02T00:00:00.000Z',
          lastSeenAt: '2026-03-02T00:40:00.000Z',
          durationSeconds: 2400,
          ongoing: false,
          pointCount: 41,
          manifestIds: ['m1'],
          nearestSite: { siteId: 'recycler', distanceMeters: 11_120 },
        },
      },
    ]);
  });

  it('a stop inside a licensed or manifest site’s geofence is not', () => {
    expect(suspectedDumping([stop(35_001_000)], [site])).toEqual([]); // ~111 m from the centre
  });

  it('the same stop seen again has the same period (one alert)', () => {
    const longer = { ...stop(35_100_000), endMs: T0 + 50 * MIN, durationMs: 50 * MIN };
    expect(suspectedDumping([longer], [])[0].period).toBe(suspectedDumping([stop(35_100_000)], [])[0].period);
  });
});

describe('TRIP_OVERDUE (运输超时)', () => {
  const model = { routeFactorPercent: 130, speedKmh: 40, minimumMs: 30 * MIN };

  it('expects road distance at the average speed, never under the minimum', () => {
    const e = expectedTrip(
      { latE6: 34_700_000, lonE6: 113_600_000 },
      { latE6: 34_700_000, lonE6: 113_930_000 },
      model,
    );
    expect(e.distanceMeters).toBeGreaterThan(30_000);
    expect(e.distanceMeters).toBeLessThan(30_500);
    expect(e.expectedMs).toBeCloseTo((e.distanceMeters * 1.3 * 3600) / 40, -3);
    expect(expectedTrip({ latE6: 1, lonE6: 1 }, { latE6: 1, lonE6: 2 }, model).expectedMs).toBe(30 * MIN);
  });

  it('overdue beyond the factor, in transit or delivered late', () => {
    const base = { custodyTakenAtMs: T0, expectedMs: 60 * MIN, factorPercent: 200 };
    expect(tripOverdue({ ...base, deliveredAtMs: null, nowMs: T0 + 119 * MIN })).toBeNull();
    expect(tripOverdue({ ...base, deliveredAtMs: null, nowMs: T0 + 121 * MIN })).toEqual({
      elapsedMs: 121 * MIN,
      limitMs: 120 * MIN,
    });
    expect(tripOverdue({ ...base, deliveredAtMs: T0 + 90 * MIN, nowMs: T0 + 999 * MIN })).toBeNull();
  });
});

describe('TRACK_MISSING (轨迹缺失)', () => {
  it('silent beyond the limit since the last point, or since the leg started', () => {
    const limitMs = 60 * MIN;
    expect(trackMissing({ legStartedAtMs: T0, lastPointAtMs: null, nowMs: T0 + 61 * MIN, limitMs })).toEqual({
      silentSinceMs: T0,
      silentMs: 61 * MIN,
      period: 'silent-since:2026-03-02T00:00:00.000Z',
    });
    expect(
      trackMissing({ legStartedAtMs: T0, lastPointAtMs: T0 + 30 * MIN, nowMs: T0 + 61 * MIN, limitMs }),
    ).toBeNull();
    // a point from before the leg does not count for it
    expect(
      trackMissing({ legStartedAtMs: T0, lastPointAtMs: T0 - MIN, nowMs: T0 + 61 * MIN, limitMs })
        ?.silentSinceMs,
    ).toBe(T0);
  });
});

describe('WEIGHBRIDGE_SHORTFALL (地磅差异)', () => {
  it('short beyond the tolerance is a finding; within it, or heavier, is not', () => {
    const w = { pickupNetGrams: 10_000_000, toleranceBasisPoints: 500 };
    expect(weighbridgeShortfall({ ...w, receiptNetGrams: 9_500_000 })).toBeNull();
    expect(weighbridgeShortfall({ ...w, receiptNetGrams: 9_499_999 })).toEqual({
      differenceGrams: -500_001,
      allowedGrams: 500_000,
    });
    expect(weighbridgeShortfall({ ...w, receiptNetGrams: 12_000_000 })).toBeNull();
  });
});

describe('apportion', () => {
  it('splits exactly, in proportion', () => {
    expect(
      apportion(1000, [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 2 },
      ]),
    ).toEqual(
      new Map([
        ['a', 333],
        ['b', 667],
      ]),
    );
  });

  it('property: the parts add up to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 }),
        (total, ws) => {
          const parts = apportion(
            total,
            ws.map((weight, i) => ({ id: String(i), weight })),
          );
          expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
    );
  });
});
