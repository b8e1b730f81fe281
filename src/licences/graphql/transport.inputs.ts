import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { CREW_ROLES, type CrewRole } from '../domain/licence.events';
import { IDEM, KEY } from './licence.inputs';

export const CrewRoleEnum = { DRIVER: 'DRIVER', ESCORT: 'ESCORT' } as const;
registerEnumType(CrewRoleEnum, { name: 'CrewRole', description: 'DRIVER 驾驶员 or ESCORT 押运员.' });

@InputType({ description: '道路危险货物运输许可 — register your transport permit; a regulator verifies it.' })
export class RegisterTransportPermitInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({ description: 'Permit number, as issued by the transport department.' })
  @IsString()
  @MinLength(3)
  @MaxLength(64)
  number!: string;
  @Field({ nullable: true, description: '经营范围 as written on the permit.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  scope?: string;
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() validFrom?: string;
  @Field(() => LocalDateScalar, { description: 'Last valid day, inclusive.' }) validTo!: string;
}

@InputType({ description: 'Register a vehicle with its 道路运输证 under one of your permits.' })
export class RegisterVehicleInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() permitId!: string;
  @Field({ description: 'Plate number, e.g. 豫A12345.' }) @IsString() @MaxLength(12) plate!: string;
  @Field({ description: '道路运输证 number.' })
  @IsString()
  @MinLength(3)
  @MaxLength(64)
  certificateNumber!: string;
  @Field(() => LocalDateScalar, { description: 'Last valid day of the 道路运输证.' })
  certificateValidTo!: string;
  @Field({ description: 'A medical-waste transfer vehicle (医疗废物转运车, GB 19217): needed for HW01.' })
  @IsBoolean()
  medicalWasteVehicle!: boolean;
  @Field(() => ID, { nullable: true, description: 'A GPS device of your party fitted to the vehicle.' })
  @IsOptional()
  @IsString()
  gpsDeviceId?: string;
}

@InputType({
  description:
    'Register a driver or escort. The name, phone and certificate number are personal data, kept off the ledger.',
})
export class RegisterCrewMemberInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => CrewRoleEnum) @IsIn(CREW_ROLES) role!: CrewRole;
  @Field() @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @Field({ nullable: true }) @IsOptional() @Matches(/^[\d+\- ]{5,20}$/) phone?: string;
  @Field({ description: '从业资格证 number.' })
  @IsString()
  @MinLength(3)
  @MaxLength(64)
  certificateNumber!: string;
  @Field(() => LocalDateScalar, { description: 'Last valid day of the qualification certificate.' })
  certificateValidTo!: string;
}
