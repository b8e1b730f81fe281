import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { SearchService } from '../search.service';
import type { LICENCE_SORTS, LOT_SORTS, MANIFEST_SORTS, PARTY_SORTS } from '../search/search-queries';
import {
  LicenceSearchInput,
  LicenceSortEnum,
  LotSearchInput,
  LotSortEnum,
  ManifestSearchInput,
  ManifestSortEnum,
  PartySearchInput,
  PartySortEnum,
  SearchPageArgs,
} from './search.inputs';
import {
  LicenceSearchConnection,
  LotSearchConnection,
  ManifestSearchConnection,
  PartySearchConnection,
} from './search.objects';

const IN_JURISDICTION = 'Always limited to your jurisdiction; sorted (DESC by default), cursor-paginated.';

@Resolver()
export class SearchResolver {
  constructor(private readonly search: SearchService) {}

  @Query(() => ManifestSearchConnection, {
    description: `检索联单 — manifests by region, status, code or category, party, planned date, number, discrepancy. ${IN_JURISDICTION}`,
  })
  async searchManifests(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: SearchPageArgs,
    @Args('filter', { type: () => ManifestSearchInput, nullable: true }) filter?: ManifestSearchInput,
    @Args('sort', { type: () => ManifestSortEnum, defaultValue: 'PLANNED_DATE' })
    sort?: keyof typeof MANIFEST_SORTS,
  ) {
    return this.search.manifests(await who, filter ?? {}, sort ?? 'PLANNED_DATE', page);
  }

  @Query(() => LotSearchConnection, {
    description: `检索批次 — lots by region, status, code or category, party, generation date, label, discrepancy. ${IN_JURISDICTION}`,
  })
  async searchLots(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: SearchPageArgs,
    @Args('filter', { type: () => LotSearchInput, nullable: true }) filter?: LotSearchInput,
    @Args('sort', { type: () => LotSortEnum, defaultValue: 'GENERATED_AT' }) sort?: keyof typeof LOT_SORTS,
  ) {
    return this.search.lots(await who, filter ?? {}, sort ?? 'GENERATED_AT', page);
  }

  @Query(() => PartySearchConnection, {
    description: `检索单位 — parties by region, status, type, USCC or name, registration date. ${IN_JURISDICTION}`,
  })
  async searchParties(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: SearchPageArgs,
    @Args('filter', { type: () => PartySearchInput, nullable: true }) filter?: PartySearchInput,
    @Args('sort', { type: () => PartySortEnum, defaultValue: 'REGISTERED_AT' })
    sort?: keyof typeof PARTY_SORTS,
  ) {
    return this.search.parties(await who, filter ?? {}, sort ?? 'REGISTERED_AT', page);
  }

  @Query(() => LicenceSearchConnection, {
    description: `检索许可证 — licences by region (facility sites), status, kind, code or category covered, holder, expiry date, number. ${IN_JURISDICTION}`,
  })
  async searchLicences(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: SearchPageArgs,
    @Args('filter', { type: () => LicenceSearchInput, nullable: true }) filter?: LicenceSearchInput,
    @Args('sort', { type: () => LicenceSortEnum, defaultValue: 'VALID_TO' })
    sort?: keyof typeof LICENCE_SORTS,
  ) {
    return this.search.licences(await who, filter ?? {}, sort ?? 'VALID_TO', page);
  }
}
