import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { ChainPartyRefObject } from './custody-chain.objects';

@ObjectType('LotSearchHit', { description: '批次 found by `searchLots` (details: `lot`, `custodyChain`).' })
export class LotSearchHitObject {
  @Field(() => ID) id!: string;
  @Field() labelCode!: string;
  @Field() wasteCode!: string;
  @Field() category!: string;
  @Field() status!: string;
  @Field(() => MassScalar) mass!: number;
  @Field(() => MassScalar) initialMass!: number;
  @Field(() => ChainPartyRefObject, { nullable: true, description: '产生单位' })
  producer!: ChainPartyRefObject | null;
  @Field(() => ChainPartyRefObject) custodian!: ChainPartyRefObject;
  @Field(() => String, { nullable: true, description: '行政区划代码 where it lies (or lay last).' }) region!:
    string | null;
  @Field() generatedAt!: Date;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => ID, { nullable: true }) manifestId!: string | null;
  @Field({ description: 'A receipt found a difference beyond the tolerance.' }) discrepancy!: boolean;
  @Field() disputed!: boolean;
}

@ObjectType('ManifestSearchHit', { description: '联单 found by `searchManifests` (details: `manifest`).' })
export class ManifestSearchHitObject {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field(() => String, { nullable: true }) nationalNumber!: string | null;
  @Field() status!: string;
  @Field() transferType!: string;
  @Field(() => ChainPartyRefObject, { description: '移出人' }) consignor!: ChainPartyRefObject;
  @Field(() => ChainPartyRefObject, { description: '接受人' }) receiver!: ChainPartyRefObject;
  @Field(() => ChainPartyRefObject, { description: '承运人 (first leg)' }) carrier!: ChainPartyRefObject;
  @Field() startDivisionCode!: string;
  @Field() endDivisionCode!: string;
  @Field(() => LocalDateScalar) plannedDate!: string;
  @Field(() => Int) lotCount!: number;
  @Field(() => MassScalar) declaredMass!: number;
  @Field(() => MassScalar, { nullable: true }) acceptedMass!: number | null;
  @Field() discrepancy!: boolean;
  @Field() disputed!: boolean;
  @Field() lateReceipt!: boolean;
  @Field({ description: 'Run on paper and entered afterwards.' }) paper!: boolean;
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date, { nullable: true }) receivedAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
}

@ObjectType('PartySearchHit', { description: '单位 found by `searchParties` (details: `party`).' })
export class PartySearchHitObject {
  @Field(() => ID) id!: string;
  @Field() uscc!: string;
  @Field() name!: string;
  @Field(() => [String]) types!: string[];
  @Field() status!: string;
  @Field() region!: string;
  @Field(() => Int, { nullable: true }) bedCount!: number | null;
  @Field(() => [String], { description: '行政区划代码 of its sites.' }) divisionCodes!: string[];
  @Field() registeredAt!: Date;
  @Field(() => Date, { nullable: true }) verifiedAt!: Date | null;
}

@ObjectType('LicenceSearchHit', { description: '许可证 found by `searchLicences` (details: `licence`).' })
export class LicenceSearchHitObject {
  @Field(() => ID) id!: string;
  @Field() number!: string;
  @Field() kind!: string;
  @Field() status!: string;
  @Field(() => ChainPartyRefObject) holder!: ChainPartyRefObject;
  @Field(() => LocalDateScalar) validFrom!: string;
  @Field(() => LocalDateScalar) validTo!: string;
  @Field(() => ID) agencyId!: string;
  @Field() issuedAt!: Date;
  @Field(() => [String], { description: '行政区划代码 of its facility sites.' }) divisionCodes!: string[];
  @Field(() => [String], { description: 'Codes and categories its items cover.' }) scopes!: string[];
}

@ObjectType('LotSearchConnection')
export class LotSearchConnection extends Connection(LotSearchHitObject, 'LotSearchHit') {}
@ObjectType('ManifestSearchConnection')
export class ManifestSearchConnection extends Connection(ManifestSearchHitObject, 'ManifestSearchHit') {}
@ObjectType('PartySearchConnection')
export class PartySearchConnection extends Connection(PartySearchHitObject, 'PartySearchHit') {}
@ObjectType('LicenceSearchConnection')
export class LicenceSearchConnection extends Connection(LicenceSearchHitObject, 'LicenceSearchHit') {}
