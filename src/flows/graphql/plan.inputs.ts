import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MassScalar } from '../../shared/graphql/scalars';
import { PLAN_SECTIONS, TRANSFER_TYPES, type PlanTransferType } from '../domain/management-plan';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const PlanSectionEnum = asEnum(PLAN_SECTIONS);
export const PlanTransferTypeEnum = asEnum(TRANSFER_TYPES);
registerEnumType(PlanSectionEnum, {
  name: 'PlanSection',
  description:
    '管理计划 sections (HJ 1259-2022 appendix A): FACILITIES A.2 设施信息, GENERATION A.3 产生情况, STORAGE A.4 贮存情况, OWN_TREATMENT A.5 自行利用/处置, REDUCTION A.6 减量化计划和措施, TRANSFERS A.7 转移情况. A.1 基本信息 comes from the party registry.',
});
registerEnumType(PlanTransferTypeEnum, {
  name: 'PlanTransferType',
  description: '转移类型 — INTRA_PROVINCE 省内, CROSS_PROVINCE 跨省.',
});

export const KEY = {
  description: 'Retry key, scoped to you: a retry with the same key returns the first result.',
};
export const IDEM = /^[\w.:@/-]{1,128}$/;
export const AGENT = {
  nullable: true,
  description: '代理 — an agent acting for the unit that delegated to it names the unit here.',
};
const CODE = { description: '废物代码 NNN-NNN-NN' };
const BASEL = /^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/;
const TEXT = (s: string) => ({ description: s });

@InputType({ description: 'A.2 设施信息 — a facility of the site and what it does.' })
export class PlanFacilityInput {
  @Field(() => ID) @IsString() facilityId!: string;
  @Field(TEXT('生产单元、工艺、设施参数')) @IsString() @MinLength(1) @MaxLength(500) description!: string;
}

@InputType({ description: 'A.3 产生情况 — a waste the site expects to generate.' })
export class PlanGenerationInput {
  @Field(CODE) @IsString() wasteCode!: string;
  @Field(() => MassScalar, TEXT('预计年产生量')) expectedAmount!: number;
  @Field(TEXT('产生环节')) @IsString() @MinLength(1) @MaxLength(500) process!: string;
  @Field(() => String, { nullable: true, description: '行业俗称/单位内部名称' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  internalName?: string | null;
}

@InputType({
  description: 'A.4 贮存情况 — a storage facility, what it holds and the expected year-end stock.',
})
export class PlanStorageInput {
  @Field(() => ID) @IsString() facilityId!: string;
  @Field(() => [String]) @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) wasteCodes!: string[];
  @Field(TEXT('包装形式 (容器、材质、规格)')) @IsString() @MinLength(1) @MaxLength(500) packaging!: string;
  @Field(() => MassScalar, TEXT('预计年末贮存量')) expectedYearEndStock!: number;
}

@InputType({ description: 'A.5 自行利用/处置 — waste the site treats itself.' })
export class PlanOwnTreatmentInput {
  @Field(() => ID) @IsString() facilityId!: string;
  @Field(CODE) @IsString() wasteCode!: string;
  @Field(TEXT('Basel Annex IV: D1–D15 or R1–R13'))
  @Matches(BASEL, { message: 'must be a Basel code D1–D15 or R1–R13' })
  method!: string;
  @Field(() => MassScalar) expectedAmount!: number;
}

@InputType({ description: 'A.6 减量化计划和措施 — a reduction measure.' })
export class PlanReductionInput {
  @Field() @IsString() @MinLength(1) @MaxLength(500) measure!: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  wasteCodes?: string[];
  @Field(() => MassScalar, { nullable: true }) @IsOptional() expectedReduction?: number | null;
}

@InputType({ description: 'A.7 转移情况 — a planned transfer; manifests must match one (NOT_IN_PLAN).' })
export class PlanTransferInput {
  @Field(CODE) @IsString() wasteCode!: string;
  @Field(() => ID, TEXT('接受人 — a verified party')) @IsString() receiverPartyId!: string;
  @Field(TEXT('Basel Annex IV: D1–D15 or R1–R13'))
  @Matches(BASEL, { message: 'must be a Basel code D1–D15 or R1–R13' })
  method!: string;
  @Field(() => MassScalar) expectedAmount!: number;
  @Field(() => PlanTransferTypeEnum, { defaultValue: 'INTRA_PROVINCE' })
  @IsIn(TRANSFER_TYPES)
  transferType!: PlanTransferType;
}

@InputType({
  description:
    'The entered sections. Required by class: REGISTRATION generation and transfers; SIMPLIFIED also storage and reduction; KEY every section.',
})
export class PlanContentInput {
  @Field(() => [PlanFacilityInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanFacilityInput)
  facilities?: PlanFacilityInput[] | null;
  @Field(() => [PlanGenerationInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanGenerationInput)
  generation?: PlanGenerationInput[] | null;
  @Field(() => [PlanStorageInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanStorageInput)
  storage?: PlanStorageInput[] | null;
  @Field(() => [PlanOwnTreatmentInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanOwnTreatmentInput)
  ownTreatment?: PlanOwnTreatmentInput[] | null;
  @Field(() => [PlanReductionInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanReductionInput)
  reduction?: PlanReductionInput[] | null;
  @Field(() => [PlanTransferInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => PlanTransferInput)
  transfers?: PlanTransferInput[] | null;
}

@InputType({
  description: '管理计划备案 — file a site’s plan for a calendar year (by 31 March of that year).',
})
export class FileManagementPlanInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() siteId!: string;
  @Field(() => Int) @IsInt() year!: number;
  @Field(() => ID, AGENT) @IsOptional() @IsString() onBehalfOfPartyId?: string;
  @Field(() => PlanContentInput) @ValidateNested() @Type(() => PlanContentInput) content!: PlanContentInput;
}

@InputType({ description: '管理计划变更 — replace the plan’s content, with the reason.' })
export class AmendManagementPlanInput extends FileManagementPlanInput {
  @Field() @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}
