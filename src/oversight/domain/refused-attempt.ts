/**
 * 拒绝的交接尝试 — a refused custody attempt (SPEC section 0: written to the attempt log, outside the
 * hash chain) becomes one alert about its target, identified by the attempt, so that it is raised
 * once however often the rule runs.
 */
export interface RefusedAttempt {
  readonly attemptId: number;
  /** The refused act, e.g. `takeCustody`, `handOverExempt`. */
  readonly act: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly refusalCode: string;
  readonly message: string;
  readonly actorKind: string;
  readonly actorPartyId: string | null;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
}

export const REFUSED_ATTEMPT_RULE = 'CUSTODY_ATTEMPT_REFUSED';

export interface RefusedAttemptAlert {
  readonly rule: typeof REFUSED_ATTEMPT_RULE;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly period: string;
  readonly severity: 'WARNING' | 'CRITICAL';
  readonly evidence: Readonly<Record<string, string | number | null>>;
}

/** Refusals that point at a forged or replayed handover rather than a slip: CRITICAL. */
const CRITICAL_CODES = new Set(['HANDOVER_CODE_LOCKED', 'LABEL_MISMATCH']);

/** The alert of one refused attempt: subject its target, period `attempt-<id>`. */
export function refusedAttemptAlert(a: RefusedAttempt): RefusedAttemptAlert {
  if (!Number.isSafeInteger(a.attemptId) || a.attemptId < 1) throw new Error(`bad attempt id ${a.attemptId}`);
  return {
    rule: REFUSED_ATTEMPT_RULE,
    subjectType: a.targetType.toUpperCase(),
    subjectId: a.targetId,
    period: `attempt-${a.attemptId}`,
    severity: CRITICAL_CODES.has(a.refusalCode) ? 'CRITICAL' : 'WARNING',
    evidence: {
      attemptId: a.attemptId,
      act: a.act,
      refusalCode: a.refusalCode,
      message: a.message,
      actorKind: a.actorKind,
      actorPartyId: a.actorPartyId,
      occurredAt: a.occurredAt.toISOString(),
      recordedAt: a.recordedAt.toISOString(),
    },
  };
}
