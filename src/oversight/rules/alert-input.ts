import type { AlertInput } from '../../ledger/alerts/alert';
import type { ClockAlert } from '../domain/clock-rules';

/** A pure rule's alert as the ledger raises it: filed under a region, naming the parties it concerns. */
export const toAlertInput = (
  a: ClockAlert,
  region: string | null,
  partyIds: readonly string[],
): AlertInput => ({
  rule: a.rule,
  subjectType: a.subjectType,
  subjectId: a.subjectId,
  period: a.period,
  severity: a.severity,
  region,
  evidence: { ...a.evidence, dueAt: a.dueAt },
  partyIds: [...new Set(partyIds)],
});
