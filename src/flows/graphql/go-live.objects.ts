import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MassScalar } from '../../shared/graphql/scalars';

@ObjectType('OpeningStockLot', { description: '期初库存 — a lot brought in at go-live.' })
export class OpeningStockLotObject {
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field() wasteCode!: string;
  @Field(() => ID) facilityId!: string;
  @Field(() => MassScalar) mass!: number;
  @Field({ description: 'Its storage clock runs from here.' }) storedSince!: Date;
}

@ObjectType('PastAnnualAmount', { description: 'A past year’s generated amount reported at go-live.' })
export class PastAnnualAmountObject {
  @Field(() => Int) year!: number;
  @Field(() => MassScalar) amount!: number;
}

@ObjectType('GoLiveImport', {
  description:
    '上线导入 — what a site brought when it joined: opening stock (booked as OPENING_STOCK at go-live) and past years’ amounts (for its management class).',
})
export class GoLiveImportObject {
  @Field(() => ID) siteId!: string;
  @Field(() => ID) partyId!: string;
  @Field() goLiveAt!: Date;
  @Field(() => [OpeningStockLotObject]) openingStock!: OpeningStockLotObject[];
  @Field(() => [PastAnnualAmountObject]) pastAnnualAmounts!: PastAnnualAmountObject[];
}
