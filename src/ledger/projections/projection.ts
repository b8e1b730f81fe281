import type { Sql } from '../../database/sql';
import type { StoredEvent } from '../ledger.types';

/**
 * A read model kept in the append transaction. `apply` must be deterministic from the event
 * alone (no clock, no lookups outside its own tables) and must name its tables unqualified:
 * `ledger:rebuild` replays every event into fresh temporary tables of the same names and
 * compares them with the live ones.
 */
export interface Projection {
  readonly name: string;
  /** The tables it owns (rebuilt and compared together). */
  readonly tables: readonly string[];
  /** The event types it handles. */
  readonly eventTypes: readonly string[];
  apply(sql: Sql, event: StoredEvent): Promise<void>;
}

/** All projections, in registration order; applied in that order to each event. */
export class ProjectionRegistry {
  private readonly projections: Projection[] = [];
  private readonly byType = new Map<string, Projection[]>();

  register(p: Projection): void {
    if (this.projections.some((q) => q.name === p.name)) return;
    this.projections.push(p);
    for (const t of p.eventTypes) this.byType.set(t, [...(this.byType.get(t) ?? []), p]);
  }

  all(): readonly Projection[] {
    return this.projections;
  }

  async apply(sql: Sql, event: StoredEvent): Promise<void> {
    for (const p of this.byType.get(event.type) ?? []) await p.apply(sql, event);
  }
}
