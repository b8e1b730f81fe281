import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { LICENCE_MODES, type LicenceMode } from '../../parties/domain/licence';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { DomainError } from '../../shared/domain/domain-error';
import { shanghaiDate } from '../../shared/domain/time';
import { PageArgs } from '../../shared/graphql/pagination';
import { LocalDateScalar, MassScalar } from '../../shared/graphql/scalars';
import { LicencesQueryService } from '../licences-query.service';
import { LicencesService } from '../licences.service';
import {
  AmendLicenceInput,
  ChangeLicenceStatusInput,
  IssueLicenceInput,
  LicenceFilter,
  LicenceModeEnum,
} from './licence.inputs';
import { LicenceCheckResultObject, LicenceConnection, LicenceObject } from './licence.objects';

@Resolver()
export class LicenceResolver {
  constructor(
    private readonly licensing: LicencesService,
    private readonly query: LicencesQueryService,
  ) {}

  @Mutation(() => LicenceObject, {
    description:
      '颁发许可证 — issue a licence: COMPREHENSIVE and PILOT_COLLECTION by a province, MEDICAL_DISPOSAL by a city (or province), COLLECTION by a county, city or province; facility sites in your jurisdiction.',
  })
  async issueLicence(@Args('input') input: IssueLicenceInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    return this.query.licence(p, await this.licensing.issue(p, input));
  }

  @Mutation(() => LicenceObject, {
    description: 'Amend a licence’s items, validity or facility sites, with a reason.',
  })
  async amendLicence(@Args('input') input: AmendLicenceInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.licensing.amend(p, input);
    return this.query.licence(p, input.licenceId);
  }

  @Mutation(() => LicenceObject, { description: '暂扣 — suspend a licence from a day on (today or later).' })
  async suspendLicence(
    @Args('input') input: ChangeLicenceStatusInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.licensing.changeStatus(p, 'SuspendLicence', input);
    return this.query.licence(p, input.licenceId);
  }

  @Mutation(() => LicenceObject, { description: 'Reinstate a suspended licence from a later day on.' })
  async reinstateLicence(
    @Args('input') input: ChangeLicenceStatusInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.licensing.changeStatus(p, 'ReinstateLicence', input);
    return this.query.licence(p, input.licenceId);
  }

  @Mutation(() => LicenceObject, { description: '吊销 — revoke a licence from a day on, for good.' })
  async revokeLicence(
    @Args('input') input: ChangeLicenceStatusInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.licensing.changeStatus(p, 'RevokeLicence', input);
    return this.query.licence(p, input.licenceId);
  }

  @Query(() => LicenceObject, {
    description:
      'A licence you may see: your own, a verified operator’s (public directory), or (regulators) one with a facility site in your jurisdiction.',
  })
  async licence(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.query.licence(await who, id);
  }

  @Query(() => LicenceConnection, {
    description: 'Licences you may see, ordered by id, with cursor pagination.',
  })
  async licences(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: PageArgs,
    @Args('filter', { type: () => LicenceFilter, nullable: true }) filter?: LicenceFilter,
  ) {
    return this.query.licences(await who, filter ?? {}, page.first, page.after);
  }

  @Query(() => LicenceCheckResultObject, {
    description:
      '许可核查 — could this receiver take this waste with this mode on this day (give `date`, or an instant `at`, taken as its Asia/Shanghai day)? Answers allowed with the capacity level, or the refusal code; reserves nothing.',
  })
  async licenceCheck(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('partyId', { type: () => ID }) partyId: string,
    @Args('wasteCode') wasteCode: string,
    @Args('mode', { type: () => LicenceModeEnum }) mode: LicenceMode,
    @Args('mass', { type: () => MassScalar }) mass: number,
    @Args('siteId', { type: () => ID, nullable: true }) siteId?: string,
    @Args('date', { type: () => LocalDateScalar, nullable: true }) date?: string,
    @Args('at', { type: () => Date, nullable: true }) at?: Date,
    @Args('originDivisionCode', {
      nullable: true,
      description:
        'Where the waste comes from (emergency authorisations serve regions); default: your first site.',
    })
    originDivisionCode?: string,
  ) {
    if ((date === undefined || date === null) === (at === undefined || at === null)) {
      throw DomainError.badInput('date', 'date: give either a date or an instant `at`');
    }
    if (!LICENCE_MODES.includes(mode)) throw DomainError.badInput('mode', 'mode: unknown');
    if (!/^\d{3}-\d{3}-\d{2}$/.test(wasteCode)) {
      throw new DomainError('UNKNOWN_WASTE_CODE', `wasteCode: not a waste code NNN-NNN-NN: ${wasteCode}`, {
        field: 'wasteCode',
      });
    }
    if (
      originDivisionCode !== undefined &&
      originDivisionCode !== null &&
      !/^\d{6}$/.test(originDivisionCode)
    ) {
      throw DomainError.badInput('originDivisionCode', 'originDivisionCode: 6 digits');
    }
    return this.query.licenceCheck(await who, {
      partyId,
      siteId: siteId ?? undefined,
      wasteCode,
      mode,
      date: date ?? shanghaiDate(at!),
      mass,
      originDivisionCode: originDivisionCode ?? undefined,
    });
  }
}
