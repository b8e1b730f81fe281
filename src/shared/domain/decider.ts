import { DomainError } from './domain-error';
import type { Actor } from './actor';

/** A domain event as a capability's decider emits it: a type and its data (the ledger adds the envelope). */
export interface Ev<T extends string, D> {
  readonly type: T;
  readonly data: D;
}

/**
 * What every command carries besides its data: who acts, when it happened on site (business
 * time), when the server handles it (record time), and whether it was made offline.
 * Time and ids come in here, so that `decide` stays pure.
 */
export interface CommandMeta {
  readonly actor: Actor;
  /** Business time: when the act happened on site. */
  readonly occurredAt: Date;
  /** Record time: the server's clock when the command is handled. */
  readonly now: Date;
  /** The act was made offline and synced later (may lie before the stream's latest event). */
  readonly offline?: boolean;
}

export interface Cmd<T extends string, D> {
  readonly type: T;
  readonly data: D;
  readonly meta: CommandMeta;
}

/**
 * The shape of every capability (emmett style): `decide` turns a command and the current state
 * into new events or throws a `DomainError`; `evolve` folds one event into the state and throws on
 * an event that cannot follow (the ledger can never hold such a history).
 */
export interface Decider<S, C, E> {
  readonly initialState: () => S;
  readonly decide: (command: C, state: S) => E[];
  readonly evolve: (state: S, event: E) => S;
}

/** Folds a history into a state. */
export const replay = <S, C, E>(d: Decider<S, C, E>, events: readonly E[]): S =>
  events.reduce(d.evolve, d.initialState());

/** The state narrowed to the allowed statuses, or `INVALID_TRANSITION` naming the current state and the allowed ones. */
export function expectStatus<S extends { status: string }, K extends S['status']>(
  state: S,
  ...allowed: K[]
): Extract<S, { status: K }> {
  if (!(allowed as string[]).includes(state.status)) {
    throw new DomainError('INVALID_TRANSITION', `not allowed in state ${state.status}`, {
      currentState: state.status,
      allowedFrom: allowed,
    });
  }
  return state as Extract<S, { status: K }>;
}

/** For `evolve`: an event that cannot follow the state is a bug, never a user error. */
export function impossible(state: { status: string }, eventType: string): never {
  throw new Error(`event ${eventType} cannot follow state ${state.status}`);
}
