import { Field, ID, InputType } from '@nestjs/graphql';
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
} from 'class-validator';
import { LICENCE_MODES, type LicenceMode } from '../../parties/domain/licence';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { IDEM, KEY, LicenceModeEnum, TONNES, TONNES_HELP } from './licence.inputs';

const PREFIX = /^\d{2}(\d{2}){0,2}$/;

@InputType({ description: '重大传染病疫情 — declare a major epidemic for a region of your jurisdiction.' })
export class DeclareEpidemicInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field() @IsString() @MinLength(2) @MaxLength(200) name!: string;
  @Field({ description: 'Division-code prefix of the region: "41", "4101", "410102".' })
  @Matches(PREFIX)
  regionPrefix!: string;
  @Field(() => LocalDateScalar, { description: 'First day.' }) from!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day, or none while open-ended.' })
  @IsOptional()
  to?: string;
}

@InputType()
export class EndEpidemicInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() epidemicId!: string;
  @Field(() => LocalDateScalar, { description: 'Last day of the epidemic (yesterday at the earliest).' })
  to!: string;
}

@InputType({
  description:
    '应急处置 — grant a facility a temporary scope (codes or categories, modes, capacity, regions served).',
})
export class GrantEmergencyAuthorisationInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() holderPartyId!: string;
  @Field(() => [String], { description: 'Waste codes and/or categories.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scope!: string[];
  @Field(() => [LicenceModeEnum])
  @IsArray()
  @IsIn(LICENCE_MODES, { each: true })
  modes!: LicenceMode[];
  @Field({ description: `Capacity per calendar year. ${TONNES_HELP}` })
  @Matches(TONNES, { message: 'must be tonnes as a decimal string, e.g. "30"' })
  capacityTonnes!: string;
  @Field(() => [String], {
    description: 'Regions served (division-code prefixes), matched against the origin.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(PREFIX, { each: true })
  regionPrefixes!: string[];
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar, { description: 'Last day, at most 12 months on.' }) validTo!: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Limit it to these sites of the holder (a mobile unit…).',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  facilitySiteIds?: string[];
  @Field(() => ID, { nullable: true, description: 'The declared epidemic it serves.' })
  @IsOptional()
  @IsString()
  epidemicId?: string;
}

@InputType({
  description: 'End an emergency authorisation or withdraw a cross-province approval from a day on.',
})
export class RevokeAuthorisationInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() id!: string;
  @Field(() => LocalDateScalar, { description: 'First day it no longer applies (today or later).' })
  from!: string;
  @Field() @IsString() @MinLength(2) @MaxLength(1000) reason!: string;
}

@InputType({
  description:
    '跨省转移审批 — the exporting province approves a transfer: valid 12 months at most, capped by the receiver’s licence.',
})
export class IssueCrossProvinceApprovalInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({ description: 'Approval number, as issued.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  number!: string;
  @Field(() => ID) @IsString() consignorPartyId!: string;
  @Field(() => ID, { description: 'The consignor’s site the waste leaves from (in your province).' })
  @IsString()
  consignorSiteId!: string;
  @Field(() => ID) @IsString() receiverPartyId!: string;
  @Field(() => ID, { description: 'The receiver’s licensed site, in another province.' })
  @IsString()
  receiverSiteId!: string;
  @Field(() => [String], { description: 'Approved waste codes.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  wasteCodes!: string[];
  @Field(() => MassScalar, { description: 'Approved quantity for the whole approval.' })
  approvedQuantity!: number;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Requested last day; capped at 12 months and at the receiver’s licence expiry.',
  })
  @IsOptional()
  validTo?: string;
}

@InputType()
export class AuthorisationFilter {
  @Field(() => ID, { nullable: true, description: 'A party named on it (holder, consignor or receiver).' })
  @IsOptional()
  @IsString()
  partyId?: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Only those valid on this day.' })
  @IsOptional()
  validOn?: string;
}
