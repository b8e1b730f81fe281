import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { HazardCharacteristic, MedicalWasteClassEnum } from '../../catalogue/graphql/catalogue.objects';
import { HAZARDS, type Hazard } from '../../catalogue/domain/hazard';
import { MEDICAL_WASTE_CLASSES, type MedicalWasteClass } from '../../catalogue/domain/medical-waste';
import { MassScalar } from '../../shared/graphql/scalars';
import {
  LOSS_KINDS,
  LOT_FORMS,
  LOT_STATUSES,
  MASS_BASES,
  type LossKind,
  type LotForm,
  type MassBasis,
} from '../domain';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const LotFormEnum = asEnum(LOT_FORMS);
export const MassBasisEnum = asEnum(MASS_BASES);
export const LossKindEnum = asEnum(LOSS_KINDS);
export const LotStatusEnum = asEnum(LOT_STATUSES.filter((s) => s !== 'NONE'));
registerEnumType(LotFormEnum, {
  name: 'LotForm',
  description: '物理性状 (HJ 1276-2022) — SOLID 固态, SEMI_SOLID 半固态, LIQUID 液态, GAS 气态.',
});
registerEnumType(MassBasisEnum, {
  name: 'MassBasis',
  description: 'ESTIMATED by the producer, or WEIGHED on a scale.',
});
registerEnumType(LossKindEnum, {
  name: 'LossKind',
  description: '损失 — SPILL 泄漏, EVAPORATION 挥发, THEFT 被盗, OTHER.',
});
registerEnumType(LotStatusEnum, {
  name: 'LotStatus',
  description:
    '批次状态 — GENERATED 产生, STORED 贮存, IN_TRANSIT 运输中, DELIVERED 送达, REJECTED 拒收, UTILISED 利用, DISPOSED 处置, CONSOLIDATED 合并, SPLIT 分装, LOST 损失.',
});

const KEY = { description: 'Retry key, scoped to you: a retry with the same key returns the first result.' };
const IDEM = /^[\w.:@/-]{1,128}$/;
const MEDICAL_CLASSES = Object.keys(MEDICAL_WASTE_CLASSES) as MedicalWasteClass[];

/** Business time, offline flag and agent, common to every lot act. */
@InputType({ isAbstract: true })
abstract class LotActInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({
    nullable: true,
    description: 'Business time: when it happened on site (default: now). Instants are stored in UTC.',
  })
  @IsOptional()
  @IsDate()
  occurredAt?: Date;
  @Field({
    nullable: true,
    description: 'Made offline and synced later (may be dated before the lot’s latest act).',
  })
  @IsOptional()
  @IsBoolean()
  offline?: boolean;
  @Field(() => ID, {
    nullable: true,
    description: '代理 — an agent acting for the party that delegated to it (scope MANIFESTS).',
  })
  @IsOptional()
  @IsString()
  onBehalfOfPartyId?: string;
}

@InputType({ description: 'One container (容器) as its label will show it.' })
export class ContainerInput {
  @Field({ description: '废物代码 NNN-NNN-NN, of the catalogue edition in force at the business time.' })
  @IsString()
  @MaxLength(20)
  wasteCode!: string;
  @Field({ nullable: true, description: '废物类别 HWxx; when given it must be the code’s category.' })
  @IsOptional()
  @Matches(/^HW\d{2}$/)
  category?: string;
  @Field(() => MassScalar, {
    description: 'Mass in kg (exact decimal string, > 0, at most LOT_MAX_MASS_KG).',
  })
  mass!: number;
  @Field(() => MassBasisEnum) @IsIn(MASS_BASES) massBasis!: MassBasis;
  @Field(() => LotFormEnum) @IsIn(LOT_FORMS) form!: LotForm;
  @Field({ description: '包装方式, e.g. "200 L steel drum", "yellow medical waste bag in a turnover box".' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  packaging!: string;
  @Field(() => [String], { defaultValue: [], description: '主要成分' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  mainComponents!: string[];
  @Field(() => [HazardCharacteristic], {
    nullable: true,
    description: '危险特性; default: the catalogue’s characteristics for the code.',
  })
  @IsOptional()
  @IsArray()
  @IsIn(HAZARDS, { each: true })
  hazards?: Hazard[];
  @Field(() => MedicalWasteClassEnum, {
    nullable: true,
    description: '医疗废物分类 — mandatory for HW01, and it must be the class of the code.',
  })
  @IsOptional()
  @IsIn(MEDICAL_CLASSES)
  medicalClass?: MedicalWasteClass;
}

@InputType({
  description:
    '产生 — containers generated at a facility of the producer; each becomes a lot, one batch code.',
})
export class GenerateLotsInput extends LotActInput {
  @Field(() => ID, { description: 'A facility of the producer (usually PRODUCTION).' })
  @IsString()
  facilityId!: string;
  @Field(() => [ContainerInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ContainerInput)
  containers!: ContainerInput[];
}

@InputType({ description: '贮存 — store a lot in, or move it to another facility of the same site.' })
export class StoreLotInput extends LotActInput {
  @Field(() => ID) @IsString() lotId!: string;
  @Field(() => ID) @IsString() facilityId!: string;
}

@InputType({
  description:
    '豁免交接 — exemption #2: a clinic with ≤ 19 beds hands medical waste to its township health centre without a manifest.',
})
export class HandOverExemptInput extends LotActInput {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  lotIds!: string[];
  @Field(() => ID, { description: 'The receiving medical institution (township health centre).' })
  @IsString()
  toPartyId!: string;
  @Field(() => ID) @IsString() toFacilityId!: string;
}

@InputType({ description: '合并、重新包装 — merge STORED lots at one facility into a new lot.' })
export class ConsolidateLotsInput extends LotActInput {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  sourceLotIds!: string[];
  @Field(() => ID, { description: 'Where the new lot is (a facility of your party at the sources’ site).' })
  @IsString()
  facilityId!: string;
  @Field({ nullable: true, description: 'Code of the new lot; default: the sources’ common code.' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  wasteCode?: string;
  @Field(() => MassScalar, {
    description: 'Mass of the new lot: the sum of the sources within the tolerance.',
  })
  mass!: number;
  @Field(() => MassBasisEnum) @IsIn(MASS_BASES) massBasis!: MassBasis;
  @Field(() => LotFormEnum, { nullable: true, description: 'Default: the sources’ common form.' })
  @IsOptional()
  @IsIn(LOT_FORMS)
  form?: LotForm;
  @Field() @IsString() @MinLength(1) @MaxLength(200) packaging!: string;
}

@InputType()
export class SplitPartInput {
  @Field(() => MassScalar) mass!: number;
  @Field({ nullable: true, description: 'Default: the source’s packaging.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  packaging?: string;
}

@InputType({ description: '分装 — split a STORED lot into new lots at its facility.' })
export class SplitLotInput extends LotActInput {
  @Field(() => ID) @IsString() lotId!: string;
  @Field(() => [SplitPartInput])
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SplitPartInput)
  parts!: SplitPartInput[];
}

@InputType({
  description: '利用 / 处置 — treat whole lots by a Basel Annex IV method; residues become new lots.',
})
export class TreatLotsInput extends LotActInput {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  lotIds!: string[];
  @Field({ description: 'Basel Convention Annex IV: D1–D15 (disposal 处置) or R1–R13 (recovery 利用).' })
  @Matches(/^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/, { message: 'must be D1–D15 or R1–R13' })
  method!: string;
  @Field(() => ID) @IsString() facilityId!: string;
  @Field(() => [ContainerInput], {
    defaultValue: [],
    description: 'Residues (e.g. fly ash, HW18): new lots.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ContainerInput)
  residues!: ContainerInput[];
}

@InputType({ description: '损失 — a spill, evaporation or theft: part of the mass, or all of it.' })
export class RecordLossInput extends LotActInput {
  @Field(() => ID) @IsString() lotId!: string;
  @Field(() => LossKindEnum) @IsIn(LOSS_KINDS) kind!: LossKind;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'The mass lost; omitted: all of it (the lot is LOST).',
  })
  @IsOptional()
  mass?: number;
  @Field({ description: 'What happened (原因).' }) @IsString() @MinLength(2) @MaxLength(500) reason!: string;
}

@InputType({ description: 'Which lots: every condition given must hold.' })
export class LotFilter {
  @Field(() => [LotStatusEnum], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsIn(LOT_STATUSES, { each: true })
  status?: string[];
  @Field({ nullable: true }) @IsOptional() @Matches(/^\d{3}-\d{3}-\d{2}$/) wasteCode?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^HW\d{2}$/) category?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(40) batchCode?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() siteId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() facilityId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() custodianPartyId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() producerPartyId?: string;
  @Field({ nullable: true, description: 'Division-code prefix of the lot’s current site, e.g. "4101".' })
  @IsOptional()
  @Matches(/^\d{2,6}$/)
  divisionPrefix?: string;
}
