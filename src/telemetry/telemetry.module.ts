import { Module, type OnModuleInit } from '@nestjs/common';
import { LedgerService } from '../ledger/ledger.service';
import { ManifestsModule } from '../manifests/manifests.module';
import { BrokerAuthController } from './broker-auth.controller';
import { BrokerAuthService } from './broker-auth.service';
import { DumpingDetector } from './dumping-detector';
import { ManifestTelemetryResolver, TelemetryResolver } from './graphql/telemetry.resolver';
import { MqttIngestionService } from './mqtt-ingestion.service';
import { tripLegProjection } from './projections/trip-leg.projection';
import { ReadingIngestionService } from './reading-ingestion.service';
import { ReadingScreen } from './reading-screen';
import { ReadingStore } from './reading-store';
import { TelemetryFacts } from './telemetry-facts.service';
import { TelemetryRulesService } from './telemetry-rules.service';
import { TrackService } from './track.service';
import { TripWatch } from './trip-watch';
import { WeighingsService } from './weighings.service';

/**
 * 运输轨迹与物联网 — vehicle tracks, weighbridges and dumping detection (危险废物转移管理办法 2021:
 * carriers record the transport track; 物联网监管 against illegal dumping and stockpiling).
 * Readings arrive by GraphQL (`submitReadings`) or MQTT, are stored outside the ledger in
 * month-partitioned tables and attached to trips; the alerts they cause go through the ledger.
 * Exports `TrackService.trackOf` (custody chains), `WeighingsService` (pickup and receipt
 * weighings for the manifests) and `TelemetryRulesService.runOnce` (the scheduler).
 */
@Module({
  imports: [ManifestsModule],
  controllers: [BrokerAuthController],
  providers: [
    TelemetryFacts,
    ReadingScreen,
    ReadingStore,
    DumpingDetector,
    TripWatch,
    WeighingsService,
    TrackService,
    TelemetryRulesService,
    ReadingIngestionService,
    MqttIngestionService,
    BrokerAuthService,
    TelemetryResolver,
    ManifestTelemetryResolver,
  ],
  exports: [
    TrackService,
    WeighingsService,
    TelemetryRulesService,
    ReadingIngestionService,
    MqttIngestionService,
  ],
})
export class TelemetryModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.projections.register(tripLegProjection);
  }
}
