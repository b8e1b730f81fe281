/**
 * A set of time-based alert rules that the oversight scheduler runs (`OversightScheduler`): any
 * provider of the application with a `runOnce(now)` method, which evaluates its rules at `now` and
 * raises their alerts through the ledger (deterministic identities, so that a rerun, or two
 * processes, raise each alert once). The lots' storage clocks (`LotClockService`), the flows'
 * overdue filings (`FlowsScheduler`), the manifests' automatic closing (`ManifestAutoClose`) and
 * the regulator workspace's own rules (`OversightRulesService`) follow it; a new capability only
 * has to.
 */
export interface ScheduledRuleSet {
  runOnce(now: Date): Promise<unknown>;
}

/** True for an object with a `runOnce` method. */
export const isScheduledRuleSet = (x: unknown): x is ScheduledRuleSet =>
  typeof x === 'object' && x !== null && typeof (x as { runOnce?: unknown }).runOnce === 'function';
