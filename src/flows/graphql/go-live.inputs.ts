import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ContainerInput } from '../../lots/graphql/lot.inputs';
import { MassScalar } from '../../shared/graphql/scalars';
import { IDEM, KEY } from './plan.inputs';

@InputType({
  description:
    '期初库存 — one container in stock at go-live: it becomes a lot at its facility, its storage clock running from `storedSince`.',
})
export class OpeningStockInput extends ContainerInput {
  @Field(() => ID, { description: 'The storage facility of the site that holds it.' })
  @IsString()
  facilityId!: string;
  @Field({ description: 'When it was stored (business time; the storage clock starts here).' })
  @IsDate()
  storedSince!: Date;
}

@InputType({ description: 'A past calendar year’s generated amount (feeds the management class).' })
export class PastAnnualAmountInput {
  @Field(() => Int) @IsInt() year!: number;
  @Field(() => MassScalar) amount!: number;
}

@InputType({
  description:
    '上线导入 — a unit joining mid-year imports, once and before anything else is booked at the site, its opening stock and its past three years’ generated amounts.',
})
export class ImportGoLiveInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;
  @Field(() => ID) @IsString() siteId!: string;
  @Field({
    nullable: true,
    description: 'The go-live instant: the opening stock is booked then (default: now).',
  })
  @IsOptional()
  @IsDate()
  goLiveAt?: Date;
  @Field(() => [OpeningStockInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OpeningStockInput)
  openingStock!: OpeningStockInput[];
  @Field(() => [PastAnnualAmountInput], {
    defaultValue: [],
    description: 'At most the three years before the go-live year.',
  })
  @IsArray()
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => PastAnnualAmountInput)
  pastAnnualAmounts!: PastAnnualAmountInput[];
}
