import { Field, ID, InputType } from '@nestjs/graphql';
import { IsArray, IsOptional, Matches } from 'class-validator';
import type { RawPoint, RawWeighing } from '../domain/readings';

const KEY = { description: 'Retry key, scoped to you: a retry with the same key returns the first answer.' };
const IDEM = /^[\w.:@/-]{1,128}$/;

/*
 * Reading fields are checked one reading at a time by the service, so that a bad reading is
 * skipped and counted (`ReadingsOutcome.skippedByReason`) instead of refusing the whole batch:
 * no validators on them here.
 */

@InputType({ description: '车载卫星定位 — one GPS point of a vehicle.' })
export class GpsPointInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'The device that took it: required from a party’s platform; a device sends its own (may be omitted).',
  })
  deviceId?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The vehicle; omitted: the vehicle this GPS unit is fitted to.',
  })
  vehicleId?: string;

  @Field({
    description:
      'When the point was taken (the unit’s clock; at most TELEMETRY_MAX_CLOCK_SKEW_SECONDS ahead).',
  })
  at!: Date;

  @Field({ description: 'Decimal degrees, WGS-84, e.g. "34.746600" (micro-degree precision is kept).' })
  latitude!: string;

  @Field({ description: 'Decimal degrees, WGS-84, e.g. "113.625300".' })
  longitude!: string;

  @Field({ nullable: true, description: 'Speed in km/h, a decimal string, e.g. "42.5".' })
  speedKmh?: string;
}

@InputType({
  description: '地磅 — one weighbridge reading: a vehicle weighed at a site of the weighbridge’s party.',
})
export class WeighingReadingInput {
  @Field(() => ID, { nullable: true, description: 'The weighbridge: required from a party’s platform.' })
  deviceId?: string;

  @Field(() => ID, { description: 'The site of the weighbridge.' })
  siteId!: string;

  @Field(() => ID, { nullable: true, description: 'The vehicle weighed (or its plate).' })
  vehicleId?: string;

  @Field({
    nullable: true,
    description: 'The plate read by the weighbridge, when it does not know the vehicle id.',
  })
  plate?: string;

  @Field({ description: 'When the vehicle was weighed.' })
  at!: Date;

  @Field({ description: 'Gross mass in kg, a decimal string with up to 3 decimals (as the Mass scalar).' })
  grossMass!: string;

  @Field({ description: 'Tare in kg.' })
  tareMass!: string;

  @Field({ description: 'Net in kg: must equal gross − tare exactly.' })
  netMass!: string;
}

@InputType({
  description:
    '物联网读数 — a batch of readings from a device (for itself), or from a party’s platform (for its devices). Bad readings are skipped and counted per reason.',
})
export class SubmitReadingsInput {
  @Field(KEY) @Matches(IDEM) idempotencyKey!: string;

  @Field(() => [GpsPointInput], { nullable: true }) @IsOptional() @IsArray() points?: GpsPointInput[];

  @Field(() => [WeighingReadingInput], { nullable: true })
  @IsOptional()
  @IsArray()
  weighings?: WeighingReadingInput[];
}

export const rawPoint = (p: GpsPointInput): RawPoint => ({
  deviceId: p.deviceId,
  vehicleId: p.vehicleId,
  at: p.at,
  latitude: p.latitude,
  longitude: p.longitude,
  speedKmh: p.speedKmh,
});

export const rawWeighing = (w: WeighingReadingInput): RawWeighing => ({
  deviceId: w.deviceId,
  siteId: w.siteId,
  vehicleId: w.vehicleId,
  plate: w.plate,
  at: w.at,
  gross: w.grossMass,
  tare: w.tareMass,
  net: w.netMass,
});
