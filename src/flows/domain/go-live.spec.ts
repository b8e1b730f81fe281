import { isDomainError } from '../../shared/domain/domain-error';
import { decideGoLive, type GoLiveInput } from './go-live';

const input = (over: Partial<GoLiveInput> = {}): GoLiveInput => ({
  siteId: 'site-1',
  partyId: 'p-1',
  goLiveAt: new Date('2026-07-01T00:00:00.000Z'),
  openingStock: [
    {
      lotId: 'l1',
      labelCode: 'HL-1',
      wasteCode: '900-214-08',
      facilityId: 'fac-store',
      massGrams: 180_000,
      storedSince: '2026-03-02T01:00:00.000Z',
    },
  ],
  pastAnnualAmounts: [
    { year: 2025, grams: 12_000_000 },
    { year: 2023, grams: 8_000_000 },
  ],
  ...over,
});
const facts = { alreadyImported: false, siteHasEntries: false, now: new Date('2026-07-02T00:00:00.000Z') };

const refused = (i: GoLiveInput, f = facts) => {
  try {
    decideGoLive(i, f);
  } catch (e) {
    if (isDomainError(e)) return [e.code, e.details.field];
    throw e;
  }
  return 'allowed';
};

describe('go-live import (上线导入)', () => {
  it('records the opening stock and the past years (sorted) once', () => {
    expect(decideGoLive(input(), facts)).toEqual({
      type: 'GoLiveImported',
      data: {
        siteId: 'site-1',
        partyId: 'p-1',
        goLiveAt: '2026-07-01T00:00:00.000Z',
        openingStock: input().openingStock,
        pastAnnualAmounts: [
          { year: 2023, grams: 8_000_000 },
          { year: 2025, grams: 12_000_000 },
        ],
        at: '2026-07-01T00:00:00.000Z',
      },
    });
  });

  it('only once, and only before the site books anything of its own', () => {
    expect(refused(input(), { ...facts, alreadyImported: true })).toEqual(['INVALID_TRANSITION', undefined]);
    expect(refused(input(), { ...facts, siteHasEntries: true })).toEqual(['BAD_USER_INPUT', 'siteId']);
  });

  it('refuses stock stored after go-live, a go-live in the future, and years outside the three before', () => {
    const late = input({
      openingStock: [{ ...input().openingStock[0], storedSince: '2026-07-01T00:00:00.001Z' }],
    });
    expect(refused(late)).toEqual(['BAD_USER_INPUT', 'openingStock.0.storedSince']);
    expect(refused(input({ goLiveAt: new Date('2026-07-03T00:00:00.000Z') }))).toEqual([
      'BAD_USER_INPUT',
      'goLiveAt',
    ]);
    expect(refused(input({ pastAnnualAmounts: [{ year: 2022, grams: 1 }] }))).toEqual([
      'BAD_USER_INPUT',
      'pastAnnualAmounts.0.year',
    ]);
    expect(refused(input({ pastAnnualAmounts: [{ year: 2026, grams: 1 }] }))).toEqual([
      'BAD_USER_INPUT',
      'pastAnnualAmounts.0.year',
    ]);
    expect(
      refused(
        input({
          pastAnnualAmounts: [
            { year: 2025, grams: 1 },
            { year: 2025, grams: 2 },
          ],
        }),
      ),
    ).toEqual(['BAD_USER_INPUT', 'pastAnnualAmounts.1.year']);
    expect(refused(input({ openingStock: [], pastAnnualAmounts: [] }))).toEqual([
      'BAD_USER_INPUT',
      'openingStock',
    ]);
  });
});
