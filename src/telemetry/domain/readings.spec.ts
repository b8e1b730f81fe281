import { checkPoint, checkWeighing, jumps, parseInstant, type ReadingLimits, tally } from './readings';

const NOW = Date.parse('2026-03-02T08:00:00.000Z');
const limits: ReadingLimits = {
  nowMs: NOW,
  maxSkewMs: 300_000,
  maxAgeMs: 90 * 86_400_000,
  maxSpeedTenths: 1600,
};
const point = (over: Record<string, unknown> = {}) => ({
  vehicleId: 'v1',
  at: '2026-03-02T07:59:00.000Z',
  latitude: '34.7466',
  longitude: '113.6253',
  speedKmh: '42.5',
  ...over,
});
const weighing = (over: Record<string, unknown> = {}) => ({
  siteId: 's1',
  vehicleId: 'v1',
  at: '2026-03-02T07:00:00+08:00',
  gross: '25000.500',
  tare: '15000',
  net: '10000.500',
  ...over,
});

describe('readings (物联网读数): one at a time', () => {
  it('a good point: micro-degrees, tenths of km/h, epoch milliseconds', () => {
    expect(checkPoint(point(), limits)).toEqual({
      ok: true,
      value: {
        deviceId: null,
        vehicleId: 'v1',
        atMs: Date.parse('2026-03-02T07:59:00.000Z'),
        latE6: 34_746_600,
        lonE6: 113_625_300,
        speedTenths: 425,
      },
    });
    expect(checkPoint(point({ speedKmh: undefined, latitude: 34.7466 }), limits)).toMatchObject({
      ok: true,
      value: { speedTenths: null, latE6: 34_746_600 },
    });
  });

  it.each([
    [{ latitude: '91' }, 'INVALID_COORDINATES'],
    [{ longitude: '-181' }, 'INVALID_COORDINATES'],
    [{ latitude: 'north' }, 'INVALID_COORDINATES'],
    [{ latitude: '0', longitude: '0' }, 'INVALID_COORDINATES'],
    [{ speedKmh: '900' }, 'IMPOSSIBLE_SPEED'],
    [{ speedKmh: '-3' }, 'IMPOSSIBLE_SPEED'],
    [{ speedKmh: 'fast' }, 'MALFORMED'],
    [{ at: '2026-03-02T08:06:00.000Z' }, 'FUTURE_TIMESTAMP'],
    [{ at: '2025-11-01T00:00:00.000Z' }, 'TOO_OLD'],
    [{ at: '2026-03-02 07:59' }, 'MALFORMED'],
    [{ at: '2026-03-02T07:59:00' }, 'MALFORMED'],
    [{ vehicleId: 42 }, 'MALFORMED'],
  ])('refuses %j with %s', (over, reason) => {
    expect(checkPoint(point(over), limits)).toMatchObject({ ok: false, reason });
  });

  it('a point that is not an object is malformed, never a crash', () => {
    for (const v of [null, 'x', 3])
      expect(checkPoint(v as never, limits)).toMatchObject({ reason: 'MALFORMED' });
  });

  it('a weighing: exact grams, net = gross − tare', () => {
    expect(checkWeighing(weighing(), limits)).toEqual({
      ok: true,
      value: {
        deviceId: null,
        siteId: 's1',
        vehicleId: 'v1',
        plate: null,
        atMs: Date.parse('2026-03-01T23:00:00.000Z'),
        grossGrams: 25_000_500,
        tareGrams: 15_000_000,
        netGrams: 10_000_500,
      },
    });
    expect(checkWeighing(weighing({ vehicleId: undefined, plate: '豫A12345' }), limits)).toMatchObject({
      ok: true,
      value: { vehicleId: null, plate: '豫A12345' },
    });
  });

  it.each([
    [{ net: '10000' }, 'INVALID_MASS'],
    [{ gross: '-1' }, 'INVALID_MASS'],
    [{ tare: '1.2345' }, 'INVALID_MASS'],
    [{ siteId: undefined }, 'MALFORMED'],
    [{ vehicleId: undefined }, 'MALFORMED'],
    [{ at: 'yesterday' }, 'MALFORMED'],
    [{ at: '2027-01-01T00:00:00Z' }, 'FUTURE_TIMESTAMP'],
  ])('refuses weighing %j with %s', (over, reason) => {
    expect(checkWeighing(weighing(over), limits)).toMatchObject({ ok: false, reason });
  });

  it('instants: ISO with a zone, Date, or epoch milliseconds after 2000', () => {
    expect(parseInstant('2026-03-02T08:00:00+08:00')).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(parseInstant(new Date(NOW))).toBe(NOW);
    expect(parseInstant(NOW)).toBe(NOW);
    expect(parseInstant(1000)).toBeNull();
    expect(parseInstant(1.5)).toBeNull();
  });
});

describe('readings: against their neighbours', () => {
  const p = (atS: number, latE6: number) => ({ atMs: NOW + atS * 1000, latE6, lonE6: 113_625_300 });

  it('a jump implying an impossible speed is skipped; the track goes on from the last credible point', () => {
    // 0.001° of latitude is ~111 m: 111 m in 10 s is 40 km/h; 11 km in 10 s is not credible
    const track = [p(0, 34_700_000), p(10, 34_701_000), p(20, 34_801_000), p(30, 34_702_000)];
    expect([...jumps(track, null, 1600)]).toEqual([2]);
    // a far stored point: the batch agrees with itself, so its first point is believed
    expect([...jumps(track.slice(1), p(-10, 34_600_000), 1600)]).toEqual([1]);
    // a lone last point beyond reach is skipped (the next batch will tell)
    expect([...jumps([p(0, 34_700_000), p(10, 34_801_000)], null, 1600)]).toEqual([1]);
  });

  it('GPS drift within a few metres never counts as a jump, even in no time', () => {
    expect([...jumps([p(0, 34_700_000), p(0, 34_700_100)], null, 1600)]).toEqual([]);
  });

  it('tally counts per reason in a fixed order', () => {
    expect(tally(['DUPLICATE', 'MALFORMED', 'DUPLICATE'])).toEqual([
      { reason: 'MALFORMED', count: 1 },
      { reason: 'DUPLICATE', count: 2 },
    ]);
  });
});
