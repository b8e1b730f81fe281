import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALERT_STREAM_TYPE } from '../ledger/alerts/alert';
import { LedgerService } from '../ledger/ledger.service';
import { notFound } from '../shared/auth/access-policy';
import { isRegulator, type Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import { mayView, ScopeSql, viewerOf } from './jurisdiction';

export interface AlertView {
  id: string;
  rule: string;
  subjectType: string;
  subjectId: string;
  period: string;
  severity: string;
  region: string | null;
  evidence: unknown;
  raisedAt: Date;
  position: number;
  status: string;
  acknowledgedAt: Date | null;
  acknowledgementNote: string | null;
  partyIds: string[];
}

export interface AlertFilter {
  rule?: string;
  severity?: string;
  status?: string;
  regionPrefix?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
}

const COLUMNS = `alert_id AS id, rule, subject_type AS "subjectType", subject_id AS "subjectId", period, severity, region, evidence,
  raised_at AS "raisedAt", raised_position::int AS position, status, acknowledged_at AS "acknowledgedAt",
  acknowledgement_note AS "acknowledgementNote", party_ids AS "partyIds"`;

/**
 * 预警 — alerts, as raised through the ledger: listed and filtered for regulators within their
 * jurisdiction (and for the parties an alert names), acknowledged by regulators with a note.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
  ) {}

  /** Scope (`jurisdiction.ts`): a regulator sees alerts of its jurisdiction; a party those naming it; the system admin all. */
  private scope(who: Principal, params: unknown[]): string {
    return new ScopeSql(viewerOf(who), params).alert();
  }

  async list(
    who: Principal,
    f: AlertFilter,
    first = DEFAULT_PAGE_SIZE,
    after?: string,
  ): Promise<Page<AlertView>> {
    const params: unknown[] = [];
    const where = [this.scope(who, params)];
    if (f.rule) where.push(`rule = $${params.push(f.rule)}`);
    if (f.severity) where.push(`severity = $${params.push(f.severity)}`);
    if (f.status) where.push(`status = $${params.push(f.status)}`);
    if (f.regionPrefix) where.push(`region LIKE $${params.push(`${f.regionPrefix}%`)}`);
    if (f.subjectType) where.push(`subject_type = $${params.push(f.subjectType)}`);
    if (f.subjectId) where.push(`subject_id = $${params.push(f.subjectId)}`);
    if (f.from) where.push(`raised_at >= $${params.push(f.from)}`);
    if (f.to) where.push(`raised_at < $${params.push(f.to)}`);
    const cond = where.join(' AND ');
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_alert WHERE ${cond}`,
      params,
    );
    const page = after ? ` AND raised_position < $${params.push(Number(decodeCursor(after, 1)[0]))}` : '';
    const rows = await this.db.query<AlertView[]>(
      `SELECT ${COLUMNS} FROM ledger_alert WHERE ${cond}${page} ORDER BY raised_position DESC LIMIT ${first + 1}`,
      params,
    );
    return toPage(rows, first, n, (a) => [a.position]);
  }

  async get(alertId: string): Promise<AlertView | undefined> {
    return (
      await this.db.query<AlertView[]>(`SELECT ${COLUMNS} FROM ledger_alert WHERE alert_id = $1`, [alertId])
    )[0];
  }

  /** The alert if the caller may see it (parties named on it, regulators of its region). */
  async visible(who: Principal, alertId: string): Promise<AlertView> {
    const a = await this.get(alertId);
    if (!a || !mayView(who, { partyIds: a.partyIds, divisionCodes: a.region ? [a.region] : [] }))
      throw notFound('alert');
    return a;
  }

  async acknowledge(
    who: Principal,
    idempotencyKey: string,
    alertId: string,
    note: string,
  ): Promise<AlertView> {
    if (!isRegulator(who)) throw new DomainError('FORBIDDEN', 'regulators acknowledge alerts');
    const alert = await this.visible(who, alertId);
    await this.ledger.execute(
      { act: 'acknowledgeAlert', actor: who.actor, idempotencyKey, request: { alertId, note } },
      async (tx) => {
        const s = await tx.readStream(alertId);
        if (s.events.some((e) => e.type === 'AlertAcknowledged')) {
          throw new DomainError('INVALID_TRANSITION', 'alert already acknowledged', {
            currentState: 'ACKNOWLEDGED',
          });
        }
        await tx.append(alertId, ALERT_STREAM_TYPE, s.version, [
          { type: 'AlertAcknowledged', data: { alertId: alert.id, note } },
        ]);
      },
    );
    return (await this.get(alertId))!;
  }
}
