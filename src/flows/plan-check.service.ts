import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Env } from '../config/env';
import type { PlanCheck } from '../manifests/domain';
import { ManifestPlanCheck, type PlanCheckQuery } from '../manifests/manifest-plan-check';
import type { PlanContent } from './domain/management-plan';
import { planYearInForce } from './domain/reporting-periods';
import { PRODUCER_TYPES } from './flows-access.service';

/** The enforcement in force: PLAN_ENFORCEMENT, else REFUSE (ALERT in tests, whose older suites file no plans). */
export function planEnforcement(env: Env): 'REFUSE' | 'ALERT' {
  return env.PLAN_ENFORCEMENT ?? (env.NODE_ENV === 'test' ? 'ALERT' : 'REFUSE');
}

/**
 * 管理计划 rule of manifest submission (SPEC section 6.1): the receiver and each lot's code must be
 * a planned transfer (A.7: code and receiver) of the consignor site's plan in force for the
 * manifest's planned date — that year's plan once filed; until then, up to 31 March, the previous
 * year's (`planYearInForce`). Applies to producers' sites (产废单位): a collector re-shipping what it
 * collected files licences and annual reports, not plans. `NOT_IN_PLAN` names the lots at fault;
 * PLAN_ENFORCEMENT=ALERT submits and alerts instead of refusing. Depends only on global providers
 * (the database and the configuration), so that `ManifestsModule` may also provide it directly
 * (`{ provide: ManifestPlanCheck, useClass: FlowsPlanCheck }`).
 */
@Injectable()
export class FlowsPlanCheck extends ManifestPlanCheck {
  constructor(
    private readonly db: DataSource,
    private readonly env: Env,
  ) {
    super();
  }

  override async check(q: PlanCheckQuery): Promise<PlanCheck> {
    const [consignor] = await this.db.query<{ types: string[] }[]>(
      `SELECT types FROM party WHERE party_id = $1`,
      [q.consignorPartyId],
    );
    if (!consignor || !consignor.types.some((t) => PRODUCER_TYPES.includes(t))) return { ok: true };
    const plans = await this.db.query<{ year: number; content: PlanContent; filing_number: string }[]>(
      `SELECT year, content, filing_number FROM management_plan WHERE site_id = $1`,
      [q.consignorSiteId],
    );
    const enforcement = planEnforcement(this.env);
    const year = planYearInForce(
      q.plannedDate,
      plans.map((p) => p.year),
    );
    const all = q.lots.map((l) => l.lotId);
    if (year === null) {
      return {
        ok: false,
        code: 'NOT_IN_PLAN',
        reason: `no management plan (管理计划) of the consignor site is in force on ${q.plannedDate}: file the ${q.plannedDate.slice(0, 4)} plan`,
        lotIds: all,
        enforcement,
      };
    }
    const plan = plans.find((p) => p.year === year)!;
    const transfers = plan.content.transfers ?? [];
    if (!transfers.some((t) => t.receiverPartyId === q.receiverPartyId)) {
      return {
        ok: false,
        code: 'NOT_IN_PLAN',
        reason: `the receiver is not a planned receiver of plan ${plan.filing_number} (${year})`,
        lotIds: all,
        enforcement,
      };
    }
    const outside = q.lots.filter(
      (l) => !transfers.some((t) => t.receiverPartyId === q.receiverPartyId && t.wasteCode === l.wasteCode),
    );
    if (outside.length > 0) {
      return {
        ok: false,
        code: 'NOT_IN_PLAN',
        reason: `plan ${plan.filing_number} (${year}) plans no transfer of ${[...new Set(outside.map((l) => l.wasteCode))].join(', ')} to this receiver`,
        lotIds: outside.map((l) => l.lotId),
        enforcement,
      };
    }
    return { ok: true };
  }
}
