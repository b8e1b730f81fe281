import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { PlanReadService } from '../plan-read.service';
import { PlansService } from '../plans.service';
import { AmendManagementPlanInput, FileManagementPlanInput } from './plan.inputs';
import { ManagementPlanFilingObject, ManagementPlanObject } from './plan.objects';

@Resolver(() => ManagementPlanObject)
export class PlanResolver {
  constructor(
    private readonly plans: PlansService,
    private readonly read: PlanReadService,
  ) {}

  @Mutation(() => ManagementPlanFilingObject, {
    description:
      '管理计划备案 — file a producer site’s plan for a year (the unit, or its agent with scope PLANS naming it in onBehalfOfPartyId); returns the filing number. Sections required by the site’s management class.',
  })
  async fileManagementPlan(
    @Args('input') input: FileManagementPlanInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const r = await this.plans.file(p, input);
    return { filingNumber: r.filingNumber, plan: await this.read.plan(p, r.siteId, r.year) };
  }

  @Mutation(() => ManagementPlanObject, {
    description: '管理计划变更 — replace the plan’s content, with the reason (a new revision).',
  })
  async amendManagementPlan(
    @Args('input') input: AmendManagementPlanInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const r = await this.plans.amend(p, input);
    return this.read.plan(p, r.siteId, r.year);
  }

  @Query(() => ManagementPlanObject, {
    nullable: true,
    description: 'A site’s plan for a year with planned against actual to date (null when not filed).',
  })
  async managementPlan(
    @Args('siteId', { type: () => ID }) siteId: string,
    @Args('year', { type: () => Int }) year: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.read.plan(await who, siteId, year);
  }
}
