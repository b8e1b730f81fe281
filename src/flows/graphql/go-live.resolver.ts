import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { GoLiveService } from '../go-live.service';
import { ImportGoLiveInput } from './go-live.inputs';
import { GoLiveImportObject } from './go-live.objects';

@Resolver(() => GoLiveImportObject)
export class GoLiveResolver {
  constructor(private readonly goLive: GoLiveService) {}

  @Mutation(() => GoLiveImportObject, {
    description:
      '上线导入 — once per site, before anything else is booked there: opening stock per code and storage facility (each container a lot whose storage clock runs from `storedSince`), and the past three years’ amounts (for the management class).',
  })
  async importGoLive(@Args('input') input: ImportGoLiveInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    const r = await this.goLive.importGoLive(p, input);
    return this.goLive.view(p, r.siteId);
  }

  @Query(() => GoLiveImportObject, {
    nullable: true,
    description: 'What a site imported at go-live (null when it did not).',
  })
  async goLiveImport(
    @Args('siteId', { type: () => ID }) siteId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.goLive.view(await who, siteId);
  }
}
