import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDate } from '../../shared/domain/time';
import type { GoLiveImported, OpeningStockLot, PastAnnualAmount } from './flows.events';

/**
 * 上线导入 — a unit that joins HazLedger mid-year brings, once, its opening stock (期初库存: what lies
 * in its storage facilities, per code, with the date each was stored, so that the storage clocks
 * keep running from then) and its past three calendar years' generated amounts (which fix its
 * management class until the ledger holds full years of its own). Pure checks and the event.
 */

/** How many past years a unit may bring (HJ 1259-2022 §4.2.3: the largest of the last three). */
export const PAST_YEARS = 3;

export interface GoLiveInput {
  readonly siteId: string;
  readonly partyId: string;
  readonly goLiveAt: Date;
  readonly openingStock: readonly OpeningStockLot[];
  readonly pastAnnualAmounts: readonly PastAnnualAmount[];
}

/** What the service found: whether the site already keeps its book here, or has imported before. */
export interface GoLiveFacts {
  readonly alreadyImported: boolean;
  readonly siteHasEntries: boolean;
  readonly now: Date;
}

/**
 * Checks an import and returns its event: at most once per site, before the site has any ledger
 * entry of its own; nothing stored after go-live; past years are the three before the go-live year.
 */
export function decideGoLive(input: GoLiveInput, facts: GoLiveFacts): GoLiveImported {
  if (facts.alreadyImported)
    throw new DomainError('INVALID_TRANSITION', 'this site has already imported its opening stock', {
      currentState: 'IMPORTED',
      allowedFrom: ['NONE'],
    });
  if (facts.siteHasEntries)
    throw DomainError.badInput(
      'siteId',
      'siteId: the site already keeps its ledger here; the go-live import comes first',
    );
  if (input.goLiveAt.getTime() > facts.now.getTime())
    throw DomainError.badInput('goLiveAt', 'goLiveAt: lies in the future');
  if (input.openingStock.length === 0 && input.pastAnnualAmounts.length === 0)
    throw DomainError.badInput('openingStock', 'openingStock: nothing to import');
  input.openingStock.forEach((l, i) => {
    if (!Number.isSafeInteger(l.massGrams) || l.massGrams <= 0)
      throw DomainError.badInput(`openingStock.${i}.mass`, 'a mass greater than 0 kg');
    if (Date.parse(l.storedSince) > input.goLiveAt.getTime())
      throw DomainError.badInput(
        `openingStock.${i}.storedSince`,
        'stored after go-live: record it as generated instead',
      );
  });
  const goLiveYear = Number(shanghaiDate(input.goLiveAt).slice(0, 4));
  const seen = new Set<number>();
  input.pastAnnualAmounts.forEach((a, i) => {
    if (!Number.isSafeInteger(a.year) || a.year < goLiveYear - PAST_YEARS || a.year >= goLiveYear)
      throw DomainError.badInput(
        `pastAnnualAmounts.${i}.year`,
        `a year from ${goLiveYear - PAST_YEARS} to ${goLiveYear - 1}`,
      );
    if (seen.has(a.year))
      throw DomainError.badInput(`pastAnnualAmounts.${i}.year`, `${a.year} is listed twice`);
    seen.add(a.year);
    if (!Number.isSafeInteger(a.grams) || a.grams < 0)
      throw DomainError.badInput(`pastAnnualAmounts.${i}.amount`, 'an amount of at least 0 kg');
  });
  return {
    type: 'GoLiveImported',
    data: {
      siteId: input.siteId,
      partyId: input.partyId,
      goLiveAt: input.goLiveAt.toISOString(),
      openingStock: input.openingStock,
      pastAnnualAmounts: [...input.pastAnnualAmounts].sort((a, b) => a.year - b.year),
      at: input.goLiveAt.toISOString(),
    },
  };
}
