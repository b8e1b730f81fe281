import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  LICENCE_KINDS,
  LICENCE_MODES,
  type LicenceKind,
  type LicenceMode,
} from '../../parties/domain/licence';
import { LocalDateScalar } from '../../shared/graphql/scalars';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const LicenceKindEnum = asEnum(LICENCE_KINDS);
export const LicenceModeEnum = asEnum(LICENCE_MODES);
export const LicenceStatusEnum = asEnum(['ACTIVE', 'SUSPENDED', 'REVOKED'] as const);
registerEnumType(LicenceKindEnum, {
  name: 'LicenceKind',
  description:
    '许可证类别 — COMPREHENSIVE 综合经营 (province, 5 years), MEDICAL_DISPOSAL 医疗废物集中处置 (city or province), COLLECTION 收集经营 (county, city or province, 3 years; only 900-214-08 and 900-044-49), PILOT_COLLECTION 小量产废单位集中收集试点 (province).',
});
registerEnumType(LicenceModeEnum, {
  name: 'LicenceMode',
  description: '经营方式 — COLLECT 收集, STORE 贮存, UTILISE 利用, DISPOSE 处置.',
});
registerEnumType(LicenceStatusEnum, {
  name: 'LicenceStatus',
  description: 'ACTIVE, SUSPENDED (暂扣) or REVOKED (吊销); each change takes effect from a day.',
});

export const KEY = {
  description: 'Retry key, scoped to you: a retry with the same key returns the first result.',
};
export const IDEM = /^[\w.:@/-]{1,128}$/;
/** A decimal string of tonnes, up to the gram (6 decimals). */
export const TONNES = /^(0|[1-9]\d{0,8})(\.\d{1,6})?$/;
export const TONNES_HELP =
  'Tonnes as a decimal string with up to 6 decimals, e.g. "5000" or "12.5" (never a float).';

@InputType({ description: '许可事项 — a waste code or category, its modes and annual capacity.' })
export class LicenceItemInput {
  @Field(() => ID, {
    nullable: true,
    description: 'amendLicence: the id of an item kept (its scope stays, its capacity use carries on).',
  })
  @IsOptional()
  @IsString()
  itemId?: string;
  @Field({ description: 'A waste code NNN-NNN-NN, or a whole category HWxx.' })
  @IsString()
  @MaxLength(12)
  scope!: string;
  @Field(() => [LicenceModeEnum])
  @IsArray()
  @IsIn(LICENCE_MODES, { each: true })
  modes!: LicenceMode[];
  @Field({ description: `年经营规模. ${TONNES_HELP}` })
  @Matches(TONNES, { message: 'must be tonnes as a decimal string, e.g. "5000" or "12.5"' })
  annualCapacityTonnes!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Codes this item allows to be merged into one lot of its code (合并、重新包装).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  mergeableCodes?: string[];
}

@InputType({ description: '颁发许可证 — issue a licence (the agency level must issue its kind).' })
export class IssueLicenceInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({ description: '许可证编号, as printed.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  number!: string;
  @Field(() => ID) @IsString() holderPartyId!: string;
  @Field(() => LicenceKindEnum) @IsIn(LICENCE_KINDS) kind!: LicenceKind;
  @Field(() => LocalDateScalar, { description: 'First valid day.' }) validFrom!: string;
  @Field(() => LocalDateScalar, { description: 'Last valid day (有效期至), inclusive.' }) validTo!: string;
  @Field(() => [ID], { description: 'Sites of the holder whose facilities the licence names (设施地址).' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  facilitySiteIds!: string[];
  @Field(() => [LicenceItemInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LicenceItemInput)
  items!: LicenceItemInput[];
}

@InputType({
  description: 'Amend a licence: what is named replaces what it had (items: the whole new list).',
})
export class AmendLicenceInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() licenceId!: string;
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() validFrom?: string;
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() validTo?: string;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  facilitySiteIds?: string[];
  @Field(() => [LicenceItemInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LicenceItemInput)
  items?: LicenceItemInput[];
  @Field() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
}

@InputType({ description: 'Suspend, reinstate or revoke a licence from a day on (today or later).' })
export class ChangeLicenceStatusInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() licenceId!: string;
  @Field(() => LocalDateScalar, { description: 'First day the change takes effect (Asia/Shanghai).' })
  from!: string;
  @Field() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
}

@InputType()
export class LicenceFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() holderPartyId?: string;
  @Field(() => LicenceKindEnum, { nullable: true }) @IsOptional() @IsIn(LICENCE_KINDS) kind?: LicenceKind;
  @Field(() => LicenceStatusEnum, { nullable: true, description: 'The latest status issued.' })
  @IsOptional()
  @IsIn(['ACTIVE', 'SUSPENDED', 'REVOKED'])
  status?: string;
  @Field({ nullable: true, description: 'Division-code prefix of a facility site, e.g. "4101".' })
  @IsOptional()
  @Matches(/^\d{2,6}$/)
  divisionPrefix?: string;
  @Field({
    nullable: true,
    description: 'Licences with an item covering this waste code (code or category).',
  })
  @IsOptional()
  @Matches(/^\d{3}-\d{3}-\d{2}$/)
  wasteCode?: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Only licences valid on this day.' })
  @IsOptional()
  validOn?: string;
}
