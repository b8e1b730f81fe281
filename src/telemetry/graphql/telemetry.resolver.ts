import { Args, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ManifestObject } from '../../manifests/graphql/manifest.objects';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { ReadingIngestionService } from '../reading-ingestion.service';
import { TrackService } from '../track.service';
import { WeighingsService } from '../weighings.service';
import { rawPoint, rawWeighing, SubmitReadingsInput } from './telemetry.inputs';
import { ManifestTrackObject, ManifestWeighingsObject, ReadingsOutcomeObject } from './telemetry.objects';

/** 物联网读数 — thin resolver: map the batch, name the sender, call the service. */
@Resolver()
export class TelemetryResolver {
  constructor(private readonly ingestion: ReadingIngestionService) {}

  @Mutation(() => ReadingsOutcomeObject, {
    description:
      '物联网读数 — GPS points and weighbridge readings, from a device (its key lists submitReadings) or a party’s platform. Stored outside the ledger, attached to trips; bad readings are skipped and counted per reason.',
  })
  async submitReadings(
    @Args('input') input: SubmitReadingsInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.ingestion.submit(await who, {
      idempotencyKey: input.idempotencyKey,
      points: (input.points ?? []).map(rawPoint),
      weighings: (input.weighings ?? []).map(rawWeighing),
    });
  }
}

/** The manifest's track and weighings, as fields of `Manifest` (whoever may see the manifest). */
@Resolver(() => ManifestObject)
export class ManifestTelemetryResolver {
  constructor(
    private readonly tracks: TrackService,
    private readonly weighings: WeighingsService,
  ) {}

  @ResolveField('track', () => ManifestTrackObject, {
    description:
      '运输轨迹 — the vehicle track of each leg, simplified for display to `precisionMeters` (0: every point).',
  })
  async track(
    @Parent() m: ManifestObject,
    @Args('precisionMeters', { type: () => Int, defaultValue: 10 }) precisionMeters: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.tracks.manifestTrack(await who, m.id, precisionMeters);
  }

  @ResolveField('weighings', () => ManifestWeighingsObject, {
    description: '地磅 — pickup and receipt weighbridge readings, their differences, and masses to pre-fill.',
  })
  async weighingsOf(@Parent() m: ManifestObject, @CurrentPrincipal() who: Promise<Principal>) {
    return this.weighings.weighings(await who, m.id);
  }
}
