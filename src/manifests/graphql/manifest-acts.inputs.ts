/** Inputs of the custody, receipt and correction acts of a manifest. */
import { Field, ID, InputType } from '@nestjs/graphql';
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
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import {
  MANIFEST_STATUSES,
  RECEIPT_DECISIONS,
  TRANSFER_TYPES,
  type ManifestStatus,
  type ReceiptDecision,
  type TransferType,
} from '../domain';

import {
  ManifestStatusEnum,
  TransferTypeEnum,
  ReceiptDecisionEnum,
  SCAN_ACTS,
  ScanActEnum,
  MANIFEST_PARTY_ROLES,
  ManifestPartyRoleEnum,
  CORRECTION_FIELDS,
  CorrectionFieldEnum,
} from './manifest.enums';
import { KEY, IDEM, BASEL, ManifestActInput, OnSiteActInput } from './manifest-base.inputs';
import { ManifestRefInput, PaperManifestContentInput } from './manifest-drafting.inputs';
import type { CorrectionFieldName, ScanAct } from './manifest.enums';

@InputType({ description: 'A lot weighed at pickup (地磅), by its label.' })
export class PickupMassInput {
  @Field() @IsString() @MinLength(1) @MaxLength(64) labelCode!: string;
  @Field(() => MassScalar) mass!: number;
}

@InputType({
  description:
    '交接 — the first carrier takes custody: loading check, every label scanned, the handover code entered.',
})
export class TakeCustodyInput extends OnSiteActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  scannedLabels!: string[];
  @Field(() => [PickupMassInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PickupMassInput)
  pickupMasses?: PickupMassInput[];
  @Field({ description: 'The one-time handover code the consignor gave the driver.' })
  @IsString()
  @MaxLength(32)
  handoverCode!: string;
  @Field({ description: '托运人 loading check passed (permits, vehicle, crew and labels match).' })
  @IsBoolean()
  shipperLoadingCheckPassed!: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) place?: string;
}

@InputType({
  description: 'The first carrier refuses one container before departure; it stays with the consignor.',
})
export class RefuseContainerInput extends OnSiteActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => ID) @IsString() lotId!: string;
  @Field() @IsString() @MinLength(3) @MaxLength(500) reason!: string;
}

@InputType({ description: '联运 — the next leg’s carrier takes custody from the previous one.' })
export class RelayCustodyInput extends OnSiteActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  scannedLabels!: string[];
  @Field() @IsString() @MinLength(1) @MaxLength(500) place!: string;
}

@InputType({
  description: '送达 — the last carrier or the named receiver records the handover at the receiver.',
})
export class DeliverManifestInput extends OnSiteActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Who the waste is handed to: only the named receiver (default).',
  })
  @IsOptional()
  @IsString()
  receiverPartyId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) place?: string;
}

@InputType({ description: 'One lot’s receipt: measured mass and decision.' })
export class LotReceiptInput {
  @Field(() => ID) @IsString() lotId!: string;
  @Field(() => MassScalar) measuredMass!: number;
  @Field(() => ReceiptDecisionEnum) @IsIn(RECEIPT_DECISIONS) decision!: ReceiptDecision;
  @Field(() => MassScalar, { nullable: true, description: 'PARTIALLY_ACCEPTED: the rejected part.' })
  @IsOptional()
  rejectedMass?: number;
  @Field({ nullable: true, description: 'Required unless ACCEPTED.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
  @Field({ nullable: true, description: 'Basel method the receiver applies (default: the declared one).' })
  @IsOptional()
  @Matches(BASEL)
  method?: string;
  @Field(() => ID, { nullable: true, description: 'Where this lot is put (default: the input’s facility).' })
  @IsOptional()
  @IsString()
  facilityId?: string;
}

@InputType({
  description: '接收 — the receiver weighs and decides per lot (within 5 working days of delivery).',
})
export class RecordReceiptInput extends OnSiteActInput {
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => ID, { description: 'A facility of the receiver at the delivery site.' })
  @IsString()
  facilityId!: string;
  @Field(() => [LotReceiptInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LotReceiptInput)
  receipts!: LotReceiptInput[];
}

@InputType()
export class CorrectionChangeInput {
  @Field(() => CorrectionFieldEnum) @IsIn(Object.keys(CORRECTION_FIELDS)) field!: CorrectionFieldName;
  @Field(() => ID, { nullable: true, description: 'The lot, for LOT_* fields.' })
  @IsOptional()
  @IsString()
  lotId?: string;
  @Field({ nullable: true, description: 'The new value (null clears LOT_FORM or LOT_PACKAGING).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  value?: string;
  @Field(() => [String], { nullable: true, description: 'The new values, for LOT_HAZARDS.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  values?: string[];
}

@InputType({ description: '更正 — ask the other parties to approve a correction of descriptive fields.' })
export class RequestCorrectionInput extends ManifestRefInput {
  @Field(() => [CorrectionChangeInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CorrectionChangeInput)
  changes!: CorrectionChangeInput[];
  @Field() @IsString() @MinLength(3) @MaxLength(1000) reason!: string;
}

@InputType()
export class AnswerCorrectionInput extends ManifestRefInput {
  @Field(() => ID) @IsString() correctionId!: string;
  @Field({ nullable: true, description: 'Required to refuse.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

@InputType({
  description: '纸质联单补录 — a trip run on a paper manifest during an outage, entered afterwards.',
})
export class EnterPaperManifestInput extends ManifestActInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The manifest, when it is on the ledger already (DRAFT, SUBMITTED, IN_TRANSIT).',
  })
  @IsOptional()
  @IsString()
  manifestId?: string;
  @Field(() => PaperManifestContentInput, {
    nullable: true,
    description: 'The paper’s content, when the manifest is not on the ledger.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaperManifestContentInput)
  content?: PaperManifestContentInput;
  @Field() @IsString() @MinLength(1) @MaxLength(64) paperNumber!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @Field() @IsDate() tripStartedAt!: Date;
  @Field({ description: 'Delivery to the receiver: the paper trip ended.' }) @IsDate() tripEndedAt!: Date;
}

@InputType({ description: 'One custody act made offline, as the device recorded it.' })
export class ScanInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field({ description: 'When the act happened, on the device’s clock.' }) @IsDate() deviceTime!: Date;
  @Field(() => ID) @IsString() manifestId!: string;
  @Field(() => ScanActEnum) @IsIn(SCAN_ACTS) act!: ScanAct;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  scannedLabels?: string[];
  @Field(() => [PickupMassInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PickupMassInput)
  pickupMasses?: PickupMassInput[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(32) handoverCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() shipperLoadingCheckPassed?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) place?: string;
  @Field(() => ID, { nullable: true, description: 'REFUSE_CONTAINER: the lot.' })
  @IsOptional()
  @IsString()
  lotId?: string;
  @Field({ nullable: true, description: 'REFUSE_CONTAINER: why.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
  @Field(() => ID, { nullable: true, description: 'DELIVER: who it was handed to.' })
  @IsOptional()
  @IsString()
  receiverPartyId?: string;
}

@InputType({
  description: '离线同步 — custody acts made offline, applied in device-time order per manifest.',
})
export class SubmitScansInput {
  @Field(() => [ScanInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ScanInput)
  scans!: ScanInput[];
}

@InputType()
export class RoundStopInput {
  @Field(() => ID, { description: 'The producer (移出人) visited.' }) @IsString() consignorPartyId!: string;
  @Field(() => ID, { nullable: true, description: 'Its site (default: its only site).' })
  @IsOptional()
  @IsString()
  siteId?: string;
}

@InputType({ description: '集中收集 — plan one vehicle trip visiting small producers in order.' })
export class PlanCollectionRoundInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => LocalDateScalar) plannedDate!: string;
  @Field(() => ID, { nullable: true, description: 'The carrier (default: your party).' })
  @IsOptional()
  @IsString()
  carrierPartyId?: string;
  @Field(() => ID) @IsString() vehicleId!: string;
  @Field(() => ID) @IsString() driverId!: string;
  @Field(() => ID) @IsString() escortId!: string;
  @Field(() => ID, { nullable: true, description: 'Where the waste goes (default: your only site).' })
  @IsOptional()
  @IsString()
  receiverSiteId?: string;
  @Field(() => [RoundStopInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RoundStopInput)
  stops!: RoundStopInput[];
}

@InputType({ description: 'Which manifests: every condition given must hold.' })
export class ManifestFilter {
  @Field(() => [ManifestStatusEnum], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsIn(MANIFEST_STATUSES, { each: true })
  status?: ManifestStatus[];
  @Field(() => ManifestPartyRoleEnum, {
    nullable: true,
    description: 'Only manifests naming your party in this role.',
  })
  @IsOptional()
  @IsIn(MANIFEST_PARTY_ROLES)
  role?: (typeof MANIFEST_PARTY_ROLES)[number];
  @Field(() => ID, { nullable: true, description: 'Only manifests naming this party.' })
  @IsOptional()
  @IsString()
  partyId?: string;
  @Field(() => TransferTypeEnum, { nullable: true })
  @IsOptional()
  @IsIn(TRANSFER_TYPES)
  transferType?: TransferType;
  @Field({ nullable: true }) @IsOptional() @Matches(/^\d{3}-\d{3}-\d{2}$/) wasteCode?: string;
  @Field({ nullable: true, description: 'Division-code prefix of the start or end site, e.g. "4101".' })
  @IsOptional()
  @Matches(/^\d{2,6}$/)
  divisionPrefix?: string;
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() plannedFrom?: string;
  @Field(() => LocalDateScalar, { nullable: true }) @IsOptional() plannedTo?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() roundId?: string;
  @Field({ nullable: true, description: 'Only manifests with a discrepancy.' })
  @IsOptional()
  @IsBoolean()
  discrepancy?: boolean;
  @Field({ nullable: true, description: 'Only manifests with a disputed offline act.' })
  @IsOptional()
  @IsBoolean()
  disputed?: boolean;
}
