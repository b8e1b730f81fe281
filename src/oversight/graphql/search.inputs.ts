import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { LicenceKindEnum, LicenceStatusEnum } from '../../licences/graphql/licence.inputs';
import { LotStatusEnum } from '../../lots/graphql/lot.inputs';
import { ManifestStatusEnum } from '../../manifests/graphql/manifest.inputs';
import { PartyTypeEnum } from '../../parties/graphql/party.enums';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../shared/graphql/pagination';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { LICENCE_SORTS, LOT_SORTS, MANIFEST_SORTS, PARTY_SORTS } from '../search/search-queries';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const SortDirectionEnum = asEnum(['ASC', 'DESC'] as const);
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });
export const LotSortEnum = asEnum(Object.keys(LOT_SORTS) as (keyof typeof LOT_SORTS)[]);
registerEnumType(LotSortEnum, { name: 'LotSearchSort' });
export const ManifestSortEnum = asEnum(Object.keys(MANIFEST_SORTS) as (keyof typeof MANIFEST_SORTS)[]);
registerEnumType(ManifestSortEnum, { name: 'ManifestSearchSort' });
export const PartySortEnum = asEnum(Object.keys(PARTY_SORTS) as (keyof typeof PARTY_SORTS)[]);
registerEnumType(PartySortEnum, { name: 'PartySearchSort' });
export const LicenceSortEnum = asEnum(Object.keys(LICENCE_SORTS) as (keyof typeof LICENCE_SORTS)[]);
registerEnumType(LicenceSortEnum, { name: 'LicenceSearchSort' });

const WASTE_CODE = /^\d{3}-\d{3}-\d{2}$/;
const CATEGORY = /^HW\d{2}$/;
const PREFIX = /^\d{2}(\d{2}){0,2}$/;

/** Page size, cursor and sort direction of a search. */
@ArgsType()
export class SearchPageArgs {
  @Field(() => Int, { nullable: true, description: `1..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, {
    nullable: true,
    description: 'The `endCursor` of the previous page (same filter and sort).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  after?: string;

  @Field(() => SortDirectionEnum, { nullable: true, description: 'DESC (default) or ASC.' })
  @IsOptional()
  @IsIn(['ASC', 'DESC'])
  direction?: 'ASC' | 'DESC';
}

@InputType({ isAbstract: true })
abstract class SearchFilterBase {
  @Field({
    nullable: true,
    description: '行政区划代码 prefix (2, 4 or 6 digits): the record touches a site there.',
  })
  @IsOptional()
  @Matches(PREFIX, { message: 'regionPrefix: 2, 4 or 6 digits' })
  regionPrefix?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'From this Shanghai date (inclusive).' })
  @IsOptional()
  from?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'To this Shanghai date (inclusive).' })
  @IsOptional()
  to?: string;
}

@InputType({ description: 'Lots: all given conditions hold; dates are the generation date.' })
export class LotSearchInput extends SearchFilterBase {
  @Field(() => [LotStatusEnum], { nullable: true }) @IsOptional() @ArrayMaxSize(20) status?: string[];
  @Field({ nullable: true })
  @IsOptional()
  @Matches(WASTE_CODE, { message: 'wasteCode: NNN-NNN-NN' })
  wasteCode?: string;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category: HWnn' })
  category?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(40) labelCode?: string;
  @Field(() => ID, {
    nullable: true,
    description: 'A party the lot’s history names (producer, holder, carrier…).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  partyId?: string;
  @Field({
    nullable: true,
    description: '差异 — a receipt of the lot found a difference beyond the tolerance.',
  })
  @IsOptional()
  @IsBoolean()
  discrepancy?: boolean;
  @Field({ nullable: true, description: 'An offline custody act on it failed its checks.' })
  @IsOptional()
  @IsBoolean()
  disputed?: boolean;
}

@InputType({ description: 'Manifests: all given conditions hold; dates are the planned date.' })
export class ManifestSearchInput extends SearchFilterBase {
  @Field(() => [ManifestStatusEnum], { nullable: true }) @IsOptional() @ArrayMaxSize(20) status?: string[];
  @Field({ nullable: true, description: 'A lot of this code is listed.' })
  @IsOptional()
  @Matches(WASTE_CODE, { message: 'wasteCode: NNN-NNN-NN' })
  wasteCode?: string;
  @Field({ nullable: true })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category: HWnn' })
  category?: string;
  @Field({ nullable: true, description: 'HazLedger number, or the national system’s number.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  number?: string;
  @Field(() => ID, { nullable: true, description: 'A party named on it (any role).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  partyId?: string;
  @Field({ nullable: true, description: '差异 — a receipt difference beyond the tolerance.' })
  @IsOptional()
  @IsBoolean()
  discrepancy?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() disputed?: boolean;
}

@InputType({ description: 'Parties: all given conditions hold; dates are the registration date.' })
export class PartySearchInput extends SearchFilterBase {
  @Field({ nullable: true, description: 'PENDING or VERIFIED.' })
  @IsOptional()
  @IsIn(['PENDING', 'VERIFIED'])
  status?: string;
  @Field(() => PartyTypeEnum, { nullable: true }) @IsOptional() type?: string;
  @Field({ nullable: true, description: '统一社会信用代码 (exact), or the start of the name.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  text?: string;
}

@InputType({ description: 'Licences: all given conditions hold; dates are the last valid day (valid_to).' })
export class LicenceSearchInput extends SearchFilterBase {
  @Field(() => LicenceStatusEnum, { nullable: true }) @IsOptional() status?: string;
  @Field(() => LicenceKindEnum, { nullable: true }) @IsOptional() kind?: string;
  @Field({ nullable: true, description: 'An item covers this code (the code, or its category).' })
  @IsOptional()
  @Matches(WASTE_CODE, { message: 'wasteCode: NNN-NNN-NN' })
  wasteCode?: string;
  @Field({ nullable: true, description: 'An item covers the category or a code of it.' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category: HWnn' })
  category?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(80) number?: string;
  @Field(() => ID, { nullable: true, description: 'The holder.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  partyId?: string;
}
