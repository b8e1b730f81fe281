import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsOptional, Matches } from 'class-validator';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import {
  AGE_BUCKETS,
  QUANTITY_DIMENSIONS,
  QUANTITY_STAGES,
  REGION_LEVELS,
  type QuantityStage,
  type RegionLevel,
} from '../domain/statistics';
import { ChainPartyRefObject } from './custody-chain.objects';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const QuantityStageEnum = asEnum(QUANTITY_STAGES);
registerEnumType(QuantityStageEnum, {
  name: 'QuantityStage',
  description:
    '环节 — GENERATED 产生 (lots generated, residues included; at the producing site), TRANSFERRED 转移 (declared mass of lots that left on a manifest; at the start site, when custody was taken), RECEIVED 接收 (accepted mass; at the end site, when received), UTILISED 利用 and DISPOSED 处置 (treated mass; at the treating site).',
});
export const QuantityDimensionEnum = asEnum(QUANTITY_DIMENSIONS);
registerEnumType(QuantityDimensionEnum, {
  name: 'QuantityDimension',
  description:
    'What to group quantities by, besides the stage: REGION, WASTE_CODE, CATEGORY, MONTH (Asia/Shanghai).',
});
export const RegionLevelEnum = asEnum(REGION_LEVELS);
registerEnumType(RegionLevelEnum, {
  name: 'RegionLevel',
  description: 'Region grouping: PROVINCE (2 digits), CITY (4) or COUNTY (6) of the division code.',
});

const WASTE_CODE = /^\d{3}-\d{3}-\d{2}$/;
const CATEGORY = /^HW\d{2}$/;
const PREFIX = /^\d{2}(\d{2}){0,2}$/;

@InputType({ description: 'Which quantities to count; always within your jurisdiction.' })
export class QuantityFilterInput {
  @Field(() => LocalDateScalar, { description: 'First Shanghai date (inclusive).' }) from!: string;
  @Field(() => LocalDateScalar, { description: 'Last Shanghai date (inclusive).' }) to!: string;
  @Field({ nullable: true, description: '行政区划代码 prefix of the region where the quantity arises.' })
  @IsOptional()
  @Matches(PREFIX, { message: 'regionPrefix: 2, 4 or 6 digits' })
  regionPrefix?: string;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(WASTE_CODE, { message: 'wasteCode: NNN-NNN-NN' })
  wasteCode?: string;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category: HWnn' })
  category?: string;
  @Field(() => [QuantityStageEnum], { nullable: true, description: 'Default: all stages.' })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsIn(QUANTITY_STAGES, { each: true })
  stages?: QuantityStage[];
  @Field(() => RegionLevelEnum, { nullable: true, description: 'Default COUNTY.' })
  @IsOptional()
  @IsIn(REGION_LEVELS)
  regionLevel?: RegionLevel;
}

@ObjectType('QuantityRow', { description: '统计 — mass and lots of one stage for one group.' })
export class QuantityRowObject {
  @Field(() => QuantityStageEnum) stage!: QuantityStage;
  @Field(() => String, {
    nullable: true,
    description: 'Division-code prefix at the region level (grouped by REGION).',
  })
  region!: string | null;
  @Field(() => String, { nullable: true }) wasteCode!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM, Asia/Shanghai.' }) month!: string | null;
  @Field(() => MassScalar) mass!: number;
  @Field(() => Int) lotCount!: number;
}

export const AgeBucketEnum = asEnum(AGE_BUCKETS.map((b) => b.name));
registerEnumType(AgeBucketEnum, {
  name: 'OpenManifestAge',
  description: 'Days since submission: UNDER_1_DAY, DAYS_1_TO_3, DAYS_3_TO_7, DAYS_7_TO_30, OVER_30_DAYS.',
});

@ObjectType('OpenManifestAgeRow', { description: '在途联单 — open manifests of one status and age.' })
export class OpenManifestAgeRowObject {
  @Field({ description: 'SUBMITTED, IN_TRANSIT, DELIVERED or RECEIVED (not yet closed).' }) status!: string;
  @Field(() => AgeBucketEnum) age!: string;
  @Field(() => Int) manifestCount!: number;
  @Field(() => MassScalar) declaredMass!: number;
  @Field({ description: 'Submission of the oldest.' }) oldestSubmittedAt!: Date;
}

@ObjectType('CarrierDiscrepancyRow', {
  description:
    '承运人差异率 — receipts of the manifests a carrier drove (any leg): lots received, lots with a discrepancy beyond the tolerance, and the rate.',
})
export class CarrierDiscrepancyRowObject {
  @Field(() => ChainPartyRefObject) carrier!: ChainPartyRefObject;
  @Field(() => Int) manifestCount!: number;
  @Field(() => Int) lotsReceived!: number;
  @Field(() => Int) lotsWithDiscrepancy!: number;
  @Field(() => Float, { description: 'lotsWithDiscrepancy / lotsReceived.' }) rate!: number;
  @Field(() => MassScalar, { description: 'Sum of the absolute differences of those lots.' })
  discrepancyMass!: number;
}

@InputType()
export class PeriodInput {
  @Field(() => LocalDateScalar) from!: string;
  @Field(() => LocalDateScalar) to!: string;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(PREFIX, { message: 'regionPrefix: 2, 4 or 6 digits' })
  regionPrefix?: string;
}
