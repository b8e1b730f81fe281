import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { LocalDateScalar } from '../../shared/graphql/scalars';
import { AuthorisationsService } from '../authorisations.service';
import { DocumentsQueryService } from '../documents-query.service';
import {
  AuthorisationFilter,
  DeclareEpidemicInput,
  EndEpidemicInput,
  GrantEmergencyAuthorisationInput,
  IssueCrossProvinceApprovalInput,
  RevokeAuthorisationInput,
} from './authorisation.inputs';
import { CrossProvinceApprovalObject, EmergencyAuthorisationObject, EpidemicObject } from './licence.objects';

@Resolver()
export class AuthorisationResolver {
  constructor(
    private readonly authorisations: AuthorisationsService,
    private readonly query: DocumentsQueryService,
  ) {}

  @Mutation(() => EpidemicObject, {
    description:
      '重大传染病疫情 — declare a major epidemic for a region of your jurisdiction: exemption #2 is suspended there and emergency authorisations apply.',
  })
  async declareEpidemic(
    @Args('input') input: DeclareEpidemicInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const id = await this.authorisations.declareEpidemic(await who, input);
    return (await this.query.epidemics()).find((e) => e.id === id);
  }

  @Mutation(() => EpidemicObject, { description: 'End a declared epidemic (its last day).' })
  async endEpidemic(@Args('input') input: EndEpidemicInput, @CurrentPrincipal() who: Promise<Principal>) {
    await this.authorisations.endEpidemic(await who, input);
    return (await this.query.epidemics()).find((e) => e.id === input.epidemicId);
  }

  @Query(() => [EpidemicObject], { description: 'Declared epidemics (public notices).' })
  epidemics(
    @Args('divisionCode', { nullable: true, description: 'Those covering this 6-digit division.' })
    divisionCode?: string,
    @Args('activeOn', { type: () => LocalDateScalar, nullable: true }) activeOn?: string,
  ) {
    return this.query.epidemics(divisionCode ?? undefined, activeOn ?? undefined);
  }

  @Mutation(() => EmergencyAuthorisationObject, {
    description:
      '应急处置 — grant a facility a temporary scope; checked like a licence item, its records marked as emergency.',
  })
  async grantEmergencyAuthorisation(
    @Args('input') input: GrantEmergencyAuthorisationInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.authorisations.grantEmergencyAuthorisation(p, input);
    return (await this.query.emergencyAuthorisations(p, {})).find((a) => a.id === id);
  }

  @Mutation(() => EmergencyAuthorisationObject, {
    description: 'End an emergency authorisation from a day on.',
  })
  async revokeEmergencyAuthorisation(
    @Args('input') input: RevokeAuthorisationInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.authorisations.revokeEmergencyAuthorisation(p, input);
    return (await this.query.emergencyAuthorisations(p, {})).find((a) => a.id === input.id);
  }

  @Query(() => [EmergencyAuthorisationObject], {
    description:
      'Emergency authorisations you may see: your own, a verified operator’s, or in your jurisdiction.',
  })
  async emergencyAuthorisations(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('filter', { type: () => AuthorisationFilter, nullable: true }) filter?: AuthorisationFilter,
  ) {
    return this.query.emergencyAuthorisations(await who, filter ?? {});
  }

  @Mutation(() => CrossProvinceApprovalObject, {
    description:
      '跨省转移审批 — the exporting province’s agency approves a transfer to another province (validity ≤ 12 months, capped by the receiver’s licence expiry).',
  })
  async issueCrossProvinceApproval(
    @Args('input') input: IssueCrossProvinceApprovalInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.authorisations.issueCrossProvinceApproval(p, input);
    return (await this.query.crossProvinceApprovals(p, {})).find((a) => a.id === id);
  }

  @Mutation(() => CrossProvinceApprovalObject, {
    description: 'Withdraw a cross-province approval from a day on.',
  })
  async revokeCrossProvinceApproval(
    @Args('input') input: RevokeAuthorisationInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.authorisations.revokeCrossProvinceApproval(p, input);
    return (await this.query.crossProvinceApprovals(p, {})).find((a) => a.id === input.id);
  }

  @Query(() => [CrossProvinceApprovalObject], {
    description: 'Cross-province approvals naming your party, or touching your jurisdiction (regulators).',
  })
  async crossProvinceApprovals(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('filter', { type: () => AuthorisationFilter, nullable: true }) filter?: AuthorisationFilter,
  ) {
    return this.query.crossProvinceApprovals(await who, filter ?? {});
  }
}
