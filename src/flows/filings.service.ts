import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { jurisdictionPatterns } from '../shared/auth/access-policy';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError } from '../shared/domain/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, type Page, toPage } from '../shared/graphql/pagination';
import { FlowsAccess } from './flows-access.service';
import { FlowsCalendar, type FilingObligations } from './flows-calendar.service';
import { DECLARATION_OVERDUE, PLAN_OVERDUE } from './flows-scheduler.service';

export interface OverdueFilingView {
  alertId: string;
  rule: string;
  siteId: string;
  partyId: string | null;
  kind: string;
  period: string;
  dueDate: string;
  raisedAt: Date;
  position: number;
  outstanding: boolean;
}

/**
 * What a site owes (its plan and declarations for a year, live) and the overdue filings the
 * scheduler has alerted, for the unit (and its agents) and for the regulators of its region.
 */
@Injectable()
export class FilingsService {
  constructor(
    private readonly db: DataSource,
    private readonly access: FlowsAccess,
    private readonly calendar: FlowsCalendar,
    private readonly clock: Clock,
  ) {}

  async obligations(who: Principal, siteId: string, year: number): Promise<FilingObligations> {
    if (!Number.isSafeInteger(year) || year < 2000 || year > 9998)
      throw DomainError.badInput('year', 'year: a calendar year');
    const site = await this.access.readable(who, siteId, this.clock.now());
    return this.calendar.obligations(site, year);
  }

  /**
   * Alerts PLAN_OVERDUE and DECLARATION_OVERDUE the caller may see (its party's, or its
   * jurisdiction's), newest first, each with whether it is still outstanding.
   */
  async overdue(
    who: Principal,
    opts: { first?: number; after?: string; outstandingOnly?: boolean },
  ): Promise<Page<OverdueFilingView>> {
    const params: unknown[] = [[PLAN_OVERDUE, DECLARATION_OVERDUE]];
    const where = ['a.rule = ANY($1)'];
    if (!isSystemAdmin(who)) {
      const scope: string[] = [];
      if (isRegulator(who))
        scope.push(`a.region LIKE ANY($${params.push(jurisdictionPatterns(who.agency.jurisdiction))})`);
      const party = partyOf(who);
      if (party) scope.push(`$${params.push(party)} = ANY(a.party_ids)`);
      where.push(scope.length ? `(${scope.join(' OR ')})` : 'false');
    }
    const outstanding = `NOT CASE WHEN a.rule = '${PLAN_OVERDUE}'
        THEN EXISTS (SELECT 1 FROM management_plan p WHERE p.site_id = a.subject_id AND p.year::text = a.period)
        ELSE EXISTS (SELECT 1 FROM declaration_submission d WHERE d.site_id = a.subject_id
                      AND d.kind || ':' || d.period = a.period) END`;
    if (opts.outstandingOnly) where.push(outstanding);
    const cond = where.join(' AND ');
    const [{ n }] = await this.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_alert a WHERE ${cond}`,
      params,
    );
    const first = opts.first ?? DEFAULT_PAGE_SIZE;
    const page = opts.after
      ? ` AND a.raised_position < $${params.push(Number(decodeCursor(opts.after, 1)[0]))}`
      : '';
    const rows = await this.db.query<
      {
        alert_id: string;
        rule: string;
        subject_id: string;
        party_ids: string[];
        period: string;
        evidence: { kind?: string; dueDate?: string };
        raised_at: Date;
        position: string;
        outstanding: boolean;
      }[]
    >(
      `SELECT a.alert_id, a.rule, a.subject_id, a.party_ids, a.period, a.evidence, a.raised_at, a.raised_position AS position,
              ${outstanding} AS outstanding
         FROM ledger_alert a WHERE ${cond}${page} ORDER BY a.raised_position DESC LIMIT ${first + 1}`,
      params,
    );
    const views = rows.map((r) => ({
      alertId: r.alert_id,
      rule: r.rule,
      siteId: r.subject_id,
      partyId: r.party_ids[0] ?? null,
      kind: r.evidence.kind ?? (r.rule === PLAN_OVERDUE ? 'PLAN' : r.period.split(':')[0]),
      period: r.rule === PLAN_OVERDUE ? r.period : r.period.split(':').slice(1).join(':'),
      dueDate: r.evidence.dueDate ?? '',
      raisedAt: r.raised_at,
      position: Number(r.position),
      outstanding: r.outstanding,
    }));
    return toPage(views, first, n, (v) => [v.position]);
  }
}
