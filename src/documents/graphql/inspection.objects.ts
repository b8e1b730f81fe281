import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MassScalar } from '../../shared/graphql/scalars';

@ObjectType('InspectionLink', {
  description:
    '路检链接 — the signed, read-only roadside inspection link of a manifest (also the QR code on its PDF): anyone holding it sees the manifest’s current state, expected lots and carrier, while the manifest is open and for INSPECTION_LINK_DAYS_AFTER_CLOSE days after it closes.',
})
export class InspectionLinkObject {
  @Field(() => ID) manifestId!: string;
  @Field({ description: 'The page (HTML); add `.json` for the JSON variant.' }) url!: string;
  @Field({ description: 'The signed token (`<manifestId>.<HMAC>`).' }) token!: string;
  @Field(() => Date, {
    nullable: true,
    description: 'When it stops working; null while the manifest is open.',
  })
  validUntil!: Date | null;
  @Field() expired!: boolean;
}

@ObjectType('InspectionLinkOpening', {
  description: 'One opening of a manifest’s inspection link (logged outside the ledger).',
})
export class InspectionOpeningObject {
  @Field(() => ID) id!: string;
  @Field() openedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Client address as the API saw it.' }) address!:
    string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field({ description: 'HTML or JSON.' }) format!: string;
  @Field({ description: 'SHOWN, or EXPIRED (nothing shown).' }) outcome!: string;
}

@ObjectType('RoadsideParty')
export class RoadsidePartyObject {
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: '统一社会信用代码' }) uscc!: string | null;
}

@ObjectType('RoadsideLeg', {
  description: '承运 — a leg with the carrier, its permits, the vehicle and crew.',
})
export class RoadsideLegObject {
  @Field(() => Int) leg!: number;
  @Field({ description: 'The leg whose carrier holds (or is to take) the waste.' }) current!: boolean;
  @Field() carrierName!: string;
  @Field(() => String, { nullable: true }) carrierUscc!: string | null;
  @Field(() => [String], { description: '道路危险货物运输许可证 numbers (verified).' })
  permitNumbers!: string[];
  @Field(() => String, { nullable: true, description: '车牌号' }) plate!: string | null;
  @Field(() => String, { nullable: true, description: '道路运输证号' }) vehicleCertificateNumber!:
    string | null;
  @Field({ description: '营运证件号 as written on the manifest.' }) operatingPermitNumber!: string;
  @Field(() => Boolean, { nullable: true, description: '医疗废物专用车 (GB 19217)' }) medicalWasteVehicle!:
    boolean | null;
  @Field(() => String, { nullable: true, description: '驾驶员 (personal data, off the ledger)' })
  driverName!: string | null;
  @Field(() => String, { nullable: true }) driverCertificateNumber!: string | null;
  @Field(() => String, { nullable: true, description: '押运员' }) escortName!: string | null;
  @Field(() => String, { nullable: true }) escortCertificateNumber!: string | null;
}

@ObjectType('RoadsideLot', {
  description: 'A lot the vehicle should carry: compare its label code with the container.',
})
export class RoadsideLotObject {
  @Field() labelCode!: string;
  @Field() wasteCode!: string;
  @Field() wasteName!: string;
  @Field(() => [String], { description: '危险特性 (T, C, I, R, In)' }) hazards!: string[];
  @Field(() => String, { nullable: true }) form!: string | null;
  @Field(() => String, { nullable: true }) packaging!: string | null;
  @Field(() => MassScalar) declaredMass!: number;
  @Field(() => MassScalar, { nullable: true }) pickupMass!: number | null;
  @Field({ description: 'LISTED (not yet loaded), CARRIED or RECEIVED.' }) status!: string;
}

@ObjectType('RoadsideCheck', {
  description:
    '路检 — a manifest as a roadside inspector checks it: current state, expected lots, carrier, vehicle and crew, route, emergency measures, and its inspection link.',
})
export class RoadsideCheckObject {
  @Field(() => ID) manifestId!: string;
  @Field() number!: string;
  @Field(() => String, { nullable: true }) nationalNumber!: string | null;
  @Field() status!: string;
  @Field({ description: '状态 in Chinese.' }) statusZh!: string;
  @Field() transferType!: string;
  @Field() plannedDate!: string;
  @Field(() => Int) currentLeg!: number;
  @Field(() => RoadsidePartyObject) consignor!: RoadsidePartyObject;
  @Field(() => RoadsidePartyObject) receiver!: RoadsidePartyObject;
  @Field(() => [RoadsideLegObject]) legs!: RoadsideLegObject[];
  @Field() startAddress!: string;
  @Field() endAddress!: string;
  @Field(() => [RoadsideLotObject]) expectedLots!: RoadsideLotObject[];
  @Field(() => Int, { description: 'Lots refused at loading (they stayed with the consignor).' })
  refusedLotCount!: number;
  @Field(() => MassScalar) declaredMass!: number;
  @Field() emergencyMeasures!: string;
  @Field() inspectionUrl!: string;
}
