import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EventRegistry } from '../ledger/event-registry';
import { LedgerService } from '../ledger/ledger.service';
import { StreamAccess } from '../ledger/stream-access';
import { PartiesModule } from '../parties/parties.module';
import { CalendarService } from './clock/calendar.service';
import { LotClockPolicy } from './clock/lot-clock.policy';
import { LotClockService } from './clock/lot-clock.service';
import { LotResolver } from './graphql/lot.resolver';
import { LabelController } from './labels/label.controller';
import { LabelService } from './labels/label.service';
import { LotFactsService } from './lot-facts.service';
import { LotFateService } from './lot-fate.service';
import { LotLedger } from './lot-ledger';
import { LotLineageService } from './lot-lineage.service';
import { LotReadService } from './lot-read.service';
import { LOT_EVENT_TYPES, LOT_STREAM } from './lot-streams';
import { LotsService } from './lots.service';
import { lotProjection } from './projections/lot.projection';

/**
 * 批次 — lots from generation to final fate: generation, labels, storage and stock, exempt
 * handovers, consolidation, split, treatment, losses, storage clocks and final fate. Exports
 * `LotLedger` (the one way to write lot streams, for manifests), the reads and the calendar.
 */
@Module({
  imports: [CatalogueModule, PartiesModule],
  controllers: [LabelController],
  providers: [
    LotLedger,
    LotFactsService,
    LotsService,
    LotLineageService,
    LotReadService,
    LotFateService,
    LabelService,
    CalendarService,
    LotClockPolicy,
    LotClockService,
    LotResolver,
  ],
  exports: [LotLedger, LotFactsService, LotReadService, LotClockService, CalendarService, LabelService],
})
export class LotsModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
    private readonly access: StreamAccess,
    private readonly read: LotReadService,
  ) {}

  onModuleInit(): void {
    this.registry.register(LOT_STREAM, LOT_EVENT_TYPES);
    this.ledger.projections.register(lotProjection);
    this.access.register(LOT_STREAM, async (streamId) => {
      const lotId = streamId.replace(/^lot-/, '');
      return (await this.read.row(lotId)) ? this.read.scope(lotId) : null;
    });
  }
}
