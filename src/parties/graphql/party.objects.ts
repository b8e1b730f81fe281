import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import type {
  AgencyKind,
  AgencyLevel,
  DelegationScope,
  DeviceKind,
  FacilityType,
  PartyRole,
  PartyType,
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
