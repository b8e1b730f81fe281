import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
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

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };
export const PartyTypeEnum = asEnum(PARTY_TYPES);
export const FacilityTypeEnum = asEnum(FACILITY_TYPES);
export const PartyRoleEnum = asEnum(PARTY_ROLES);
export const DelegationScopeEnum = asEnum(DELEGATION_SCOPES);
export const DeviceKindEnum = asEnum(DEVICE_KINDS);
export const AgencyKindEnum = asEnum(AGENCY_KINDS);
export const AgencyLevelEnum = asEnum(AGENCY_LEVELS);
export const ManagementClassEnum = asEnum(['KEY', 'SIMPLIFIED', 'REGISTRATION'] as const);
registerEnumType(PartyTypeEnum, {
  name: 'PartyType',
  description:
    '单位类型 — PRODUCER 产废单位, MEDICAL_INSTITUTION 医疗卫生机构, COLLECTOR 收集单位, STORAGE 贮存, UTILISER 利用, DISPOSER 处置, TRANSPORTER 承运人.',
});
registerEnumType(FacilityTypeEnum, {
  name: 'FacilityType',
  description:
    '设施类型 — STORAGE_SPOT is a 贮存点 (3 t at most at any moment); MEDICAL_TEMP_STORAGE 医疗废物暂时贮存.',
});
registerEnumType(PartyRoleEnum, {
  name: 'PartyRole',
  description: 'Role of a user within its party. DRIVER may only sign transport steps.',
});
registerEnumType(DelegationScopeEnum, {
  name: 'DelegationScope',
  description: 'What an agent (代理) may do for the delegating party.',
});
registerEnumType(DeviceKindEnum, { name: 'DeviceKind' });
registerEnumType(AgencyKindEnum, {
  name: 'AgencyKind',
  description:
    'ENVIRONMENT 生态环境主管部门 (regulators); TRANSPORT 交通运输, POLICE 公安交管 (read-only roadside checks).',
});
registerEnumType(AgencyLevelEnum, { name: 'AgencyLevel', description: '省 PROVINCE, 市 CITY, 县 COUNTY.' });
registerEnumType(ManagementClassEnum, {
  name: 'ManagementClass',
  description: '管理类别 (HJ 1259-2022): KEY 重点监管, SIMPLIFIED 简化管理, REGISTRATION 登记管理.',
});

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

@ObjectType('Facility', { description: '设施 — a facility of a site.' })
export class FacilityObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => FacilityTypeEnum) type!: FacilityType;
  @Field() name!: string;
  @Field(() => MassScalar, { nullable: true }) capacity!: number | null;
  @Field(() => MassScalar, { nullable: true }) maxStock!: number | null;
  @Field() status!: string;
}

@ObjectType('Site', { description: '生产经营场所 — a site of a party, with its division and facilities.' })
export class SiteObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) partyId!: string;
  @Field() name!: string;
  @Field() divisionCode!: string;
  @Field() provinceCode!: string;
  @Field(() => String, { nullable: true }) cityCode!: string | null;
  @Field() address!: string;
  @Field(() => String, { nullable: true }) latitude!: string | null;
  @Field(() => String, { nullable: true }) longitude!: string | null;
  @Field(() => Int, { nullable: true }) geofenceRadiusM!: number | null;
  @Field(() => MassScalar, { nullable: true }) expectedAnnualAmount!: number | null;
  @Field() ownTreatment!: boolean;
  @Field(() => [FacilityObject]) facilities!: FacilityObject[];
}

@ObjectType('Party', { description: '单位 — a legal entity taking part in the chain of custody.' })
export class PartyObject {
  @Field(() => ID) id!: string;
  @Field({ description: '统一社会信用代码' }) uscc!: string;
  @Field() name!: string;
  @Field(() => [PartyTypeEnum]) types!: PartyType[];
  @Field({ description: 'PENDING until a regulator verifies it, then VERIFIED.' }) status!: string;
  @Field() registeredBy!: string;
  @Field(() => Int, { nullable: true }) bedCount!: number | null;
  @Field({ description: 'Division code of its first site.' }) region!: string;
  @Field() registeredAt!: Date;
  @Field(() => Date, { nullable: true }) verifiedAt!: Date | null;
  @Field(() => [SiteObject]) sites!: SiteObject[];
}

@ObjectType('PartyUser', { description: 'A user of a party (visible to its ADMINs).' })
export class PartyUserObject {
  @Field(() => ID) id!: string;
  @Field() username!: string;
  @Field() displayName!: string;
  @Field(() => PartyRoleEnum) role!: PartyRole;
  @Field() status!: string;
}

@ObjectType('Delegation', { description: '委托 — an agent acting for a party.' })
export class DelegationObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) principalPartyId!: string;
  @Field(() => ID) agentPartyId!: string;
  @Field(() => [DelegationScopeEnum]) scope!: DelegationScope[];
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field() status!: string;
}

@ObjectType('Device', { description: 'A scanner, GPS unit or weighbridge of a party.' })
export class DeviceObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) partyId!: string;
  @Field(() => DeviceKindEnum) kind!: DeviceKind;
  @Field() label!: string;
  @Field(() => [String]) operations!: string[];
  @Field() status!: string;
}

@ObjectType('RegisteredDevice', {
  description: 'A new device and its API key — shown this once, stored only hashed.',
})
export class RegisteredDeviceObject {
  @Field(() => DeviceObject) device!: DeviceObject;
  @Field(() => String, {
    nullable: true,
    description: 'The API key, in the first answer only (null on a retried request).',
  })
  apiKey!: string | null;
}

@ObjectType('AgencyUser', { description: 'A user of an agency.' })
export class AgencyUserObject {
  @Field(() => ID) id!: string;
  @Field() username!: string;
  @Field() displayName!: string;
  @Field(() => ID) agencyId!: string;
  @Field({ description: 'REGULATOR (environment agencies) or INSPECTOR (transport, police).' }) role!: string;
}

@ObjectType('Agency', { description: '监管部门 — a regulator agency or an inspection body.' })
export class AgencyObject {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => AgencyKindEnum) kind!: AgencyKind;
  @Field(() => AgencyLevelEnum) level!: AgencyLevel;
  @Field() divisionCode!: string;
  @Field(() => [String]) jurisdiction!: string[];
}

@ObjectType('ManagementClassResult', { description: '管理类别 of a producer site for a year, and why.' })
export class ManagementClassObject {
  @Field(() => ID) siteId!: string;
  @Field(() => Int) year!: number;
  @Field(() => ManagementClassEnum) managementClass!: string;
  @Field({ description: 'OVERRIDE, FACILITY_OR_LICENCE, LEDGER or DECLARED.' }) basis!: string;
  @Field(() => MassScalar, { nullable: true }) amount!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('AdministrativeDivision', {
  description: '行政区划 — a division code resolved against the reference table.',
})
export class DivisionObject {
  @Field() code!: string;
  @Field({ description: 'province, city or county' }) level!: string;
  @Field() provinceCode!: string;
  @Field() provinceName!: string;
  @Field(() => String, { nullable: true }) cityCode!: string | null;
  @Field(() => String, { nullable: true }) cityName!: string | null;
  @Field(() => String, { nullable: true }) countyName!: string | null;
  @Field({ description: 'True when listed in the table; false when accepted by its shape (outside Henan).' })
  listed!: boolean;
}
