import { Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALERT_RAISED_TOPIC } from '../ledger/alerts/alert';
import { PgNotifyEmitter } from '../shared/graphql/pg-notify-emitter';
import { AlertsService } from './alerts.service';
import { AlertsResolver } from './graphql/alerts.resolver';

/** 监管 — the regulator workspace: alerts (and, as they land, custody chains, search and statistics). */
@Module({ providers: [AlertsService, AlertsResolver], exports: [AlertsService] })
export class OversightModule implements OnModuleInit {
  private lastPosition = 0;

  constructor(
    private readonly emitter: PgNotifyEmitter,
    private readonly db: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const [r] = await this.db.query<{ p: number | null }[]>(
      `SELECT max(raised_position)::int AS p FROM ledger_alert`,
    );
    this.lastPosition = r?.p ?? 0;
    // after a lost LISTEN connection, replay the alerts raised meanwhile
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
    this.emitter.on(ALERT_RAISED_TOPIC, (m, done) => {
      const position = Number((m.payload as { position?: unknown } | undefined)?.position ?? 0);
      if (position > this.lastPosition) this.lastPosition = position;
      done();
    });
  }
}
