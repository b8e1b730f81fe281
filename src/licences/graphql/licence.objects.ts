import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { LicenceKind, LicenceMode } from '../../parties/domain/licence';
import { Connection } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import type { CrewRole } from '../domain/licence.events';
import { LicenceKindEnum, LicenceModeEnum, LicenceStatusEnum } from './licence.inputs';
import { CrewRoleEnum } from './transport.inputs';

export const LicenceStandingEnum = {
  IN_FORCE: 'IN_FORCE',
  NOT_YET_VALID: 'NOT_YET_VALID',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'SUSPENDED',
  REVOKED: 'REVOKED',
} as const;
registerEnumType(LicenceStandingEnum, {
  name: 'LicenceStanding',
  description: 'Whether a licence stands on a day: IN_FORCE, or why not.',
});
export const CapacityLevelEnum = {
  NORMAL: 'NORMAL',
  WARNING_90: 'WARNING_90',
  OVER_100: 'OVER_100',
} as const;
registerEnumType(CapacityLevelEnum, {
  name: 'CapacityLevel',
  description:
    'Annual use of the item after the act: NORMAL, WARNING_90 (≥ 90 %, early warning), OVER_100 (> 100 %, allowed with an alert; > 120 % is refused).',
});

@ObjectType('LicenceItem', { description: '许可事项 — a waste code or category × modes × annual capacity.' })
export class LicenceItemObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'A waste code NNN-NNN-NN or a category HWxx.' }) scope!: string;
  @Field(() => [LicenceModeEnum]) modes!: LicenceMode[];
  @Field({ description: '年经营规模 in tonnes, a decimal string.' }) annualCapacityTonnes!: string;
  @Field(() => MassScalar, { description: 'The same capacity in kilograms.' }) annualCapacity!: number;
  @Field(() => [String]) mergeableCodes!: string[];
}

@ObjectType('LicenceStatusChange')
export class LicenceStatusChangeObject {
  @Field(() => LicenceStatusEnum) status!: string;
  @Field(() => LocalDateScalar, { description: 'In force from this day until the next change.' })
  from!: string;
}

@ObjectType('Licence', { description: '危险废物经营许可证 — a hazardous-waste operating licence.' })
export class LicenceObject {
  @Field(() => ID) id!: string;
  @Field({ description: '许可证编号' }) number!: string;
  @Field(() => ID) holderPartyId!: string;
  @Field(() => LicenceKindEnum) kind!: LicenceKind;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar, { description: 'Last valid day, inclusive.' }) validTo!: string;
  @Field(() => LicenceStatusEnum, {
    description: 'The latest status issued (see statusChanges for its day).',
  })
  status!: string;
  @Field(() => LicenceStandingEnum, { description: 'Whether it stands today (Asia/Shanghai).' })
  standingToday!: string;
  @Field(() => [LicenceStatusChangeObject]) statusChanges!: LicenceStatusChangeObject[];
  @Field(() => [ID]) facilitySiteIds!: string[];
  @Field(() => [LicenceItemObject]) items!: LicenceItemObject[];
  @Field(() => ID, { description: 'The issuing agency.' }) agencyId!: string;
  @Field() issuedAt!: Date;
}

@ObjectType('LicenceConnection')
export class LicenceConnection extends Connection(LicenceObject, 'Licence') {}

@ObjectType('LicenceCheckResult', {
  description:
    'Could this receiver take this waste with this mode on this day? Nothing is reserved by asking.',
})
export class LicenceCheckResultObject {
  @Field() allowed!: boolean;
  @Field(() => CapacityLevelEnum, { nullable: true }) capacityLevel!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Why not: PARTY_NOT_VERIFIED, RECEIVER_NOT_LICENSED, LICENCE_MODE_MISSING, LICENCE_CAPACITY_EXCEEDED.',
  })
  refusalCode!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => ID, { nullable: true }) licenceId!: string | null;
  @Field(() => String, { nullable: true }) licenceNumber!: string | null;
  @Field(() => ID, { nullable: true, description: 'The licence item (or emergency authorisation) used.' })
  itemId!: string | null;
  @Field(() => String, { nullable: true }) scope!: string | null;
  @Field({ description: 'Relies on an emergency authorisation (应急处置).' }) emergency!: boolean;
  @Field(() => Int, { nullable: true }) year!: number | null;
  @Field(() => MassScalar, { nullable: true, description: 'Reserved and settled this year before the act.' })
  used!: number | null;
  @Field(() => MassScalar, { nullable: true }) after!: number | null;
  @Field(() => MassScalar, { nullable: true }) capacity!: number | null;
}

@ObjectType('Vehicle', { description: 'A vehicle with its 道路运输证, registered under a transport permit.' })
export class VehicleObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) partyId!: string;
  @Field(() => ID) permitId!: string;
  @Field() plate!: string;
  @Field({ description: '道路运输证 number.' }) certificateNumber!: string;
  @Field(() => LocalDateScalar) certificateValidTo!: string;
  @Field({ description: 'Medical-waste transfer vehicle (GB 19217).' }) medicalWasteVehicle!: boolean;
  @Field(() => ID, { nullable: true }) gpsDeviceId!: string | null;
  @Field({ description: 'Verified by a regulator.' }) verified!: boolean;
}

@ObjectType('TransportPermit', { description: '道路危险货物运输许可 — a carrier’s transport permit.' })
export class TransportPermitObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) partyId!: string;
  @Field() number!: string;
  @Field(() => String, { nullable: true }) scope!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) validFrom!: string | null;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field({ description: 'Verified by a regulator.' }) verified!: boolean;
  @Field(() => [VehicleObject]) vehicles!: VehicleObject[];
}

@ObjectType('CrewMember', {
  description: 'A driver or escort. Name, phone and certificate number: own party and regulators only.',
})
export class CrewMemberObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) partyId!: string;
  @Field(() => CrewRoleEnum) role!: CrewRole;
  @Field(() => LocalDateScalar) certificateValidTo!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) certificateNumber!: string | null;
}

@ObjectType('Epidemic', { description: '重大传染病疫情 — a declared major epidemic.' })
export class EpidemicObject {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() regionPrefix!: string;
  @Field(() => LocalDateScalar) from!: string;
  @Field(() => LocalDateScalar, { nullable: true }) to!: string | null;
  @Field({ description: 'DECLARED or ENDED.' }) status!: string;
  @Field(() => ID) agencyId!: string;
}

@ObjectType('EmergencyAuthorisation', {
  description: '应急处置 — a temporary authorisation in an emergency.',
})
export class EmergencyAuthorisationObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) holderPartyId!: string;
  @Field(() => [String]) scope!: string[];
  @Field(() => [LicenceModeEnum]) modes!: LicenceMode[];
  @Field({ description: 'Per calendar year, in tonnes.' }) capacityTonnes!: string;
  @Field(() => [String]) regionPrefixes!: string[];
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field(() => [ID], { nullable: true }) facilitySiteIds!: string[] | null;
  @Field(() => LocalDateScalar, { nullable: true }) revokedFrom!: string | null;
  @Field(() => ID, { nullable: true, description: 'The epidemic (重大传染病疫情) it was granted for.' })
  epidemicId!: string | null;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'The day after the last day of its epidemic, once that epidemic has one: from then on the authorisation no longer applies (it serves only while its epidemic lasts).',
  })
  epidemicEndedFrom!: string | null;
  @Field(() => ID) agencyId!: string;
}

@ObjectType('CrossProvinceApproval', { description: '跨省转移审批 — a cross-province transfer approval.' })
export class CrossProvinceApprovalObject {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field(() => ID) consignorPartyId!: string;
  @Field(() => ID) consignorSiteId!: string;
  @Field(() => ID) receiverPartyId!: string;
  @Field(() => ID) receiverSiteId!: string;
  @Field(() => [String]) wasteCodes!: string[];
  @Field(() => MassScalar) approvedQuantity!: number;
  @Field(() => MassScalar, { description: 'Reserved by submitted manifests plus settled at receipt.' })
  usedQuantity!: number;
  @Field(() => MassScalar) remainingQuantity!: number;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field(() => LocalDateScalar, { nullable: true }) revokedFrom!: string | null;
  @Field(() => ID) agencyId!: string;
}
