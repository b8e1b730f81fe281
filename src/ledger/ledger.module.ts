import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { ALERT_EVENT_TYPES, ALERT_STREAM_TYPE } from './alerts/alert';
import { alertProjection } from './alerts/alert.projection';
import { AttemptLogService } from './attempt-log.service';
import { CheckpointService } from './checkpoints/checkpoint.service';
import { COUNTER_EVENT_TYPES, COUNTER_STREAM_TYPE } from './counters';
import { EventRegistry } from './event-registry';
import { LedgerResolver } from './graphql/ledger.resolver';
import { LedgerQueryService } from './ledger-query.service';
import { LedgerService } from './ledger.service';
import { StreamAccess } from './stream-access';

/**
 * The ledger (账本): the only write path, its checkpoints, verification and proofs. Global:
 * every capability appends through `LedgerService` and registers its event types and projections.
 */
@Global()
@Module({
  providers: [
    EventRegistry,
    StreamAccess,
    LedgerService,
    LedgerQueryService,
    CheckpointService,
    AttemptLogService,
    LedgerResolver,
  ],
  exports: [
    EventRegistry,
    StreamAccess,
    LedgerService,
    LedgerQueryService,
    CheckpointService,
    AttemptLogService,
  ],
})
export class LedgerModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.registry.register(ALERT_STREAM_TYPE, ALERT_EVENT_TYPES);
    this.registry.register(COUNTER_STREAM_TYPE, COUNTER_EVENT_TYPES);
    this.ledger.projections.register(alertProjection);
  }
}
