import type { Cmd } from '../../shared/domain/decider';
import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDayEnd } from '../../shared/domain/time';
import type { DeclarationFigures } from './declaration-figures';
import type { DeclarationSubmitted } from './flows.events';
import {
  classFiles,
  DECLARATION_KINDS_BY_CLASS,
  isOverdue,
  periodContaining,
  type DeclarationKind,
  type ManagementClass,
  type ReportingPeriod,
} from './reporting-periods';

/**
 * 申报 — submitting a declaration (SPEC section 9.3). The figures are generated from the ledger
 * book; the unit (or its agent) reviews them and submits the hash it reviewed: if the ledger
 * changed in between, the submission is refused (CONFLICT) and the unit reviews again. Submission
 * freezes the figures with their hash; a later correction is a new submission citing the previous
 * one, with a reason. Pure.
 */

const LABELS: Readonly<Record<DeclarationKind, RegExp>> = {
  MONTHLY: /^(\d{4})-(0[1-9]|1[0-2])$/,
  QUARTERLY: /^(\d{4})-Q([1-4])$/,
  ANNUAL: /^(\d{4})$/,
  OPERATION_REPORT: /^(\d{4})$/,
};

const LABEL_EXAMPLES: Readonly<Record<DeclarationKind, string>> = {
  MONTHLY: 'a month, e.g. 2026-03',
  QUARTERLY: 'a quarter, e.g. 2026-Q1',
  ANNUAL: 'a year, e.g. 2026',
  OPERATION_REPORT: 'a year, e.g. 2026',
};

/** The reporting period of `kind` named by `label` (`2025-03`, `2025-Q1`, `2025`), or BAD_USER_INPUT on `field`. */
export function periodOfLabel(kind: DeclarationKind, label: string, field = 'period'): ReportingPeriod {
  const m = LABELS[kind]?.exec(label);
  if (!m)
    throw DomainError.badInput(
      field,
      `${field}: not a period of kind ${String(kind)} (${LABEL_EXAMPLES[kind] ?? 'a known kind'}): ${JSON.stringify(label)}`,
    );
  const month = kind === 'MONTHLY' ? Number(m[2]) : kind === 'QUARTERLY' ? Number(m[2]) * 3 - 2 : 1;
  return periodContaining(kind, `${m[1]}-${String(month).padStart(2, '0')}-01`);
}

/** The submissions of one declaration stream, oldest first. */
export interface DeclarationState {
  readonly submissions: readonly { readonly submissionNo: number; readonly figuresHash: string }[];
}

export type SubmitDeclaration = Cmd<
  'SubmitDeclaration',
  {
    readonly siteId: string;
    readonly partyId: string;
    readonly managementClass: ManagementClass;
    /** The site is named on a licence in force at some time in the period (持证单位). */
    readonly licenceHolder: boolean;
    readonly period: ReportingPeriod;
    readonly figures: DeclarationFigures;
    readonly figuresHash: string;
    /** The hash of the figures the unit reviewed. */
    readonly reviewedHash: string;
    /** Required for a correction (a second or later submission). */
    readonly reason: string | null;
  }
>;

export const initialDeclarationState = (): DeclarationState => ({ submissions: [] });

export function evolveDeclaration(s: DeclarationState, e: DeclarationSubmitted): DeclarationState {
  if (e.data.submissionNo !== s.submissions.length + 1)
    throw new Error(`submission ${e.data.submissionNo} cannot follow ${s.submissions.length}`);
  return {
    submissions: [...s.submissions, { submissionNo: e.data.submissionNo, figuresHash: e.data.figuresHash }],
  };
}

export function decideSubmission(c: SubmitDeclaration, s: DeclarationState): DeclarationSubmitted[] {
  const d = c.data;
  const p = d.period;
  if (p.kind === 'OPERATION_REPORT') {
    if (!d.licenceHolder)
      throw DomainError.badInput(
        'kind',
        `kind: the annual operation report (持证单位年报) is filed by licence holders; no licence names this site in ${p.label}`,
      );
  } else if (!classFiles(d.managementClass, p.kind)) {
    throw DomainError.badInput(
      'kind',
      `kind: a ${d.managementClass} site files ${DECLARATION_KINDS_BY_CLASS[d.managementClass].join(' and ')} declarations, not ${p.kind}`,
    );
  }
  if (c.meta.now < shanghaiDayEnd(p.periodEnd))
    throw DomainError.badInput(
      'period',
      `period: ${p.label} ends on ${p.periodEnd}; it can be declared once it has ended`,
    );
  if (d.reviewedHash !== d.figuresHash) {
    throw new DomainError(
      'CONFLICT',
      'the ledger changed since these figures were generated: review them again',
      {
        field: 'figuresHash',
        currentHash: d.figuresHash,
      },
    );
  }
  const last = s.submissions.at(-1) ?? null;
  let reason: string | null = null;
  if (last) {
    if (typeof d.reason !== 'string' || d.reason.trim() === '' || d.reason.length > 500)
      throw DomainError.badInput(
        'reason',
        'reason: a correction (更正申报) needs a reason, at most 500 characters',
      );
    if (last.figuresHash === d.figuresHash)
      throw DomainError.badInput(
        'figuresHash',
        `figuresHash: equals submission ${last.submissionNo}; there is nothing to correct`,
      );
    reason = d.reason;
  } else if (d.reason != null && d.reason.trim() !== '') {
    reason = d.reason.slice(0, 500);
  }
  return [
    {
      type: 'DeclarationSubmitted',
      data: {
        siteId: d.siteId,
        partyId: d.partyId,
        kind: p.kind,
        period: p.label,
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        dueDate: p.dueDate,
        managementClass: d.managementClass,
        submissionNo: (last?.submissionNo ?? 0) + 1,
        correctsSubmissionNo: last?.submissionNo ?? null,
        reason,
        figures: d.figures,
        figuresHash: d.figuresHash,
        late: isOverdue(p.dueAt, c.meta.now),
        at: c.meta.occurredAt.toISOString(),
      },
    },
  ];
}

/** Where a declaration stands (SPEC section 9.3), at `now`, given its first submission's record time. */
export type FilingStatus = 'NOT_OWED' | 'PERIOD_OPEN' | 'DUE' | 'OVERDUE' | 'SUBMITTED' | 'SUBMITTED_LATE';

export function filingStatus(
  p: { readonly dueAt: Date; readonly periodEndsAt: Date },
  now: Date,
  firstSubmittedAt: Date | null,
  owed: boolean,
): FilingStatus {
  if (!owed) return 'NOT_OWED';
  if (firstSubmittedAt) return isOverdue(p.dueAt, now, firstSubmittedAt) ? 'SUBMITTED_LATE' : 'SUBMITTED';
  if (now < p.periodEndsAt) return 'PERIOD_OPEN';
  return isOverdue(p.dueAt, now) ? 'OVERDUE' : 'DUE';
}
