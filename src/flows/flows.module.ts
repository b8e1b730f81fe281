import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EventRegistry } from '../ledger/event-registry';
import { LedgerService } from '../ledger/ledger.service';
import { StreamAccess } from '../ledger/stream-access';
import { LotsModule } from '../lots/lots.module';
import { ManifestPlanCheck } from '../manifests/manifest-plan-check';
import { ManagementClassService } from '../parties/management-class.service';
import { PartiesModule } from '../parties/parties.module';
import { DeclarationsService } from './declarations.service';
import { FilingsService } from './filings.service';
import { FlowsAccess } from './flows-access.service';
import { FlowsCalendar } from './flows-calendar.service';
import { FlowsScheduler } from './flows-scheduler.service';
import {
  DECLARATION_EVENT_TYPES,
  DECLARATION_STREAM,
  GO_LIVE_EVENT_TYPES,
  GO_LIVE_STREAM,
  PLAN_EVENT_TYPES,
  PLAN_STREAM,
} from './flows-streams';
import { GoLiveService } from './go-live.service';
import { DeclarationResolver } from './graphql/declaration.resolver';
import { GoLiveResolver } from './graphql/go-live.resolver';
import { LedgerBookResolver } from './graphql/ledger-book.resolver';
import { PlanResolver } from './graphql/plan.resolver';
import { LedgerBookCsvController, LedgerBookCsvExport } from './ledger-book-csv.controller';
import { LedgerBookService } from './ledger-book.service';
import { FlowsPlanCheck } from './plan-check.service';
import { PlanReadService } from './plan-read.service';
import { PlansService } from './plans.service';
import { declarationProjection, planProjection } from './projections/filings.projection';
import { ledgerBookProjection } from './projections/ledger-book.projection';

/**
 * 多流合一 — management plans (管理计划), ledger books (管理台账), go-live imports and declarations
 * (申报), all views of the one ledger: the ledger book is a projection of the lot events, the
 * declarations are computed from it, the plans govern manifest submission (NOT_IN_PLAN) and are
 * compared with it. At start it registers its streams, projections and stream scopes, gives the
 * management class the ledger's annual amounts, and installs its plan check in the manifests'
 * submission path.
 */
@Module({
  imports: [CatalogueModule, PartiesModule, LotsModule],
  controllers: [LedgerBookCsvController],
  providers: [
    FlowsAccess,
    LedgerBookService,
    LedgerBookCsvExport,
    FlowsCalendar,
    PlansService,
    PlanReadService,
    FlowsPlanCheck,
    GoLiveService,
    DeclarationsService,
    FilingsService,
    FlowsScheduler,
    PlanResolver,
    LedgerBookResolver,
    GoLiveResolver,
    DeclarationResolver,
  ],
  exports: [LedgerBookService, FlowsPlanCheck, FlowsScheduler, DeclarationsService],
})
export class FlowsModule implements OnModuleInit {
  private readonly log = new Logger('Flows');

  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
    private readonly access: StreamAccess,
    private readonly flows: FlowsAccess,
    private readonly classes: ManagementClassService,
    private readonly calendar: FlowsCalendar,
    private readonly planCheck: FlowsPlanCheck,
    private readonly modules: ModuleRef,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(PLAN_STREAM, PLAN_EVENT_TYPES);
    this.registry.register(GO_LIVE_STREAM, GO_LIVE_EVENT_TYPES);
    this.registry.register(DECLARATION_STREAM, DECLARATION_EVENT_TYPES);
    this.ledger.projections.register(ledgerBookProjection);
    this.ledger.projections.register(planProjection);
    this.ledger.projections.register(declarationProjection);
    // a flows stream concerns the site it names (found through its read model)
    const siteOf = (table: string) => async (streamId: string) => {
      const [r] = await this.db.query<{ site_id: string }[]>(
        `SELECT site_id FROM ${table} WHERE stream_id = $1 LIMIT 1`,
        [streamId],
      );
      return this.flows.scopeOfSite(r?.site_id);
    };
    this.access.register(PLAN_STREAM, siteOf('management_plan'));
    this.access.register(GO_LIVE_STREAM, siteOf('flow_site'));
    this.access.register(DECLARATION_STREAM, siteOf('declaration_submission'));
    this.classes.useAnnualAmounts((siteId, years) => this.calendar.annualAmounts(siteId, years));
    this.installPlanCheck();
  }

  /**
   * The manifests' submission path calls `ManifestPlanCheck.check` (its documented hook, which by
   * default allows everything). Nest cannot override another module's provider from here, so the
   * hook's instance is pointed at this module's check. `ManifestsModule` may instead provide it
   * itself (`{ provide: ManifestPlanCheck, useClass: FlowsPlanCheck }`); then this finds nothing
   * to do.
   */
  private installPlanCheck(): void {
    let hook: ManifestPlanCheck | undefined;
    try {
      hook = this.modules.get(ManifestPlanCheck, { strict: false });
    } catch {
      this.log.warn(
        'no ManifestPlanCheck in this application: manifests are not checked against management plans',
      );
      return;
    }
    if (!hook || hook instanceof FlowsPlanCheck) return;
    hook.check = (query) => this.planCheck.check(query);
  }
}
