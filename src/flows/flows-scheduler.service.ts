import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlertInput } from '../ledger/alerts/alert';
import { LedgerService } from '../ledger/ledger.service';
import { FlowsAccess, PRODUCER_TYPES } from './flows-access.service';
import { FlowsCalendar } from './flows-calendar.service';

/** The alert rules of overdue filings (SPEC section 10). */
export const PLAN_OVERDUE = 'PLAN_OVERDUE';
export const DECLARATION_OVERDUE = 'DECLARATION_OVERDUE';

export interface FlowsRun {
  readonly sitesEvaluated: number;
  readonly alertIds: readonly string[];
  readonly raised: number;
}

const SYSTEM_ACTOR = { kind: 'SYSTEM' as const, name: 'flows-scheduler' };

/**
 * 逾期 — looks for overdue management plans and declarations of every verified producer site, and
 * for overdue annual operation reports (持证单位年报) of every verified site named on a licence
 * (this year's and last year's), and raises `PLAN_OVERDUE` (period `<year>`) and
 * `DECLARATION_OVERDUE` (period `<kind>:<period>`) through the ledger: each alert has a
 * deterministic identity, so a rerun, or two processes, raise it once. Only what is still not
 * filed is alerted; the unit and its regulator see it (`alerts`, `overdueFilings`).
 * `runOnce(now)` is the unit the oversight scheduler (`OversightScheduler`, every
 * OVERSIGHT_SCHEDULE_SECONDS) or a test calls.
 */
@Injectable()
export class FlowsScheduler {
  constructor(
    private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly access: FlowsAccess,
    private readonly calendar: FlowsCalendar,
  ) {}

  /** Evaluates every verified producer or licensed site at `now` and raises the overdue alerts due. */
  async runOnce(now: Date): Promise<FlowsRun> {
    const sites = await this.db.query<{ site_id: string }[]>(
      `SELECT s.site_id FROM party_site s JOIN party p ON p.party_id = s.party_id
        WHERE p.status = 'VERIFIED'
          AND (p.types && $1::text[] OR EXISTS (SELECT 1 FROM licence l WHERE s.site_id = ANY(l.facility_site_ids)))
        ORDER BY s.site_id`,
      [PRODUCER_TYPES],
    );
    const year = this.calendar.currentYear(now);
    const alerts: AlertInput[] = [];
    for (const { site_id } of sites) {
      const site = (await this.access.site(site_id))!;
      for (const y of [year - 1, year]) {
        const o = await this.calendar.obligations(site, y, now);
        for (const f of o.obligations) {
          if (f.status !== 'OVERDUE') continue;
          const plan = f.kind === 'PLAN';
          alerts.push({
            rule: plan ? PLAN_OVERDUE : DECLARATION_OVERDUE,
            subjectType: 'SITE',
            subjectId: site.siteId,
            period: plan ? f.period : `${f.kind}:${f.period}`,
            severity: 'WARNING',
            region: site.divisionCode,
            evidence: {
              kind: f.kind,
              period: f.period,
              dueDate: f.dueDate,
              managementClass: o.managementClass,
              partyName: site.partyName,
            },
            partyIds: [site.partyId],
          });
        }
      }
    }
    if (alerts.length === 0) return { sitesEvaluated: sites.length, alertIds: [], raised: 0 };
    return this.ledger.execute({ act: 'evaluateOverdueFilings', actor: SYSTEM_ACTOR }, async (tx) => {
      const ids: string[] = [];
      let raised = 0;
      for (const a of alerts) {
        const r = await tx.raiseAlert(a);
        ids.push(r.alertId);
        if (r.raised) raised += 1;
      }
      return { sitesEvaluated: sites.length, alertIds: ids, raised };
    });
  }
}
