import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import {
  AGENCY_KINDS,
  AGENCY_LEVELS,
  DELEGATION_SCOPES,
  DEVICE_KINDS,
  FACILITY_TYPES,
  PARTY_ROLES,
  PARTY_TYPES,
  type AgencyKind,
  type AgencyLevel,
  type DelegationScope,
  type DeviceKind,
  type FacilityType,
  type PartyRole,
  type PartyType,
} from '../domain/party.events';
import {
  AgencyKindEnum,
  AgencyLevelEnum,
  DelegationScopeEnum,
  DeviceKindEnum,
  FacilityTypeEnum,
  ManagementClassEnum,
  PartyRoleEnum,
  PartyTypeEnum,
} from './party.enums';

const KEY = { description: 'Retry key, scoped to you: a retry with the same key returns the first result.' };
const IDEM = /^[\w.:@/-]{1,128}$/;

@InputType()
export class FacilityInput {
  @Field(() => FacilityTypeEnum) @IsIn(FACILITY_TYPES) type!: FacilityType;
  @Field() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @Field(() => MassScalar, { nullable: true, description: 'Capacity.' }) @IsOptional() capacity?: number;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'Maximum stock at any moment (a storage spot: 3 t).',
  })
  @IsOptional()
  maxStock?: number;
}

@InputType()
export class SiteInput {
  @Field() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @Field({ description: '行政区划代码: 6-digit administrative division code, e.g. "410102".' })
  @Matches(/^\d{6}$/, { message: 'must be 6 digits' })
  divisionCode!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(500) address!: string;
  @Field({ nullable: true, description: 'Decimal degrees, e.g. "34.7466".' })
  @IsOptional()
  @Matches(/^-?\d{1,2}(\.\d{1,7})?$/)
  latitude?: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^-?\d{1,3}(\.\d{1,7})?$/) longitude?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(10) @Max(50_000) geofenceRadiusM?: number;
  @Field(() => MassScalar, {
    nullable: true,
    description: 'Expected annual amount (EIA or discharge permit), for the management class of a new site.',
  })
  @IsOptional()
  expectedAnnualAmount?: number;
  @Field({ nullable: true, description: 'The site has its own treatment facility (makes it KEY).' })
  @IsOptional()
  ownTreatment?: boolean;
  @Field(() => [FacilityInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FacilityInput)
  facilities!: FacilityInput[];
}

@InputType()
export class ContactInput {
  @Field() @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^[\d+\- ]{5,20}$/) phone?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() email?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) role?: string;
}

@InputType()
export class NewUserInput {
  @Field({ description: 'Login name: 3–64 of letters, digits, . _ @ -' })
  @Matches(/^[\w.@-]{3,64}$/, { message: 'must be 3–64 letters, digits or . _ @ -' })
  username!: string;
  @Field({ description: 'At least 8 characters with a letter and a digit.' })
  @Matches(/^(?=.*[A-Za-z])(?=.*\d).{8,128}$/, {
    message: 'must have 8 or more characters with a letter and a digit',
  })
  password!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^[\d+\- ]{5,20}$/) phone?: string;
}

@InputType({
  description:
    'Register a party (单位) with its sites and first ADMIN user; it stays pending until a regulator verifies it.',
})
export class RegisterPartyInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({ description: '统一社会信用代码 (18 characters, GB 32100-2015 check character).' })
  @IsString()
  uscc!: string;
  @Field() @IsString() @MinLength(2) @MaxLength(200) name!: string;
  @Field(() => [PartyTypeEnum])
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(PARTY_TYPES, { each: true })
  types!: PartyType[];
  @Field(() => Int, {
    nullable: true,
    description: 'Beds, for a medical institution (≤ 19 beds: exemption #2).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  bedCount?: number;
  @Field(() => [ContactInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ContactInput)
  contacts!: ContactInput[];
  @Field(() => [SiteInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SiteInput)
  sites!: SiteInput[];
  @Field(() => NewUserInput, {
    nullable: true,
    description: 'The first ADMIN user (required for self-registration).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewUserInput)
  admin?: NewUserInput;
}

@InputType()
export class PartyRefInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() partyId!: string;
}

@InputType()
export class AddSiteInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => SiteInput) @ValidateNested() @Type(() => SiteInput) site!: SiteInput;
}

@InputType()
export class AddFacilityInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() siteId!: string;
  @Field(() => FacilityInput) @ValidateNested() @Type(() => FacilityInput) facility!: FacilityInput;
}

@InputType({ description: 'Move a facility (a mobile disposal unit) to another site of the party.' })
export class RelocateFacilityInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() facilityId!: string;
  @Field(() => ID) @IsString() siteId!: string;
}

@InputType()
export class CreateUserInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => NewUserInput) @ValidateNested() @Type(() => NewUserInput) user!: NewUserInput;
  @Field(() => PartyRoleEnum) @IsIn(PARTY_ROLES) role!: PartyRole;
}

@InputType()
export class UserRefInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() userId!: string;
  @Field(() => PartyRoleEnum, { nullable: true, description: 'New role (changeUserRole).' })
  @IsOptional()
  @IsIn(PARTY_ROLES)
  role?: PartyRole;
}

@InputType({
  description: 'Delegate to an agent (代理), typically a pilot collector acting for a small producer.',
})
export class GrantDelegationInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() agentPartyId!: string;
  @Field(() => [DelegationScopeEnum])
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(DELEGATION_SCOPES, { each: true })
  scope!: DelegationScope[];
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
}

@InputType()
export class RefInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() id!: string;
}

@InputType({ description: 'Register a scanner, GPS unit or weighbridge; its API key is returned once.' })
export class RegisterDeviceInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => DeviceKindEnum) @IsIn(DEVICE_KINDS) kind!: DeviceKind;
  @Field() @IsString() @MinLength(1) @MaxLength(100) label!: string;
  @Field(() => [String], { description: 'GraphQL operations the device may call, e.g. ["submitScans"].' })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  operations!: string[];
}

@InputType()
export class OverrideManagementClassInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() siteId!: string;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year!: number;
  @Field(() => ManagementClassEnum) @IsIn(['KEY', 'SIMPLIFIED', 'REGISTRATION']) managementClass!: string;
  @Field() @IsString() @MinLength(3) @MaxLength(1000) reason!: string;
}

@InputType()
export class CreateAgencyInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field() @IsString() @MinLength(2) @MaxLength(200) name!: string;
  @Field(() => AgencyKindEnum) @IsIn(AGENCY_KINDS) kind!: AgencyKind;
  @Field(() => AgencyLevelEnum) @IsIn(AGENCY_LEVELS) level!: AgencyLevel;
  @Field() @Matches(/^\d{6}$/) divisionCode!: string;
  @Field(() => [String], {
    description: 'Division-code prefixes: "41" (Henan), "4101" (Zhengzhou), "410102" (a district).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^\d{2}(\d{2}){0,2}$/, { each: true })
  jurisdiction!: string[];
}

@InputType()
export class CreateAgencyUserInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() agencyId!: string;
  @Field(() => NewUserInput) @ValidateNested() @Type(() => NewUserInput) user!: NewUserInput;
}
