import { Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ALERT_RAISED_TOPIC } from '../ledger/alerts/alert';
import { LedgerService } from '../ledger/ledger.service';
import { LotsModule } from '../lots/lots.module';
import { PgNotifyEmitter } from '../shared/graphql/pg-notify-emitter';
import { AlertsService } from './alerts.service';
import { CustodyChainService } from './custody-chain.service';
import { AlertsResolver } from './graphql/alerts.resolver';
import { CustodyChainResolver } from './graphql/custody-chain.resolver';
import { ManifestStatusResolver } from './graphql/manifest-status.resolver';
import { SearchResolver } from './graphql/search.resolver';
import { StatisticsResolver } from './graphql/statistics.resolver';
import {
  MANIFEST_SCOPE_SQL,
  MANIFEST_STATUS_CHANGED_TOPIC,
  manifestStatusNotifier,
  STATUS_AFTER,
  statusNotice,
} from './manifest-status.notifier';
import { OversightRulesService } from './oversight-rules.service';
import { OversightScheduler } from './oversight-scheduler';
import { SearchService } from './search.service';
import { StatisticsService } from './statistics.service';

/**
 * 监管 — the regulator workspace: custody chains, searches, statistics, alerts (listing,
 * acknowledgement, live) with the rules it owns and the scheduler that runs every capability's
 * time-based rules, and live manifest status changes. Jurisdiction is decided in one place,
 * `jurisdiction.ts`.
 */
@Module({
  imports: [DiscoveryModule, LotsModule],
  providers: [
    AlertsService,
    AlertsResolver,
    CustodyChainService,
    CustodyChainResolver,
    SearchService,
    SearchResolver,
    StatisticsService,
    StatisticsResolver,
    OversightRulesService,
    OversightScheduler,
    ManifestStatusResolver,
  ],
  exports: [AlertsService, CustodyChainService, SearchService, StatisticsService, OversightScheduler],
})
export class OversightModule implements OnModuleInit, OnApplicationBootstrap {
  private lastPosition = 0;
  private lastStatusPosition = 0;

  constructor(
    private readonly emitter: PgNotifyEmitter,
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
  ) {}

  /** After every module's projections: the status notifier reads the manifest read model, so it runs after it. */
  onApplicationBootstrap(): void {
    this.ledger.projections.register(manifestStatusNotifier);
  }

  async onModuleInit(): Promise<void> {
    const [r] = await this.db.query<{ p: number | null; s: number | null }[]>(
      `SELECT (SELECT max(raised_position) FROM ledger_alert)::int AS p,
              (SELECT max(position) FROM ledger_event WHERE stream_type = 'manifest')::int AS s`,
    );
    this.lastPosition = r?.p ?? 0;
    this.lastStatusPosition = r?.s ?? 0;
    // after a lost LISTEN connection, replay the alerts raised and the manifest statuses changed meanwhile
    this.emitter.onReconnect(async (emit) => {
      const rows = await this.db.query<
        { alert_id: string; region: string | null; party_ids: string[]; p: number }[]
      >(
        `SELECT alert_id, region, party_ids, raised_position::int AS p FROM ledger_alert WHERE raised_position > $1 ORDER BY raised_position`,
        [this.lastPosition],
      );
      for (const a of rows) {
        emit({
          topic: ALERT_RAISED_TOPIC,
          payload: { alertId: a.alert_id, position: a.p, region: a.region, partyIds: a.party_ids },
        });
      }
    });
    this.emitter.onReconnect(async (emit) => {
      const events = await this.db.query<
        { stream_id: string; event_type: string; position: string; occurred_at: Date }[]
      >(
        `SELECT stream_id, event_type, position, occurred_at FROM ledger_event
          WHERE event_type = ANY($1) AND position > $2 AND stream_type = 'manifest' ORDER BY position`,
        [Object.keys(STATUS_AFTER), this.lastStatusPosition],
      );
      for (const e of events) {
        const [m] = await this.db.query<Parameters<typeof statusNotice>[1][]>(MANIFEST_SCOPE_SQL, [
          e.stream_id.replace(/^manifest-/, ''),
        ]);
        if (!m) continue;
        const notice = statusNotice(
          {
            streamId: e.stream_id,
            type: e.event_type,
            position: Number(e.position),
            occurredAt: e.occurred_at,
          },
          m,
        );
        emit({ topic: MANIFEST_STATUS_CHANGED_TOPIC, payload: notice });
      }
    });
    this.emitter.on(ALERT_RAISED_TOPIC, (m, done) => {
      const position = Number((m.payload as { position?: unknown } | undefined)?.position ?? 0);
      if (position > this.lastPosition) this.lastPosition = position;
      done();
    });
    this.emitter.on(MANIFEST_STATUS_CHANGED_TOPIC, (m, done) => {
      const position = Number((m.payload as { position?: unknown } | undefined)?.position ?? 0);
      if (position > this.lastStatusPosition) this.lastStatusPosition = position;
      done();
    });
  }
}
