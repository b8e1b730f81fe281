import { Injectable } from '@nestjs/common';
import type { PlanCheck } from './domain';

/** What the management-plan check (管理计划) looks at when a manifest is submitted. */
export interface PlanCheckQuery {
  readonly consignorPartyId: string;
  /** The consignor's site the waste leaves from: plans are filed per site and year. */
  readonly consignorSiteId: string;
  readonly receiverPartyId: string;
  /** The lots with their codes, so that a failure can name them. */
  readonly lots: readonly { readonly lotId: string; readonly wasteCode: string }[];
  /** `YYYY-MM-DD`: the plan in force for its year (the previous year's up to 31 March). */
  readonly plannedDate: string;
}

/**
 * THE hook for the management-plan rule of submission (SPEC section 6.1: the receiver and code
 * must be in the consignor site's plan in force for the year, `NOT_IN_PLAN`, configurable to
 * alert only). This default ALLOWS EVERYTHING: management plans are not on the ledger yet. The
 * flows capability (管理计划) replaces it by providing its own class for this token in
 * `ManifestsModule` (`{ provide: ManifestPlanCheck, useClass: … }`); RETURN manifests never call it.
 */
@Injectable()
export class ManifestPlanCheck {
  async check(_query: PlanCheckQuery): Promise<PlanCheck> {
    return { ok: true };
  }
}
