import { Injectable } from '@nestjs/common';
import { DomainError } from '../shared/domain/domain-error';

/**
 * The event types each stream type may hold, with their current schema version. The ledger
 * refuses to append an unregistered type: a typo or a stray event never reaches the chain.
 * Each capability registers its types when its module starts.
 */
@Injectable()
export class EventRegistry {
  private readonly types = new Map<string, Map<string, number>>();

  register(streamType: string, eventTypes: readonly string[], schemaVersion = 1): void {
    const known = this.types.get(streamType) ?? new Map<string, number>();
    for (const t of eventTypes) known.set(t, schemaVersion);
    this.types.set(streamType, known);
  }

  /** The schema version of a registered type, or a BAD_USER_INPUT refusal. */
  schemaVersion(streamType: string, eventType: string): number {
    const v = this.types.get(streamType)?.get(eventType);
    if (v === undefined) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `unknown event type ${eventType} for stream type ${streamType}`,
        {
          field: 'eventType',
        },
      );
    }
    return v;
  }

  streamTypes(): string[] {
    return [...this.types.keys()];
  }
}
