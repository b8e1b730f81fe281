import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import type { QuantityDimension } from '../domain/statistics';
import { StatisticsService } from '../statistics.service';
import {
  CarrierDiscrepancyRowObject,
  OpenManifestAgeRowObject,
  PeriodInput,
  QuantityDimensionEnum,
  QuantityFilterInput,
  QuantityRowObject,
} from './statistics.types';

@Resolver()
export class StatisticsResolver {
  constructor(private readonly stats: StatisticsService) {}

  @Query(() => [QuantityRowObject], {
    description:
      '统计 — quantities generated, transferred, received, utilised and disposed, by stage and the dimensions asked (region, code, category, month), within your jurisdiction.',
  })
  async wasteQuantities(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('filter') filter: QuantityFilterInput,
    @Args('groupBy', {
      type: () => [QuantityDimensionEnum],
      defaultValue: ['REGION', 'MONTH'],
      description: 'Besides the stage; default REGION and MONTH.',
    })
    groupBy: QuantityDimension[],
  ) {
    return this.stats.quantities(await who, filter, groupBy);
  }

  @Query(() => [OpenManifestAgeRowObject], {
    description:
      '在途联单 — manifests submitted and not closed, by status and days since submission, within your jurisdiction.',
  })
  async openManifestsByAge(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('regionPrefix', { nullable: true, type: () => String }) regionPrefix?: string,
  ) {
    return this.stats.openManifestsByAge(await who, regionPrefix ?? undefined);
  }

  @Query(() => [CarrierDiscrepancyRowObject], {
    description:
      '承运人差异率 — per carrier, the share of lots received with a discrepancy beyond the tolerance, over manifests received in the period within your jurisdiction; highest first.',
  })
  async carrierDiscrepancyRates(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('period') period: PeriodInput,
  ) {
    return this.stats.carrierDiscrepancyRates(await who, period);
  }
}
