import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MassScalar } from '../../shared/graphql/scalars';
import { SKIP_REASONS, type SkipReason } from '../domain/readings';

export const SkipReasonEnum = Object.fromEntries(SKIP_REASONS.map((r) => [r, r])) as { [K in SkipReason]: K };
registerEnumType(SkipReasonEnum, {
  name: 'ReadingSkipReason',
  description:
    'Why a reading was not stored: MALFORMED, BATCH_TOO_LARGE, UNKNOWN_DEVICE, REVOKED_DEVICE, DEVICE_NOT_ALLOWED, WRONG_DEVICE_KIND, UNKNOWN_VEHICLE, UNKNOWN_SITE, INVALID_COORDINATES, IMPOSSIBLE_SPEED (reported, or implied by a jump), INVALID_MASS, FUTURE_TIMESTAMP, TOO_OLD, DUPLICATE (same device and instant stored before or twice in the batch).',
});

@ObjectType('ReadingSkipCount')
export class ReadingSkipCountObject {
  @Field(() => SkipReasonEnum) reason!: SkipReason;
  @Field(() => Int) count!: number;
}

@ObjectType('ReadingProblem', { description: 'One skipped reading, by its position in the batch.' })
export class ReadingProblemObject {
  @Field({ description: 'POINT or WEIGHING.' }) kind!: string;
  @Field(() => Int, { description: '0-based position in `points` or `weighings`.' }) index!: number;
  @Field(() => SkipReasonEnum) reason!: SkipReason;
  @Field() message!: string;
}

@ObjectType('ReadingsOutcome', { description: 'What a batch of readings came to.' })
export class ReadingsOutcomeObject {
  @Field(() => Int) received!: number;
  @Field(() => Int) storedPoints!: number;
  @Field(() => Int) storedWeighings!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => [ReadingSkipCountObject], { description: 'Counts per reason (reasons with none left out).' })
  skippedByReason!: ReadingSkipCountObject[];
  @Field(() => [ReadingProblemObject], { description: 'The first 50 skipped readings.' })
  problems!: ReadingProblemObject[];
  @Field(() => [ID], {
    description: 'Alerts these readings raised (SUSPECTED_DUMPING, WEIGHBRIDGE_SHORTFALL).',
  })
  alertIds!: string[];
  @Field({
    description: 'A retry of an earlier batch with the same key: its first answer, nothing done again.',
  })
  replayed!: boolean;
}

@ObjectType('TrackPoint')
export class TrackPointObject {
  @Field() at!: Date;
  @Field({ description: 'Decimal degrees, WGS-84, six places.' }) latitude!: string;
  @Field() longitude!: string;
  @Field(() => String, { nullable: true, description: 'km/h, when the unit reported it.' }) speedKmh!:
    string | null;
}

@ObjectType('TrackLeg', { description: '运输段轨迹 — one leg of the transport and its vehicle’s track.' })
export class TrackLegObject {
  @Field(() => Int) leg!: number;
  @Field(() => ID) vehicleId!: string;
  @Field(() => ID) carrierPartyId!: string;
  @Field() startedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Null while under way.' }) endedAt!: Date | null;
  @Field(() => Int, { description: 'Points stored for the leg, before simplification.' }) pointCount!: number;
  @Field(() => Int, { description: 'Length of the stored track, metres.' }) distanceMeters!: number;
  @Field({ description: 'More points than can be read at once: the first ones are shown.' })
  truncated!: boolean;
  @Field(() => [TrackPointObject], {
    description: 'Simplified (Douglas–Peucker) to the precision; ends kept.',
  })
  points!: TrackPointObject[];
}

@ObjectType('ManifestTrack', { description: '运输轨迹 — the transport track of a manifest, leg by leg.' })
export class ManifestTrackObject {
  @Field(() => ID) manifestId!: string;
  @Field(() => Int) precisionMeters!: number;
  @Field(() => [TrackLegObject]) legs!: TrackLegObject[];
}

@ObjectType('Weighing', { description: '地磅 — a weighbridge reading linked to a manifest.' })
export class WeighingObject {
  @Field({ description: 'PICKUP (at the start site) or RECEIPT (at the end site).' }) stage!: string;
  @Field(() => ID) deviceId!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => ID) vehicleId!: string;
  @Field() at!: Date;
  @Field(() => MassScalar, { name: 'grossMass' }) grossGrams!: number;
  @Field(() => MassScalar, { name: 'tareMass' }) tareGrams!: number;
  @Field(() => MassScalar, { name: 'netMass' }) netGrams!: number;
  @Field(() => [ID], { description: 'Other manifests weighed by the same reading (one vehicle load).' })
  sharedWithManifestIds!: string[];
}

@ObjectType('LotMassSuggestion', { description: 'A mass for one lot from a weighing, to confirm.' })
export class LotMassSuggestionObject {
  @Field(() => ID) lotId!: string;
  @Field() labelCode!: string;
  @Field(() => MassScalar, { name: 'mass' }) grams!: number;
  @Field({ description: 'WHOLE (the net is this lot’s) or APPORTIONED (split by declared mass).' })
  basis!: string;
}

@ObjectType('ManifestWeighings', {
  description: '地磅称重 — pickup and receipt weighings of a manifest, with the differences.',
})
export class ManifestWeighingsObject {
  @Field(() => ID) manifestId!: string;
  @Field(() => WeighingObject, {
    nullable: true,
    description: 'The pickup weighing discrepancies are measured against.',
  })
  pickup!: WeighingObject | null;
  @Field(() => WeighingObject, {
    nullable: true,
    description: 'The receipt weighing: pre-fills the measured masses.',
  })
  receipt!: WeighingObject | null;
  @Field(() => MassScalar, { name: 'declaredMass' }) declaredGrams!: number;
  @Field(() => MassScalar, {
    name: 'recordedPickupMass',
    nullable: true,
    description: 'Per-lot pickup masses recorded at custody.',
  })
  recordedPickupGrams!: number | null;
  @Field(() => MassScalar, { name: 'measuredMass', nullable: true, description: 'Measured by the receiver.' })
  measuredGrams!: number | null;
  @Field(() => MassScalar, { name: 'receiptMinusPickup', nullable: true }) receiptMinusPickupGrams!:
    number | null;
  @Field(() => MassScalar, { name: 'pickupMinusDeclared', nullable: true }) pickupMinusDeclaredGrams!:
    number | null;
  @Field(() => MassScalar, { name: 'measuredMinusReceipt', nullable: true }) measuredMinusReceiptGrams!:
    number | null;
  @Field(() => [LotMassSuggestionObject], { description: 'For takeCustody.pickupMasses.' })
  pickupPrefill!: LotMassSuggestionObject[];
  @Field(() => [LotMassSuggestionObject], {
    description: 'For recordReceipt.receipts[].measuredMass: the receiver confirms (or corrects) them.',
  })
  receiptPrefill!: LotMassSuggestionObject[];
}
