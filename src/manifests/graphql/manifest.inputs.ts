import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
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
  INTENDED_MODES,
  MANIFEST_STATUSES,
  RECEIPT_DECISIONS,
  TRANSFER_TYPES,
  type IntendedMode,
  type ManifestStatus,
  type ReceiptDecision,
  type TransferType,
} from '../domain';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const ManifestStatusEnum = asEnum(MANIFEST_STATUSES);
export const TransferTypeEnum = asEnum(TRANSFER_TYPES);
export const IntendedModeEnum = asEnum(INTENDED_MODES);
export const ReceiptDecisionEnum = asEnum(RECEIPT_DECISIONS);
export const SHIPPERS = ['CONSIGNOR', 'RECEIVER'] as const;
export const ShipperEnum = asEnum(SHIPPERS);
export const SCAN_ACTS = ['TAKE_CUSTODY', 'REFUSE_CONTAINER', 'RELAY', 'DELIVER'] as const;
export type ScanAct = (typeof SCAN_ACTS)[number];
export const ScanActEnum = asEnum(SCAN_ACTS);
export const MANIFEST_PARTY_ROLES = ['CONSIGNOR', 'AGENT', 'SHIPPER', 'CARRIER', 'RECEIVER'] as const;
export const ManifestPartyRoleEnum = asEnum(MANIFEST_PARTY_ROLES);
/** Correctable fields as GraphQL enum values (dots are not allowed there). */
export const CORRECTION_FIELDS = {
  EMERGENCY_MEASURES: 'emergencyMeasures',
  START_ADDRESS: 'startPoint.address',
  END_ADDRESS: 'endPoint.address',
  LOT_WASTE_NAME: 'lot.wasteName',
  LOT_FORM: 'lot.form',
  LOT_PACKAGING: 'lot.packaging',
  LOT_HAZARDS: 'lot.hazards',
  LOT_METHOD: 'lot.method',
} as const;
export type CorrectionFieldName = keyof typeof CORRECTION_FIELDS;
export const CorrectionFieldEnum = asEnum(Object.keys(CORRECTION_FIELDS) as CorrectionFieldName[]);

registerEnumType(ManifestStatusEnum, {
  name: 'ManifestStatus',
  description:
    '联单状态 — DRAFT 草稿, SUBMITTED 已提交, IN_TRANSIT 运输中, DELIVERED 已送达, RECEIVED 已接收, CLOSED 已办结, CANCELLED 已作废.',
});
registerEnumType(TransferTypeEnum, {
  name: 'TransferType',
  description:
    '转移类型 — INTRA_PROVINCE 省内, CROSS_PROVINCE 跨省 (needs an approval), RETURN 退回原移出人.',
});
registerEnumType(IntendedModeEnum, {
  name: 'IntendedMode',
  description: '拟利用处置方式 — the mode the receiver’s licence must cover.',
});
registerEnumType(ReceiptDecisionEnum, {
  name: 'ReceiptDecision',
  description:
    '接收意见 — ACCEPTED 接收, PARTIALLY_ACCEPTED 部分接收 (the rest becomes a REJECTED lot), REJECTED 拒收.',
});
registerEnumType(ShipperEnum, { name: 'Shipper', description: '托运人 — the consignor or the receiver.' });
registerEnumType(ScanActEnum, {
  name: 'ScanAct',
  description: 'A custody act a driver’s device may make offline.',
});
registerEnumType(ManifestPartyRoleEnum, {
  name: 'ManifestPartyRole',
  description: 'How a party is named on a manifest.',
});
registerEnumType(CorrectionFieldEnum, {
  name: 'CorrectionField',
  description: 'Descriptive fields a correction may change (never custody facts).',
});

const KEY = { description: 'Retry key, scoped to you: a retry with the same key returns the first result.' };
const IDEM = /^[\w.:@/-]{1,128}$/;
const BASEL = /^(D([1-9]|1[0-5])|R([1-9]|1[0-3]))$/;
const AGENT = {
  nullable: true,
  description: '代理 — an agent (e.g. a collector) acting for the consignor that delegated MANIFESTS to it.',
};
const ON_SITE = {
  nullable: true,
  description: 'Business time: when it happened on site (default: now). Instants are stored in UTC.',
};

/** The retry key and, for the consignor's acts, the agent's principal. */
@InputType({ isAbstract: true })
abstract class ManifestActInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID, AGENT) @IsOptional() @IsString() onBehalfOfPartyId?: string;
}

/** The retry key and the business time of an act on site. */
@InputType({ isAbstract: true })
abstract class OnSiteActInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(ON_SITE) @IsOptional() @IsDate() occurredAt?: Date;
}

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
