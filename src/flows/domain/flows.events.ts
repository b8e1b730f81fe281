import type { Ev } from '../../shared/domain/decider';
import type { DeclarationFigures } from './declaration-figures';
import type { PlanContent, PlanSection } from './management-plan';
import type { DeclarationKind, ManagementClass } from './reporting-periods';

/**
 * Events of the 多流合一 streams that are not lot movements: the management plan (管理计划) of a
 * site and year, the go-live import (上线导入) of a site, and the declarations (申报) of a site and
 * period. Plain JSON, as the ledger hashes their canonical form: instants ISO strings (`at` is the
 * business time), masses integer grams, absent facts `null`. The ledger book itself has no events
 * of its own: it is a projection of the lot events.
 */

/** 管理计划备案 — the plan of a producer site for a calendar year, with its filing number (备案编号). */
export type ManagementPlanFiled = Ev<
  'ManagementPlanFiled',
  {
    readonly siteId: string;
    readonly partyId: string;
    readonly year: number;
    readonly filingNumber: string;
    /** The site's class for the year when filed; it decides the sections required. */
    readonly managementClass: ManagementClass;
    readonly requiredSections: readonly PlanSection[];
    readonly content: PlanContent;
    /** `YYYY-MM-DD`: 31 March of the plan year. */
    readonly dueDate: string;
    /** Filed at or after the deadline (24:00 Asia/Shanghai of `dueDate`). */
    readonly late: boolean;
    readonly at: string;
  }
>;

/** 管理计划变更 — a new version of the whole content, with the reason (revision 2, 3, …). */
export type ManagementPlanAmended = Ev<
  'ManagementPlanAmended',
  {
    readonly siteId: string;
    readonly partyId: string;
    readonly year: number;
    readonly revision: number;
    readonly managementClass: ManagementClass;
    readonly requiredSections: readonly PlanSection[];
    readonly content: PlanContent;
    readonly reason: string;
    readonly at: string;
  }
>;

export type ManagementPlanEvent = ManagementPlanFiled | ManagementPlanAmended;

/** One container of opening stock brought in at go-live: it becomes a lot with its storage clock. */
export interface OpeningStockLot {
  readonly lotId: string;
  readonly labelCode: string;
  readonly wasteCode: string;
  readonly facilityId: string;
  readonly massGrams: number;
  /** When the waste was stored: the lot's storage clock starts here, not at go-live. */
  readonly storedSince: string;
}

/** A past calendar year's generated amount, as the unit reports it at go-live (feeds 管理类别). */
export interface PastAnnualAmount {
  readonly year: number;
  readonly grams: number;
}

/**
 * 上线导入 — a unit joining mid-year brings its opening stock (期初库存) and its past three years'
 * amounts, once. Appended before the lots' own events in the same transaction, so that the ledger
 * book books those lots as OPENING_STOCK at `goLiveAt` rather than as generated.
 */
export type GoLiveImported = Ev<
  'GoLiveImported',
  {
    readonly siteId: string;
    readonly partyId: string;
    readonly goLiveAt: string;
    readonly openingStock: readonly OpeningStockLot[];
    readonly pastAnnualAmounts: readonly PastAnnualAmount[];
    readonly at: string;
  }
>;

/**
 * 申报提交 — the figures of one declaration frozen with their hash. A later correction is another
 * submission on the same stream, numbered, citing the one it corrects, with a reason.
 */
export type DeclarationSubmitted = Ev<
  'DeclarationSubmitted',
  {
    readonly siteId: string;
    readonly partyId: string;
    readonly kind: DeclarationKind;
    readonly period: string;
    readonly periodStart: string;
    readonly periodEnd: string;
    readonly dueDate: string;
    readonly managementClass: ManagementClass;
    readonly submissionNo: number;
    readonly correctsSubmissionNo: number | null;
    readonly reason: string | null;
    readonly figures: DeclarationFigures;
    /** SHA-256 (hex) of the canonical JSON of `figures`. */
    readonly figuresHash: string;
    readonly late: boolean;
    readonly at: string;
  }
>;

export type FlowsEvent = ManagementPlanEvent | GoLiveImported | DeclarationSubmitted;
