import fc from 'fast-check';
import { centroid, distanceMeters, formatDegrees, locate, parseDegrees } from './geo';

describe('coordinates in micro-degrees', () => {
  it('parse decimal strings exactly, rounding half away from zero at the 7th decimal', () => {
    expect(parseDegrees('34.7466', 90)).toBe(34_746_600);
    expect(parseDegrees('113.6253', 180)).toBe(113_625_300);
    expect(parseDegrees('-33.8688', 90)).toBe(-33_868_800);
    expect(parseDegrees('34.74660049', 90)).toBe(34_746_600);
    expect(parseDegrees('34.74660050', 90)).toBe(34_746_601);
    expect(parseDegrees('-0.0000004', 90)).toBe(0);
    expect(parseDegrees(' 0 ', 90)).toBe(0);
  });

  it('parse JSON numbers from devices without binary surprises', () => {
    expect(parseDegrees(34.7466, 90)).toBe(34_746_600);
    expect(parseDegrees(113.62532, 180)).toBe(113_625_320);
    expect(parseDegrees(-0.1, 90)).toBe(-100_000);
  });

  it('refuse what is not a coordinate', () => {
    for (const v of [
      '91',
      '-90.000001',
      'abc',
      '',
      '1e5',
      '34,7',
      null,
      undefined,
      Number.NaN,
      Infinity,
      {},
    ]) {
      expect(parseDegrees(v, 90)).toBeNull();
    }
    expect(parseDegrees('180.0000001', 180)).toBe(180_000_000);
    expect(parseDegrees('180.000001', 180)).toBeNull();
  });

  it('format back to six decimals, round-tripping every value', () => {
    expect(formatDegrees(34_746_600)).toBe('34.746600');
    expect(formatDegrees(-100_000)).toBe('-0.100000');
    fc.assert(
      fc.property(fc.integer({ min: -90_000_000, max: 90_000_000 }), (e6) => {
        expect(parseDegrees(formatDegrees(e6), 90)).toBe(e6);
      }),
    );
  });
});

describe('distances', () => {
  const zhengzhou = { latE6: 34_746_600, lonE6: 113_625_300 };
  const kaifeng = { latE6: 34_797_200, lonE6: 114_307_600 };

  it('haversine: Zhengzhou to Kaifeng is about 62.6 km', () => {
    expect(distanceMeters(zhengzhou, kaifeng)).toBeGreaterThan(62_000);
    expect(distanceMeters(zhengzhou, kaifeng)).toBeLessThan(63_000);
    expect(distanceMeters(zhengzhou, zhengzhou)).toBe(0);
  });

  it('a micro-degree of latitude is about 0.11 m', () => {
    expect(distanceMeters(zhengzhou, { ...zhengzhou, latE6: zhengzhou.latE6 + 1 })).toBeCloseTo(0.111, 2);
  });

  it('the centroid of points is their mean', () => {
    expect(centroid([zhengzhou, { latE6: 34_746_700, lonE6: 113_625_500 }])).toEqual({
      latE6: 34_746_650,
      lonE6: 113_625_400,
    });
  });

  it('locate: inside a geofence, and the nearest site', () => {
    const fences = [
      { siteId: 'near', center: zhengzhou, radiusMeters: 300 },
      { siteId: 'far', center: kaifeng, radiusMeters: 300 },
    ];
    const p = { latE6: 34_747_600, lonE6: 113_625_300 }; // ~111 m north
    expect(locate(p, fences).inside.map((f) => f.siteId)).toEqual(['near']);
    const q = { latE6: 34_756_600, lonE6: 113_625_300 }; // ~1.1 km north
    expect(locate(q, fences)).toEqual({ inside: [], nearest: { siteId: 'near', distanceMeters: 1112 } });
    expect(locate(q, [])).toEqual({ inside: [], nearest: null });
  });
});
