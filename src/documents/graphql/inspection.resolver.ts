import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { DomainError } from '../../shared/domain/domain-error';
import type { RoadsideView } from '../domain/roadside-view';
import { InspectionLinks, type RequestOrigin } from '../inspection-links';
import { InspectionService } from '../inspection.service';
import { InspectionLinkObject, InspectionOpeningObject, RoadsideCheckObject } from './inspection.objects';

const toCheck = (v: RoadsideView & { inspectionUrl: string }): RoadsideCheckObject => ({
  ...v,
  legs: v.legs.map((l) => ({
    ...l,
    permitNumbers: [...l.permitNumbers],
    driverName: l.driver.name,
    driverCertificateNumber: l.driver.certificateNumber,
    escortName: l.escort.name,
    escortCertificateNumber: l.escort.certificateNumber,
  })),
  expectedLots: v.expectedLots.map((l) => ({
    ...l,
    hazards: [...l.hazards],
    declaredMass: l.declaredGrams,
    pickupMass: l.pickupGrams,
  })),
  declaredMass: v.declaredGrams,
});

@Resolver()
export class InspectionResolver {
  constructor(
    private readonly inspections: InspectionService,
    private readonly links: InspectionLinks,
  ) {}

  @Query(() => InspectionLinkObject, {
    description:
      '路检链接 — the signed roadside inspection link of a manifest you may see (parties on it, regulators by site), to print or send to the driver.',
  })
  async inspectionLink(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @CurrentPrincipal() who: Promise<Principal>,
    @Context('req') req: RequestOrigin,
  ) {
    return this.inspections.link(await who, manifestId, this.links.baseUrl(req));
  }

  @Query(() => [RoadsideCheckObject], {
    description:
      '路检 — inspectors (交通运输、公安) and regulators: the manifests on the road (submitted or in transit) whose current or later leg names the vehicle with this plate, in any region.',
  })
  async openManifestsByPlate(@Args('plate') plate: string, @Context('req') req: RequestOrigin) {
    return (await this.inspections.byPlate(plate, this.links.baseUrl(req))).map(toCheck);
  }

  @Query(() => [InspectionOpeningObject], {
    description:
      'Who opened a manifest’s inspection link and when (newest first), for the parties on it and regulators by site.',
  })
  async inspectionOpenings(
    @Args('manifestId', { type: () => ID }) manifestId: string,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'At most 500.' }) first: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > 500)
      throw DomainError.badInput('first', 'first: 1 to 500');
    return this.inspections.openings(await who, manifestId, first);
  }
}
