import type { LedgerTransaction } from './ledger-transaction';

/**
 * Counters for invariants that span streams (a licence item's capacity used in a year, the stock
 * at a storage spot, an approval's remaining quantity). A counter is a ledger stream of its own
 * (`counter:<id>`); a command that checks a limit reads it LOCKED and appends its adjustment with
 * compare-and-set in the same transaction, so that two acts cannot both spend the last tonne:
 * the second waits for the first, then sees its adjustment.
 */
export const COUNTER_STREAM_TYPE = 'counter';
export const COUNTER_EVENT_TYPES = ['CounterAdjusted'] as const;

export interface CounterAdjusted {
  counterId: string;
  /** Signed amount (grams for masses). */
  delta: number;
  /** Value after this adjustment. */
  value: number;
  reason: string;
  /** The record the adjustment belongs to (manifest, lot…), for audit and release. */
  ref: string;
}

export const counterStreamId = (counterId: string) => `counter:${counterId}`;

export interface CounterValue {
  counterId: string;
  value: number;
  version: number;
}

/** Reads counters and locks them (in a fixed order) until the transaction ends. */
export async function readCounters(
  tx: LedgerTransaction,
  counterIds: readonly string[],
): Promise<Map<string, CounterValue>> {
  const streams = await tx.readStreams(counterIds.map(counterStreamId), { lock: true });
  const out = new Map<string, CounterValue>();
  for (const id of counterIds) {
    const s = streams.get(counterStreamId(id))!;
    const last = s.events[s.events.length - 1]?.data as unknown as CounterAdjusted | undefined;
    out.set(id, { counterId: id, value: last?.value ?? 0, version: s.version });
  }
  return out;
}

/** Appends an adjustment to a counter read by `readCounters` (compare-and-set on its version). */
export async function adjustCounter(
  tx: LedgerTransaction,
  counter: CounterValue,
  delta: number,
  reason: string,
  ref: string,
): Promise<CounterValue> {
  const value = counter.value + delta;
  const data: CounterAdjusted = { counterId: counter.counterId, delta, value, reason, ref };
  await tx.append(counterStreamId(counter.counterId), COUNTER_STREAM_TYPE, counter.version, [
    { type: 'CounterAdjusted', data },
  ]);
  return { counterId: counter.counterId, value, version: counter.version + 1 };
}
