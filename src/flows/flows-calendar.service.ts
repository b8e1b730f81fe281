import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PoolSql, type Sql } from '../database/sql';
import { counterStreamId } from '../ledger/counters';
import { capacityCounterId } from '../licences/domain/capacity.policy';
import { ManagementClassService } from '../parties/management-class.service';
import { Clock } from '../shared/clock';
import { shanghaiDate, shanghaiDayEnd, shanghaiDayStart } from '../shared/domain/time';
import { filingStatus, type FilingStatus } from './domain/declaration';
import type { LicenceItemUse } from './domain/declaration-figures';
import {
  annualOperationReport,
  declarationPeriods,
  type DeclarationKind,
  managementPlanDeadline,
  type ManagementClass,
  type ReportingPeriod,
} from './domain/reporting-periods';
import { type FlowSite, PRODUCER_TYPES } from './flows-access.service';
import { LedgerBookService } from './ledger-book.service';

/** One filing a site owes for a year: its plan, or a declaration. */
export interface FilingObligation {
  kind: 'PLAN' | DeclarationKind;
  /** `2026` (plan, annual, operation report), `2026-03`, `2026-Q1`. */
  period: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  dueAt: Date;
  status: FilingStatus;
  /** Record time of the filing (plan) or of the first submission (declaration). */
  filedAt: Date | null;
  /** The plan's filing number (null for declarations). */
  reference: string | null;
  /** Revisions of the plan, or submissions of the declaration (corrections included). */
  submissions: number;
}

export interface FilingObligations {
  siteId: string;
  partyId: string;
  year: number;
  managementClass: ManagementClass;
  /** When the site's ledger starts: its go-live import, else its party's registration. */
  ledgerStartsAt: Date;
  obligations: FilingObligation[];
}

/** A licence `l` names site $1 as a facility and is valid at some time from $2 to $3 (dates). */
const NAMES_SITE_IN_PERIOD = `$1 = ANY(l.facility_site_ids) AND l.valid_from <= $3::date AND l.valid_to >= $2::date`;

/**
 * The calendar of a site's filings: when its ledger starts, the generated amount per full year
 * (for its management class), and the plans and declarations it owes for a year with where each
 * stands. A period that ended before the site's ledger started is not owed. Producer sites owe
 * plans and declarations by management class; sites named on a licence in force during a year owe
 * that year's annual operation report (持证单位年报).
 */
@Injectable()
export class FlowsCalendar {
  private readonly pool: Sql;

  constructor(
    private readonly db: DataSource,
    private readonly books: LedgerBookService,
    private readonly classes: ManagementClassService,
    private readonly clock: Clock,
  ) {
    this.pool = new PoolSql(db);
  }

  /**
   * 持证单位 — the items of every licence naming `siteId` as a facility and valid at some time in
   * period `p`, each with the accepted mass settled on it in the period's year (the item's capacity
   * counter: reservations are not use). Read in `sql`'s transaction when given.
   */
  async licenceItems(siteId: string, p: ReportingPeriod, sql: Sql = this.pool): Promise<LicenceItemUse[]> {
    const items = await sql.rows<{
      licence_id: string;
      number: string;
      kind: string;
      valid_from: string;
      valid_to: string;
      item_id: string;
      scope: string;
      modes: string[];
      capacity: string;
    }>(
      `SELECT l.licence_id, l.number, l.kind, l.valid_from::text AS valid_from, l.valid_to::text AS valid_to,
              i.item_id, i.scope, i.modes, i.annual_capacity_grams AS capacity
         FROM licence l JOIN licence_item i ON i.licence_id = l.licence_id WHERE ${NAMES_SITE_IN_PERIOD}`,
      [siteId, p.periodStart, p.periodEnd],
    );
    if (items.length === 0) return [];
    const year = Number(p.periodStart.slice(0, 4));
    const streamOf = (itemId: string) => counterStreamId(capacityCounterId(itemId, year));
    const settled = await sql.rows<{ stream_id: string; grams: string }>(
      `SELECT stream_id, sum((payload->>'delta')::bigint) AS grams FROM ledger_event
        WHERE stream_id = ANY($1) AND payload->>'reason' = 'SETTLED' GROUP BY stream_id`,
      [items.map((i) => streamOf(i.item_id))],
    );
    const byStream = new Map(settled.map((r) => [r.stream_id, Number(r.grams)]));
    return items.map((i) => ({
      licenceId: i.licence_id,
      licenceNumber: i.number,
      licenceKind: i.kind,
      validFrom: i.valid_from,
      validTo: i.valid_to,
      itemId: i.item_id,
      scope: i.scope,
      modes: i.modes,
      capacityGrams: Number(i.capacity),
      settledGrams: byStream.get(streamOf(i.item_id)) ?? 0,
    }));
  }

  /** Whether a licence names `siteId` as a facility at some time in `year`. */
  async isLicenceHolder(siteId: string, year: number): Promise<boolean> {
    const [r] = await this.db.query<{ held: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM licence l WHERE ${NAMES_SITE_IN_PERIOD}) AS held`,
      [siteId, `${year}-01-01`, `${year}-12-31`],
    );
    return r?.held ?? false;
  }

  /** The go-live instant of a site that imported, else null. */
  async goLiveAt(siteId: string): Promise<Date | null> {
    const [r] = await this.db.query<{ go_live_at: Date }[]>(
      `SELECT go_live_at FROM flow_site WHERE site_id = $1`,
      [siteId],
    );
    return r?.go_live_at ?? null;
  }

  async siteStart(site: Pick<FlowSite, 'siteId' | 'registeredAt'>): Promise<Date> {
    return (await this.goLiveAt(site.siteId)) ?? site.registeredAt;
  }

  /**
   * 年产生量 per calendar year for `years`, as the management class needs them (HJ 1259-2022 §4.2.3):
   * a year the go-live import reported; else a year the ledger holds in full (the site's ledger had
   * started by 1 January and the year is over), with what the book says was generated. Years the
   * ledger holds only in part are left out, so that the declared expected amount applies.
   */
  async annualAmounts(siteId: string, years: readonly number[]): Promise<Record<number, number>> {
    const [site] = await this.db.query<{ registered_at: Date }[]>(
      `SELECT p.registered_at FROM party_site s JOIN party p ON p.party_id = s.party_id WHERE s.site_id = $1`,
      [siteId],
    );
    if (!site) return {};
    const start = await this.siteStart({ siteId, registeredAt: site.registered_at });
    const now = this.clock.now();
    const imported = await this.db.query<{ year: number; grams: string }[]>(
      `SELECT year, grams FROM flow_site_year_amount WHERE site_id = $1 AND year = ANY($2)`,
      [siteId, [...years]],
    );
    const out: Record<number, number> = {};
    const full = years.filter(
      (y) => start <= shanghaiDayStart(`${y}-01-01`) && shanghaiDayEnd(`${y}-12-31`) <= now,
    );
    if (full.length > 0) {
      const generated = await this.books.generatedByYear(siteId);
      for (const y of full) out[y] = generated.get(y) ?? 0;
    }
    for (const r of imported) out[r.year] = Number(r.grams);
    return out;
  }

  /** The plan and declarations a site owes for `year`, and where each stands at `now`. */
  async obligations(site: FlowSite, year: number, now = this.clock.now()): Promise<FilingObligations> {
    const managementClass = (await this.classes.forSite(site.siteId, year))
      .managementClass as ManagementClass;
    const start = await this.siteStart(site);
    const producer = site.partyTypes.some((t) => PRODUCER_TYPES.includes(t));
    const plan = managementPlanDeadline(year);
    const [filed] = await this.db.query<
      { filed_recorded_at: Date; filing_number: string; revision: number }[]
    >(
      `SELECT filed_recorded_at, filing_number, revision FROM management_plan WHERE site_id = $1 AND year = $2`,
      [site.siteId, year],
    );
    const planOwed = producer && start < plan.dueAt;
    const obligations: FilingObligation[] = [
      {
        kind: 'PLAN',
        period: String(year),
        periodStart: `${year}-01-01`,
        periodEnd: `${year}-12-31`,
        dueDate: plan.dueDate,
        dueAt: plan.dueAt,
        status: filed
          ? filingStatus(
              { dueAt: plan.dueAt, periodEndsAt: shanghaiDayStart(`${year}-01-01`) },
              now,
              filed.filed_recorded_at,
              true,
            )
          : filingStatus(
              { dueAt: plan.dueAt, periodEndsAt: shanghaiDayStart(`${year}-01-01`) },
              now,
              null,
              planOwed,
            ),
        filedAt: filed?.filed_recorded_at ?? null,
        reference: filed?.filing_number ?? null,
        submissions: filed ? filed.revision : 0,
      },
    ];
    const submitted = await this.db.query<{ kind: string; period: string; first: Date; n: number }[]>(
      `SELECT kind, period, min(submitted_at) AS first, count(*)::int AS n FROM declaration_submission
        WHERE site_id = $1 AND period LIKE $2 GROUP BY kind, period`,
      [site.siteId, `${year}%`],
    );
    const licensed = await this.isLicenceHolder(site.siteId, year);
    const periods = [
      ...declarationPeriods(managementClass, year).map((p) => ({ p, owed: producer })),
      { p: annualOperationReport(year), owed: licensed },
    ];
    for (const { p, owed: kindOwed } of periods) {
      const s = submitted.find((x) => x.kind === p.kind && x.period === p.label);
      if (p.kind === 'OPERATION_REPORT' && !kindOwed && !s) continue;
      const owed = kindOwed && shanghaiDayEnd(p.periodEnd) > start;
      obligations.push({
        kind: p.kind,
        period: p.label,
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        dueDate: p.dueDate,
        dueAt: p.dueAt,
        status: filingStatus(
          { dueAt: p.dueAt, periodEndsAt: shanghaiDayEnd(p.periodEnd) },
          now,
          s?.first ?? null,
          owed || !!s,
        ),
        filedAt: s?.first ?? null,
        reference: null,
        submissions: s?.n ?? 0,
      });
    }
    return {
      siteId: site.siteId,
      partyId: site.partyId,
      year,
      managementClass,
      ledgerStartsAt: start,
      obligations,
    };
  }

  /** Today's year in Asia/Shanghai. */
  currentYear(now = this.clock.now()): number {
    return Number(shanghaiDate(now).slice(0, 4));
  }
}
