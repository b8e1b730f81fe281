import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ManagementClassEnum } from '../../parties/graphql/party.enums';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { PlanSectionEnum, PlanTransferTypeEnum } from './plan.inputs';

@ObjectType('PlanFacility', { description: 'A.2 设施信息' })
export class PlanFacilityObject {
  @Field(() => ID) facilityId!: string;
  @Field() description!: string;
}

@ObjectType('PlanGeneration', { description: 'A.3 产生情况' })
export class PlanGenerationObject {
  @Field() wasteCode!: string;
  @Field(() => MassScalar, { description: '预计年产生量' }) expectedGrams!: number;
  @Field({ description: '产生环节' }) process!: string;
  @Field(() => String, { nullable: true, description: '行业俗称/单位内部名称' }) internalName!: string | null;
}

@ObjectType('PlanStorage', { description: 'A.4 贮存情况' })
export class PlanStorageObject {
  @Field(() => ID) facilityId!: string;
  @Field(() => [String]) wasteCodes!: string[];
  @Field() packaging!: string;
  @Field(() => MassScalar, { description: '预计年末贮存量' }) expectedYearEndStockGrams!: number;
}

@ObjectType('PlanOwnTreatment', { description: 'A.5 自行利用/处置' })
export class PlanOwnTreatmentObject {
  @Field(() => ID) facilityId!: string;
  @Field() wasteCode!: string;
  @Field() method!: string;
  @Field(() => MassScalar) expectedGrams!: number;
}

@ObjectType('PlanReduction', { description: 'A.6 减量化计划和措施' })
export class PlanReductionObject {
  @Field() measure!: string;
  @Field(() => [String]) wasteCodes!: string[];
  @Field(() => MassScalar, { nullable: true }) expectedReductionGrams!: number | null;
}

@ObjectType('PlanTransfer', { description: 'A.7 转移情况 — governs manifest submission (NOT_IN_PLAN).' })
export class PlanTransferObject {
  @Field() wasteCode!: string;
  @Field(() => ID) receiverPartyId!: string;
  @Field() method!: string;
  @Field(() => MassScalar) expectedGrams!: number;
  @Field(() => PlanTransferTypeEnum) transferType!: string;
}

@ObjectType('PlanContent', { description: 'The entered sections; a section not filled is null.' })
export class PlanContentObject {
  @Field(() => [PlanFacilityObject], { nullable: true }) facilities!: PlanFacilityObject[] | null;
  @Field(() => [PlanGenerationObject], { nullable: true }) generation!: PlanGenerationObject[] | null;
  @Field(() => [PlanStorageObject], { nullable: true }) storage!: PlanStorageObject[] | null;
  @Field(() => [PlanOwnTreatmentObject], { nullable: true }) ownTreatment!: PlanOwnTreatmentObject[] | null;
  @Field(() => [PlanReductionObject], { nullable: true }) reduction!: PlanReductionObject[] | null;
  @Field(() => [PlanTransferObject], { nullable: true }) transfers!: PlanTransferObject[] | null;
}

@ObjectType('PlanBasicInfo', {
  description: 'A.1 单位基本信息 — read from the party registry, never typed into the plan.',
})
export class PlanBasicInfoObject {
  @Field() partyName!: string;
  @Field({ description: '统一社会信用代码' }) uscc!: string;
  @Field() siteName!: string;
  @Field() address!: string;
  @Field() divisionCode!: string;
}

@ObjectType('PlanDeviation', {
  description: '计划与实际 — planned against actual to date for one line, from the ledger book.',
})
export class PlanDeviationObject {
  @Field() wasteCode!: string;
  @Field(() => ID, { nullable: true }) receiverPartyId!: string | null;
  @Field(() => String, { nullable: true }) receiverName!: string | null;
  @Field(() => String, { nullable: true }) method!: string | null;
  @Field(() => MassScalar) planned!: number;
  @Field(() => MassScalar) actual!: number;
  @Field(() => MassScalar, { description: 'actual − planned (negative: below plan)' }) deviation!: number;
  @Field(() => String, {
    nullable: true,
    description: 'Deviation in percent of the plan, one decimal; null when nothing was planned.',
  })
  deviationPercent!: string | null;
}

@ObjectType('PlanRevision', {
  description: 'One version of the plan: 1 the filing, then each amendment with its reason.',
})
export class PlanRevisionObject {
  @Field(() => Int) revision!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ManagementClassEnum) managementClass!: string;
  @Field() at!: Date;
  @Field() recordedAt!: Date;
  @Field(() => ID, { nullable: true, description: 'The agent that acted for the unit, if any.' })
  agentPartyId!: string | null;
}

@ObjectType('ManagementPlan', {
  description:
    '管理计划 — a producer site’s plan for a year (HJ 1259-2022 ch. 5), filed by 31 March with a filing number (备案编号); amendments are events with a reason. Its transfers govern which receivers and codes a manifest may name.',
})
export class ManagementPlanObject {
  @Field(() => ID) siteId!: string;
  @Field(() => Int) year!: number;
  @Field(() => ID) partyId!: string;
  @Field({ description: '备案编号' }) filingNumber!: string;
  @Field(() => ManagementClassEnum) managementClass!: string;
  @Field(() => [PlanSectionEnum], { description: 'The sections its class requires.' })
  requiredSections!: string[];
  @Field(() => Int) revision!: number;
  @Field(() => LocalDateScalar) dueDate!: string;
  @Field({ description: 'Filed after 24:00 of the due date (Asia/Shanghai).' }) late!: boolean;
  @Field() filedAt!: Date;
  @Field() filedRecordedAt!: Date;
  @Field(() => ID, { nullable: true }) agentPartyId!: string | null;
  @Field(() => Date, { nullable: true }) lastAmendedAt!: Date | null;
  @Field(() => String, { nullable: true }) lastReason!: string | null;
  @Field(() => PlanBasicInfoObject) basicInfo!: PlanBasicInfoObject;
  @Field(() => PlanContentObject) content!: PlanContentObject;
  @Field(() => [PlanRevisionObject]) revisions!: PlanRevisionObject[];
  @Field(() => LocalDateScalar, { description: 'The last day the actual figures cover.' })
  actualsAsOf!: string;
  @Field(() => [PlanDeviationObject], { description: '产生: planned against generated, per code.' })
  generation!: PlanDeviationObject[];
  @Field(() => [PlanDeviationObject], {
    description:
      '转移: planned against transferred (declared masses on manifests that left), per code, receiver and method.',
  })
  transfers!: PlanDeviationObject[];
  @Field(() => [PlanDeviationObject], { description: '自行利用/处置: planned against treated in house.' })
  ownTreatment!: PlanDeviationObject[];
}

@ObjectType('ManagementPlanFiling', {
  description: 'The answer to a filing: the plan and its filing number (备案编号).',
})
export class ManagementPlanFilingObject {
  @Field() filingNumber!: string;
  @Field(() => ManagementPlanObject) plan!: ManagementPlanObject;
}
