import { ManifestAutoClose } from './manifest-auto-close.service';
import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EventRegistry } from '../ledger/event-registry';
import { LedgerService } from '../ledger/ledger.service';
import { StreamAccess } from '../ledger/stream-access';
import { LotsModule } from '../lots/lots.module';
import { PartiesModule } from '../parties/parties.module';
import { CollectionRoundsService } from './collection-rounds.service';
import { ManifestResolver } from './graphql/manifest.resolver';
import { HandoverCodeService } from './handover-code.service';
import { ManifestAccess } from './manifest-access';
import { ManifestContentService } from './manifest-content.service';
import { ManifestCustodyService } from './manifest-custody.service';
import { ManifestDraftingService } from './manifest-drafting.service';
import { ManifestFactsService } from './manifest-facts.service';
import { ManifestLedger } from './manifest-ledger';
import { ManifestPlanCheck } from './manifest-plan-check';
import { ManifestReadService } from './manifest-read.service';
import { ManifestReceiptService } from './manifest-receipt.service';
import { ManifestRecordsService } from './manifest-records.service';
import { ManifestReservations } from './manifest-reservations';
import {
  COLLECTION_ROUND_EVENT_TYPES,
  MANIFEST_EVENT_TYPES,
  MANIFEST_STREAM,
  manifestIdOfStream,
  ROUND_STREAM,
} from './manifest-streams';
import { ManifestTurnService } from './manifest-turn.service';
import { OfflineScanService } from './offline-scans.service';
import { collectionRoundProjection } from './projections/collection-round.projection';
import { manifestProjection } from './projections/manifest.projection';

/**
 * 电子转移联单 — transfer manifests: drafting and submission with every check, one-time handover
 * codes, custody acts online and offline, relay legs, receipt with discrepancies, closing,
 * cancellation, corrections, paper fallback, collection rounds and the driver's assignments.
 * Writes the lots it moves through `LotLedger` in the same ledger transaction as the manifest.
 */
@Module({
  imports: [CatalogueModule, PartiesModule, LotsModule],
  providers: [
    ManifestLedger,
    ManifestFactsService,
    ManifestContentService,
    ManifestAccess,
    ManifestReservations,
    HandoverCodeService,
    ManifestPlanCheck,
    ManifestDraftingService,
    ManifestCustodyService,
    ManifestReceiptService,
    ManifestAutoClose,
    ManifestRecordsService,
    OfflineScanService,
    CollectionRoundsService,
    ManifestReadService,
    ManifestTurnService,
    ManifestResolver,
  ],
  exports: [ManifestReadService, ManifestAccess],
})
export class ManifestsModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
    private readonly access: StreamAccess,
    private readonly manifests: ManifestAccess,
  ) {}

  onModuleInit(): void {
    this.registry.register(MANIFEST_STREAM, MANIFEST_EVENT_TYPES);
    this.registry.register(ROUND_STREAM, COLLECTION_ROUND_EVENT_TYPES);
    this.ledger.projections.register(manifestProjection);
    this.ledger.projections.register(collectionRoundProjection);
    this.access.register(MANIFEST_STREAM, (streamId) => this.manifests.scope(manifestIdOfStream(streamId)));
    this.access.register(ROUND_STREAM, (streamId) =>
      this.manifests.roundScope(streamId.replace(/^round-/, '')),
    );
  }
}
