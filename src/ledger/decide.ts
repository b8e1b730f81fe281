import type { Decider } from '../shared/domain/decider';
import type { LedgerTransaction } from './ledger-transaction';
import type { StoredEvent } from './ledger.types';

/**
 * The shape of most commands on one stream: load it (locked), let the decider decide on the
 * current state, append the events at the version read. Returns the new state too.
 */
export async function decideOn<S, C, E extends { type: string; data: object }>(
  tx: LedgerTransaction,
  streamId: string,
  streamType: string,
  decider: Decider<S, C, E>,
  command: (state: S) => C,
): Promise<{ state: S; events: StoredEvent[]; emitted: E[] }> {
  const { state, version } = await tx.load<S, E>(streamId, decider);
  const emitted = decider.decide(command(state), state);
  const events = await tx.append(streamId, streamType, version, emitted);
  return { state: emitted.reduce(decider.evolve, state), events, emitted };
}
