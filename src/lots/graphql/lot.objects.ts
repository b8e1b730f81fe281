import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { HazardCharacteristic, MedicalWasteClassEnum } from '../../catalogue/graphql/catalogue.objects';
import { Connection } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { LotFormEnum, LotStatusEnum, MassBasisEnum } from './lot.inputs';

export const FateKindEnum = {
  HELD: 'HELD',
  UTILISED: 'UTILISED',
  DISPOSED: 'DISPOSED',
  LOST: 'LOST',
  WEIGHING_DIFFERENCE: 'WEIGHING_DIFFERENCE',
} as const;
export type FateKind = keyof typeof FateKindEnum;
registerEnumType(FateKindEnum, {
  name: 'LotFateKind',
  description:
    '最终去向 — HELD (still held: where, by whom), UTILISED 利用, DISPOSED 处置, LOST 损失, WEIGHING_DIFFERENCE (a lower weighing booked on the way).',
});

@ObjectType('LotLabel', {
  description:
    '危险废物标签 (HJ 1276-2022) or, for HW01, the medical waste label with its warning mark (HJ 421-2008): the fields to print and the QR payload. `svgPath` is the printable SVG (normative).',
})
export class LotLabelObject {
  @Field({ description: '数字识别码 — the unique label code, also in the QR code.' }) labelCode!: string;
  @Field({ description: 'What the QR code carries (the label code).' }) qrPayload!: string;
  @Field({ description: '危险废物 or 医疗废物' }) title!: string;
  @Field({ description: '废物名称' }) wasteName!: string;
  @Field({ description: '废物类别' }) category!: string;
  @Field({ description: '废物类别名称' }) categoryName!: string;
  @Field({ description: '废物代码' }) wasteCode!: string;
  @Field({ description: '废物形态 (Chinese)' }) formZh!: string;
  @Field(() => [String], { description: '危险特性 (Chinese names)' }) hazardsZh!: string[];
  @Field(() => [String], { description: '主要成分' }) mainComponents!: string[];
  @Field({ description: '产生/收集单位' }) producerName!: string;
  @Field(() => String, { nullable: true, description: '地址' }) address!: string | null;
  @Field(() => String, { nullable: true, description: '联系人' }) contactName!: string | null;
  @Field(() => String, { nullable: true, description: '联系方式' }) contactPhone!: string | null;
  @Field(() => LocalDateScalar, { description: '产生日期 (Asia/Shanghai)' }) date!: string;
  @Field(() => MassScalar, { description: '废物重量' }) mass!: number;
  @Field(() => String, { nullable: true, description: '医疗废物类别 (Chinese), for HW01.' }) medicalClassZh!:
    string | null;
  @Field(() => String, { nullable: true, description: 'HJ 421 警示 text for medical waste, else null.' })
  warning!: string | null;
  @Field({ description: 'GET this path with your bearer token for the printable SVG.' }) svgPath!: string;
}

@ObjectType('Lot', {
  description:
    '批次 — one labelled container of one waste code, the unit of custody. Mass is exact; the storage clock (贮存期限) runs from generation, or from the current holder’s receipt.',
})
export class LotObject {
  @Field(() => ID) id!: string;
  @Field({ description: '标签编码 — unique, human-typable, in the QR code.' }) labelCode!: string;
  @Field({ description: '批次编码 — shared by containers generated together.' }) batchCode!: string;
  @Field() wasteCode!: string;
  @Field() category!: string;
  @Field(() => MedicalWasteClassEnum, { nullable: true }) medicalClass!: string | null;
  @Field(() => LotFormEnum) form!: string;
  @Field() packaging!: string;
  @Field(() => [String]) mainComponents!: string[];
  @Field(() => [HazardCharacteristic]) hazards!: string[];
  @Field(() => MassBasisEnum) massBasis!: string;
  @Field(() => LotStatusEnum) status!: string;
  @Field(() => MassScalar, { description: 'Current mass (for a terminal lot: the mass it ended with).' })
  mass!: number;
  @Field(() => MassScalar, {
    description: 'Mass when the lot was made (generated, or the sum of its sources).',
  })
  initialMass!: number;
  @Field(() => MassScalar, { description: 'Mass recorded as lost (spills, evaporation, theft).' })
  lostMass!: number;
  @Field({ description: 'GENERATED, CONSOLIDATION, SPLIT, RESIDUE or REJECTED_PART.' }) originKind!: string;
  @Field(() => ID, { description: 'The party whose act made the lot.' }) originPartyId!: string;
  @Field(() => ID, { nullable: true, description: '产生单位 — null for a consolidated lot.' })
  producerPartyId!: string | null;
  @Field(() => String, { nullable: true }) producerName!: string | null;
  @Field(() => ID, { description: 'Who holds it now (custodian).' }) custodianPartyId!: string;
  @Field() custodianName!: string;
  @Field(() => ID, { nullable: true, description: 'Null while in transit.' }) siteId!: string | null;
  @Field(() => String, { nullable: true, description: '行政区划代码 of the current site.' }) divisionCode!:
    string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Where it lies; for a treated lot, the facility that treated it.',
  })
  facilityId!: string | null;
  @Field(() => String, { nullable: true }) facilityType!: string | null;
  @Field(() => ID, { nullable: true, description: 'The submitted manifest the lot is reserved on.' })
  openManifestId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The manifest it travels (or travelled, if rejected) on.' })
  manifestId!: string | null;
  @Field({
    description: '豁免 — generated by a producer an exemption covers (e.g. #2, a clinic with ≤ 19 beds).',
  })
  exemptSource!: boolean;
  @Field({
    description: '应急处置 — a record of this lot was made under an emergency authorisation or epidemic.',
  })
  emergency!: boolean;
  @Field({ description: 'An offline custody act on it failed its checks at sync (reconciliation alert).' })
  disputed!: boolean;
  @Field({ description: 'Business time of the act that made the lot.' }) generatedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it entered its current facility.' })
  enteredFacilityAt!: Date | null;
  @Field({
    description: 'Start of the current holder’s storage clock (inherited through consolidation and split).',
  })
  clockStartsAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description:
      'When the storage limit runs out for the current holder (48 h medical, 90 working days collector, 1 year others); null unless held at a facility.',
  })
  storageDeadline!: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'The limit applied, e.g. "48 HOURS", "90 WORKING_DAYS".',
  })
  storageLimit!: string | null;
  @Field(() => String, { nullable: true, description: 'Basel method of its treatment (D1–D15, R1–R13).' })
  method!: string | null;
  @Field(() => Date, { nullable: true, description: 'When it reached a terminal state.' })
  endedAt!: Date | null;
  @Field(() => Int, { description: 'Version of its ledger stream `lot-<id>`.' }) version!: number;
}

@ObjectType('LotConnection')
export class LotConnection extends Connection(LotObject, 'Lot') {}

@ObjectType('LotFateOutcome', { description: 'Where part of a lot’s mass ended, and through which lots.' })
export class LotFateOutcomeObject {
  @Field(() => FateKindEnum) kind!: FateKind;
  @Field(() => MassScalar, { description: 'Grams of the asked lot that ended here (apportioned exactly).' })
  mass!: number;
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field(() => LotStatusEnum) status!: string;
  @Field(() => ID, { nullable: true, description: 'Holder (HELD) or treater; null when redacted.' })
  partyId!: string | null;
  @Field(() => String, { nullable: true }) partyName!: string | null;
  @Field(() => ID, { nullable: true }) siteId!: string | null;
  @Field(() => ID, { nullable: true }) facilityId!: string | null;
  @Field(() => String, { nullable: true, description: 'Region (division code), shown even when redacted.' })
  divisionCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Basel method, for UTILISED and DISPOSED.' }) method!:
    string | null;
  @Field(() => Date, { nullable: true }) at!: Date | null;
  @Field(() => [ID], { description: 'Lots from the asked one to this one (consolidations, splits).' })
  path!: string[];
}

@ObjectType('LotFate', {
  description:
    '最终去向 — where every gram of a lot ended (Transfer Measures art. 12): treated (method, facility), lost, or still held and where, through consolidations and splits.',
})
export class LotFateObject {
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field(() => MassScalar, {
    description: 'The lot’s mass to account for (as made, plus any gain weighed on the way).',
  })
  mass!: number;
  @Field({ description: 'True when no gram is still held: every gram reached a terminal outcome.' })
  complete!: boolean;
  @Field(() => [LotFateOutcomeObject]) outcomes!: LotFateOutcomeObject[];
}

@ObjectType('ExemptionEntry', {
  description: '危险废物豁免管理清单 — an entry of the exemption list the product applies.',
})
export class ExemptionEntryObject {
  @Field(() => Int, { description: '序号' }) entryNo!: number;
  @Field({ description: '豁免环节: ALL, COLLECTION, TRANSPORT, UTILISATION, DISPOSAL.' }) stage!: string;
  @Field(() => [String]) wasteScope!: string[];
  @Field(() => Int, { nullable: true, description: 'Largest bed count (e.g. 19).' }) maxBeds!: number | null;
  @Field(() => [String]) partyTypes!: string[];
  @Field({ description: 'Suspended while a major epidemic is declared for the region.' })
  suspendedDuringEpidemic!: boolean;
  @Field({ description: '豁免内容' }) contentZh!: string;
  @Field() source!: string;
}
