import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from './catalogue/catalogue.module';
import { Env } from './config/env';
import { dataSourceOptions } from './database/data-source';
import { DocumentsModule } from './documents/documents.module';
import { FlowsModule } from './flows/flows.module';
import { LedgerModule } from './ledger/ledger.module';
import { LicencesModule } from './licences/licences.module';
import { LotsModule } from './lots/lots.module';
import { ManifestsModule } from './manifests/manifests.module';
import { OversightModule } from './oversight/oversight.module';
import { PartiesModule } from './parties/parties.module';
import { AuthModule } from './shared/auth/auth.module';
import { SharedModule } from './shared/shared.module';
import { TelemetryModule } from './telemetry/telemetry.module';

/**
 * Configuration, database, the ledger and every capability — without HTTP or GraphQL, so that
 * command-line tools (`ledger:rebuild`) get the same projections as the API.
 */
@Module({
  imports: [
    SharedModule,
    TypeOrmModule.forRootAsync({
      inject: [Env],
      useFactory: (e: Env) =>
        dataSourceOptions(e.DATABASE_URL, e.DATABASE_POOL_SIZE, 'hazledger-api', e.DATABASE_JIT),
    }),
    AuthModule,
    LedgerModule,
    CatalogueModule,
    PartiesModule,
    OversightModule,
    LicencesModule,
    LotsModule,
    ManifestsModule,
    FlowsModule,
    TelemetryModule,
    DocumentsModule,
  ],
})
export class CoreModule {}
