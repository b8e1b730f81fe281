/** Inputs of drafting, submitting, cancelling and numbering a manifest. */
import { Field, ID, InputType } from '@nestjs/graphql';
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
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { INTENDED_MODES, TRANSFER_TYPES, type IntendedMode, type TransferType } from '../domain';

import { TransferTypeEnum, IntendedModeEnum, SHIPPERS, ShipperEnum } from './manifest.enums';
import { KEY, IDEM, BASEL, AGENT, ManifestActInput } from './manifest-base.inputs';

@InputType({ description: '承运人 — one transport leg: carrier, vehicle (道路运输证), driver and escort.' })
export class CarrierLegInput {
  @Field(() => ID) @IsString() carrierPartyId!: string;
  @Field(() => ID) @IsString() vehicleId!: string;
  @Field(() => ID) @IsString() driverId!: string;
  @Field(() => ID) @IsString() escortId!: string;
}

@InputType({ description: 'A lot (批次) on the manifest with its intended mode and Basel method.' })
export class ManifestLotInput {
  @Field(() => ID) @IsString() lotId!: string;
  @Field(() => IntendedModeEnum) @IsIn(INTENDED_MODES) intendedMode!: IntendedMode;
  @Field({ description: 'Basel Convention Annex IV: D1–D15 (处置) or R1–R13 (利用).' })
  @Matches(BASEL, { message: 'must be a Basel code D1–D15 or R1–R13' })
  method!: string;
  @Field(() => MassScalar, { nullable: true, description: 'Declared mass; default: the lot’s mass.' })
  @IsOptional()
  declaredMass?: number;
  @Field({ nullable: true, description: '废物名称; default: the category’s name in the catalogue.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  wasteName?: string;
}

/** What a manifest says, as a consignor enters it (a draft, or a paper trip entered afterwards). */
@InputType({ isAbstract: true })
export abstract class ManifestContentFields {
  @Field(() => TransferTypeEnum, {
    nullable: true,
    description: 'Default: INTRA_PROVINCE or CROSS_PROVINCE from the sites.',
  })
  @IsOptional()
  @IsIn(TRANSFER_TYPES)
  transferType?: TransferType;
  @Field(() => ID, {
    nullable: true,
    description: 'The consignor’s site the waste leaves (default: its only site).',
  })
  @IsOptional()
  @IsString()
  consignorSiteId?: string;
  @Field(() => ID, { nullable: true, description: '接受人 — required unless the round names it.' })
  @IsOptional()
  @IsString()
  receiverPartyId?: string;
  @Field(() => ID, { nullable: true, description: 'The receiving site (default: the receiver’s only site).' })
  @IsOptional()
  @IsString()
  receiverSiteId?: string;
  @Field(() => ShipperEnum, { nullable: true, description: '托运人 (default: the consignor).' })
  @IsOptional()
  @IsIn(SHIPPERS)
  shipper?: (typeof SHIPPERS)[number];
  @Field(() => [CarrierLegInput], {
    nullable: true,
    description: 'Legs in order (联运: several); default: the round’s vehicle.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CarrierLegInput)
  legs?: CarrierLegInput[];
  @Field(() => [ManifestLotInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ManifestLotInput)
  lots!: ManifestLotInput[];
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Planned transfer date (default: the round’s).',
  })
  @IsOptional()
  plannedDate?: string;
  @Field({ description: '应急措施 — emergency measures.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  emergencyMeasures!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'The manifest this one continues (required for a RETURN).',
  })
  @IsOptional()
  @IsString()
  precedingManifestId?: string;
  @Field(() => ID, {
    nullable: true,
    description: '集中收集 — the collection round the manifest belongs to.',
  })
  @IsOptional()
  @IsString()
  roundId?: string;
}

@InputType({ description: '联单起草 — draft a transfer manifest (the consignor, or its agent).' })
export class DraftManifestInput extends ManifestContentFields {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID, AGENT) @IsOptional() @IsString() onBehalfOfPartyId?: string;
}

@InputType({ description: 'The content of a paper manifest entered afterwards.' })
export class PaperManifestContentInput extends ManifestContentFields {}

@InputType({ description: 'Change fields of a draft; fields left out stay as they are.' })
export class AmendManifestDraftInput extends ManifestActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() receiverPartyId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() receiverSiteId?: string;
  @Field(() => ShipperEnum, { nullable: true })
  @IsOptional()
  @IsIn(SHIPPERS)
  shipper?: (typeof SHIPPERS)[number];
  @Field(() => [CarrierLegInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CarrierLegInput)
  legs?: CarrierLegInput[];
  @Field(() => [ManifestLotInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ManifestLotInput)
  lots?: ManifestLotInput[];
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() plannedDate?: string;
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  emergencyMeasures?: string;
}

@InputType()
export class ManifestRefInput extends ManifestActInput {
  @Field(() => ID) @IsString() manifestId!: string;
}

@InputType({
  description:
    '提交 — submit a draft; the checks of SPEC section 6.1 run and a one-time handover code is issued.',
})
export class SubmitManifestInput extends ManifestRefInput {
  @Field(() => ID, {
    nullable: true,
    description:
      '跨省转移审批 — the approval a cross-province manifest cites (default: the first valid one).',
  })
  @IsOptional()
  @IsString()
  crossProvinceApprovalId?: string;
}

@InputType()
export class CancelManifestInput extends ManifestRefInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

@InputType()
export class ReportNationalNumberInput extends ManifestRefInput {
  @Field({ description: '14 digits: year (4), province (2), city (2), serial (6).' })
  @Matches(/^\d{14}$/, { message: 'must be 14 digits' })
  nationalNumber!: string;
}
