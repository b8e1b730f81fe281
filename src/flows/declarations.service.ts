import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PoolSql, type Sql } from '../database/sql';
import { LedgerService } from '../ledger/ledger.service';
import { ManagementClassService } from '../parties/management-class.service';
import type { Principal } from '../shared/auth/principal';
import { Clock } from '../shared/clock';
import { DomainError, isDomainError } from '../shared/domain/domain-error';
import { shanghaiDayEnd, shanghaiDayStart } from '../shared/domain/time';
import {
  decideSubmission,
  evolveDeclaration,
  filingStatus,
  type FilingStatus,
  initialDeclarationState,
  periodOfLabel,
} from './domain/declaration';
import {
  declarationFigures,
  type DeclarationFigures,
  figureDifferences,
  figuresHash,
  type FigureDifference,
} from './domain/declaration-figures';
import type { DeclarationSubmitted } from './domain/flows.events';
import {
  classFiles,
  type DeclarationKind,
  type ManagementClass,
  type ReportingPeriod,
} from './domain/reporting-periods';
import { FlowsAccess, type FlowSite, PRODUCER_TYPES } from './flows-access.service';
import { DECLARATION_SCOPE, DECLARATION_STREAM, declarationStream } from './flows-streams';
import { FlowsCalendar } from './flows-calendar.service';
import { LedgerBookService } from './ledger-book.service';

export interface SubmissionView {
  submissionNo: number;
  correctsSubmissionNo: number | null;
  reason: string | null;
  figures: DeclarationFigures;
  figuresHash: string;
  late: boolean;
  submittedAt: Date;
  partyId: string;
  agentPartyId: string | null;
}

export interface DeclarationView {
  siteId: string;
  partyId: string;
  kind: DeclarationKind;
  period: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  dueAt: Date;
  managementClass: ManagementClass;
  /**
   * The site's class files this kind for the year (for OPERATION_REPORT: a licence names the site in
   * the year), and the period is not before the site joined.
   */
  owed: boolean;
  status: FilingStatus;
  /** Generated from the ledger now. */
  figures: DeclarationFigures;
  figuresHash: string;
  submissions: SubmissionView[];
  /** What the ledger says now against the latest submission: back-dated events show here, to review. */
  differences: FigureDifference[];
}

interface SubmissionRow {
  submission_no: number;
  corrects_submission_no: number | null;
  reason: string | null;
  figures: DeclarationFigures;
  figures_hash: string;
  late: boolean;
  submitted_at: Date;
  party_id: string;
  agent_party_id: string | null;
}

/**
 * 申报 — declarations generated from the ledger book, reviewed and submitted (SPEC section 9.3).
 * The figures are a pure function of the book's balances and movements in the period
 * (`declaration-figures.ts`); submission freezes them with their hash as a ledger event; a
 * correction is a later submission that cites the first. Submitted figures never change: what
 * the ledger learns later (a back-dated act, a manifest correction) shows as differences.
 */
@Injectable()
export class DeclarationsService {
  private readonly pool: Sql;

  constructor(
    db: DataSource,
    private readonly ledger: LedgerService,
    private readonly access: FlowsAccess,
    private readonly books: LedgerBookService,
    private readonly classes: ManagementClassService,
    private readonly calendar: FlowsCalendar,
    private readonly clock: Clock,
  ) {
    this.pool = new PoolSql(db);
  }

  /** The figures of a site for a period, from the ledger book as it stands (in `sql`'s transaction when given). */
  async figures(siteId: string, p: ReportingPeriod, sql: Sql = this.pool): Promise<DeclarationFigures> {
    const start = shanghaiDayStart(p.periodStart);
    const end = shanghaiDayEnd(p.periodEnd);
    const [balances, moves] = [
      await this.books.balanceRows(siteId, start, end, sql),
      await this.books.movements(siteId, start, end, sql),
    ];
    const licenceItems =
      p.kind === 'OPERATION_REPORT' ? await this.calendar.licenceItems(siteId, p, sql) : undefined;
    return declarationFigures(
      { siteId, kind: p.kind, period: p.label, periodStart: p.periodStart, periodEnd: p.periodEnd },
      balances,
      moves,
      licenceItems,
    );
  }

  private async submissions(
    siteId: string,
    p: ReportingPeriod,
    sql: Sql = this.pool,
  ): Promise<SubmissionView[]> {
    const rows = await sql.rows<SubmissionRow>(
      `SELECT submission_no, corrects_submission_no, reason, figures, figures_hash, late, submitted_at, party_id, agent_party_id
         FROM declaration_submission WHERE site_id = $1 AND kind = $2 AND period = $3 ORDER BY submission_no`,
      [siteId, p.kind, p.label],
    );
    return rows.map((r) => ({
      submissionNo: r.submission_no,
      correctsSubmissionNo: r.corrects_submission_no,
      reason: r.reason,
      figures: r.figures,
      figuresHash: r.figures_hash,
      late: r.late,
      submittedAt: r.submitted_at,
      partyId: r.party_id,
      agentPartyId: r.agent_party_id,
    }));
  }

  private async managementClass(siteId: string, year: number): Promise<ManagementClass> {
    return (await this.classes.forSite(siteId, year)).managementClass as ManagementClass;
  }

  async view(who: Principal, siteId: string, kind: DeclarationKind, label: string): Promise<DeclarationView> {
    const p = this.period(kind, label);
    const site = await this.access.readable(who, siteId, this.clock.now());
    return this.viewOf(site, p);
  }

  async viewOf(site: FlowSite, p: ReportingPeriod): Promise<DeclarationView> {
    const now = this.clock.now();
    const managementClass = await this.managementClass(site.siteId, Number(p.periodStart.slice(0, 4)));
    const start = await this.calendar.siteStart(site);
    const figures = await this.figures(site.siteId, p);
    const kindOwed =
      p.kind === 'OPERATION_REPORT'
        ? (figures.licences ?? []).length > 0
        : site.partyTypes.some((t) => PRODUCER_TYPES.includes(t)) && classFiles(managementClass, p.kind);
    const owed = kindOwed && shanghaiDayEnd(p.periodEnd) > start;
    const submissions = await this.submissions(site.siteId, p);
    const last = submissions.at(-1);
    return {
      siteId: site.siteId,
      partyId: site.partyId,
      kind: p.kind,
      period: p.label,
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      dueDate: p.dueDate,
      dueAt: p.dueAt,
      managementClass,
      owed,
      status: filingStatus(
        { dueAt: p.dueAt, periodEndsAt: shanghaiDayEnd(p.periodEnd) },
        now,
        submissions[0]?.submittedAt ?? null,
        owed,
      ),
      figures,
      figuresHash: figuresHash(figures),
      submissions,
      differences: last ? figureDifferences(last.figures, figures) : [],
    };
  }

  private period(kind: DeclarationKind, label: string): ReportingPeriod {
    try {
      return periodOfLabel(kind, label, 'period');
    } catch (e) {
      if (isDomainError(e)) throw DomainError.badInput('period', e.message);
      throw e;
    }
  }

  /**
   * 申报提交 — freezes the figures the unit reviewed (`figuresHash`): refused with CONFLICT when the
   * ledger changed since; a second submission is a correction and needs a reason.
   */
  async submit(
    who: Principal,
    input: {
      idempotencyKey: string;
      siteId: string;
      kind: DeclarationKind;
      period: string;
      figuresHash: string;
      reason?: string | null;
      onBehalfOfPartyId?: string;
    },
  ): Promise<{ siteId: string; kind: DeclarationKind; period: string; submissionNo: number }> {
    const now = this.clock.now();
    const p = this.period(input.kind, input.period);
    const { site, acting } = await this.access.acting(
      who,
      input.siteId,
      input.onBehalfOfPartyId,
      DECLARATION_SCOPE,
      now,
    );
    const managementClass = await this.managementClass(site.siteId, Number(p.periodStart.slice(0, 4)));
    return this.ledger.execute(
      {
        act: 'submitDeclaration',
        actor: acting.actor,
        idempotencyKey: input.idempotencyKey,
        request: JSON.parse(JSON.stringify(input)),
      },
      async (tx) => {
        const stream = declarationStream(site.siteId, p.label, p.kind);
        const snap = await tx.readStream(stream);
        const state = snap.events.reduce(
          (s, e) =>
            evolveDeclaration(s, {
              type: 'DeclarationSubmitted',
              data: e.data,
            } as unknown as DeclarationSubmitted),
          initialDeclarationState(),
        );
        const figures = await this.figures(site.siteId, p, tx.sql);
        const events = (() => {
          try {
            return decideSubmission(
              {
                type: 'SubmitDeclaration',
                data: {
                  siteId: site.siteId,
                  partyId: site.partyId,
                  managementClass,
                  licenceHolder: (figures.licences ?? []).length > 0,
                  period: p,
                  figures,
                  figuresHash: figuresHash(figures),
                  reviewedHash: input.figuresHash,
                  reason: input.reason ?? null,
                },
                meta: tx.meta(),
              },
              state,
            );
          } catch (e) {
            if (isDomainError(e) && typeof e.details.field === 'string')
              throw new DomainError(e.code, e.message, { ...e.details, field: `input.${e.details.field}` });
            throw e;
          }
        })();
        await tx.append(stream, DECLARATION_STREAM, snap.version, events);
        return {
          siteId: site.siteId,
          kind: p.kind,
          period: p.label,
          submissionNo: events[0].data.submissionNo,
        };
      },
    );
  }
}
