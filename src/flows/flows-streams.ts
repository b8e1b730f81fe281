/**
 * The ledger streams of the 多流合一 flows. The ledger book has none: it is a projection of the lot
 * streams (`lot-<id>`).
 * - `plan-<siteId>-<year>` (type `management-plan`): 管理计划 — filed, then amended;
 * - `golive-<siteId>` (type `go-live`): 上线导入 — once per site;
 * - `declaration-<siteId>-<period>` (type `declaration`): 申报 — submissions and corrections;
 *   `declaration-<siteId>-operation-<year>` for the annual operation report (持证单位年报), whose
 *   period label is the same year as the annual declaration's.
 */
export const PLAN_STREAM = 'management-plan';
export const GO_LIVE_STREAM = 'go-live';
export const DECLARATION_STREAM = 'declaration';

export const PLAN_EVENT_TYPES = ['ManagementPlanFiled', 'ManagementPlanAmended'] as const;
export const GO_LIVE_EVENT_TYPES = ['GoLiveImported'] as const;
export const DECLARATION_EVENT_TYPES = ['DeclarationSubmitted'] as const;

export const planStream = (siteId: string, year: number): string => `plan-${siteId}-${year}`;
export const goLiveStream = (siteId: string): string => `golive-${siteId}`;
export const declarationStream = (siteId: string, period: string, kind?: string): string =>
  kind === 'OPERATION_REPORT'
    ? `declaration-${siteId}-operation-${period}`
    : `declaration-${siteId}-${period}`;

/** The counter that numbers plan filings per year and city (备案编号). */
export const planFilingCounter = (year: number, cityCode: string): string =>
  `plan-filing:${year}:${cityCode.slice(0, 4)}`;

/** The agent scopes (delegations) under which an agent acts for a unit. */
export const PLAN_SCOPE = 'PLANS';
export const DECLARATION_SCOPE = 'DECLARATIONS';
