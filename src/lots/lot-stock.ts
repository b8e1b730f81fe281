import type { LotState } from './domain';

/**
 * Stock (贮存量) as lots make it: a lot counts at the facility where it lies while it is held there
 * (GENERATED, STORED, REJECTED), with its current mass. Pure: the ledger helper and the tests use it
 * to turn any change of lots into per-facility deltas, whatever act made the change.
 */
export interface StockPlace {
  readonly facilityId: string;
  readonly siteId: string;
  readonly grams: number;
}

export function stockPlace(s: LotState): StockPlace | null {
  if (s.status !== 'GENERATED' && s.status !== 'STORED' && s.status !== 'REJECTED') return null;
  return { facilityId: s.facilityId, siteId: s.siteId, grams: s.massGrams };
}

/** Net grams in (positive) or out (negative) of each facility over a set of lot changes; zero deltas are left out. */
export function stockDeltas(changes: readonly { before: LotState; after: LotState }[]): Map<string, number> {
  const deltas = new Map<string, number>();
  const add = (place: StockPlace | null, sign: 1 | -1) => {
    if (place) deltas.set(place.facilityId, (deltas.get(place.facilityId) ?? 0) + sign * place.grams);
  };
  for (const c of changes) {
    add(stockPlace(c.before), -1);
    add(stockPlace(c.after), 1);
  }
  for (const [id, d] of deltas) if (d === 0) deltas.delete(id);
  return deltas;
}
