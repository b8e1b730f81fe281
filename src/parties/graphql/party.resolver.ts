import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from '@nestjs/graphql';
import { canSee, notFound, ownParty } from '../../shared/auth/access-policy';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { DomainError } from '../../shared/domain/domain-error';
import { uuidv7 } from '../../shared/ids';
import { Connection, PageArgs } from '../../shared/graphql/pagination';
import { ObjectType } from '@nestjs/graphql';
import { AgenciesService } from '../agencies.service';
import { DivisionsService } from '../divisions.service';
import { PARTY_TYPES, type PartyType } from '../domain/party.events';
import { IdentityService } from '../identity.service';
import { ManagementClassService } from '../management-class.service';
import { PartiesService } from '../parties.service';
import { PartyReadService } from '../party-read.service';
import {
  AddFacilityInput,
  AddSiteInput,
  AgencyObject,
  AgencyUserObject,
  CreateAgencyInput,
  CreateAgencyUserInput,
  CreateUserInput,
  DelegationObject,
  DivisionObject,
  DeviceObject,
  GrantDelegationInput,
  ManagementClassObject,
  OverrideManagementClassInput,
  PartyObject,
  PartyRefInput,
  PartyTypeEnum,
  PartyUserObject,
  RefInput,
  RegisterDeviceInput,
  RegisteredDeviceObject,
  RegisterPartyInput,
  RelocateFacilityInput,
  UserRefInput,
} from './party.types';

@InputType()
export class PartyFilter {
  @Field(() => [PartyTypeEnum], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsIn(PARTY_TYPES, { each: true })
  types?: PartyType[];
  @Field({ nullable: true, description: 'PENDING or VERIFIED.' })
  @IsOptional()
  @IsIn(['PENDING', 'VERIFIED'])
  status?: string;
  @Field({ nullable: true, description: 'Division-code prefix of a site, e.g. "4101".' })
  @IsOptional()
  @Matches(/^\d{2,6}$/)
  divisionPrefix?: string;
  @Field({ nullable: true, description: 'Name or USCC contains.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

@ObjectType('PartyConnection')
export class PartyConnection extends Connection(PartyObject, 'Party') {}

@Resolver()
export class PartyResolver {
  constructor(
    private readonly partiesService: PartiesService,
    private readonly read: PartyReadService,
    private readonly agenciesService: AgenciesService,
    private readonly classes: ManagementClassService,
    private readonly divisions: DivisionsService,
  ) {}

  @Mutation(() => PartyObject, {
    description:
      '单位注册 — register your party with its sites and first ADMIN; it stays PENDING until a regulator verifies it.',
  })
  async registerParty(@Args('input') input: RegisterPartyInput, @CurrentPrincipal() who: Promise<Principal>) {
    const partyId = await this.partiesService.register(input, await who, 'SELF');
    return this.read.party(partyId);
  }

  @Mutation(() => PartyObject, {
    description: 'A regulator registers a party within its jurisdiction (pending until verified).',
  })
  async registerPartyAsRegulator(
    @Args('input') input: RegisterPartyInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const partyId = await this.partiesService.register(input, await who, 'REGULATOR');
    return this.read.party(partyId);
  }

  @Mutation(() => PartyObject, {
    description: '核实 — a regulator verifies a party whose site lies in its jurisdiction.',
  })
  async verifyParty(@Args('input') input: PartyRefInput, @CurrentPrincipal() who: Promise<Principal>) {
    await this.partiesService.verify(input.partyId, input.idempotencyKey, await who);
    return this.read.party(input.partyId);
  }

  @Query(() => PartyObject, {
    description:
      'A party you may see: your own, a verified operator, or (regulators) one in your jurisdiction.',
  })
  async party(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() who: Promise<Principal>) {
    return this.partiesService.visibleParty(await who, id);
  }

  @Query(() => PartyConnection, {
    description: 'Parties you may see, ordered by id, with cursor pagination.',
  })
  async parties(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args() page: PageArgs,
    @Args('filter', { type: () => PartyFilter, nullable: true }) filter?: PartyFilter,
  ) {
    return this.read.list(await who, filter ?? {}, page.first, page.after);
  }

  @Mutation(() => PartyObject, { description: 'Add a site (with its facilities) to your party.' })
  async addSite(@Args('input') input: AddSiteInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.partiesService.addSite(p, input.idempotencyKey, input.site);
    return this.read.party(ownParty(p));
  }

  @Mutation(() => PartyObject, { description: 'Add a facility to a site of your party.' })
  async addFacility(@Args('input') input: AddFacilityInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.partiesService.addFacility(p, input.idempotencyKey, input.siteId, input.facility);
    return this.read.party(ownParty(p));
  }

  @Mutation(() => PartyObject, {
    description: 'Move a facility (a mobile disposal unit) to another site of your party.',
  })
  async relocateFacility(
    @Args('input') input: RelocateFacilityInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    await this.partiesService.relocateFacility(p, input.idempotencyKey, input.facilityId, input.siteId);
    return this.read.party(ownParty(p));
  }

  @Mutation(() => PartyUserObject, { description: 'Create a user of your party.' })
  async createUser(@Args('input') input: CreateUserInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    const userId = await this.partiesService.createUser(p, input.idempotencyKey, input.user, input.role);
    return (await this.read.users(ownParty(p))).find((u) => u.id === userId);
  }

  @Mutation(() => PartyUserObject, { description: 'Change the role of a user of your party.' })
  async changeUserRole(@Args('input') input: UserRefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    if (!input.role) throw DomainError.badInput('input.role', 'role: the new role');
    await this.partiesService.changeUser(p, input.idempotencyKey, input.userId, input.role);
    return (await this.read.users(ownParty(p))).find((u) => u.id === input.userId);
  }

  @Mutation(() => PartyUserObject, {
    description: 'Revoke a user of your party (refused at once, even with a live token).',
  })
  async revokeUser(@Args('input') input: UserRefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.partiesService.changeUser(p, input.idempotencyKey, input.userId, null);
    return (await this.read.users(ownParty(p))).find((u) => u.id === input.userId);
  }

  @Query(() => [PartyUserObject], { description: 'Users of your party (ADMIN).' })
  async partyUsers(@CurrentPrincipal() who: Promise<Principal>) {
    return this.read.users(ownParty(await who));
  }

  @Mutation(() => DelegationObject, {
    description:
      '委托 — let an agent (e.g. a pilot collector) act for your party: plans, declarations, manifests.',
  })
  async grantDelegation(
    @Args('input') input: GrantDelegationInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.partiesService.grantDelegation(p, input);
    return (await this.read.delegations(ownParty(p))).find((d) => d.id === id);
  }

  @Mutation(() => DelegationObject)
  async revokeDelegation(@Args('input') input: RefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.partiesService.revokeDelegation(p, input.idempotencyKey, input.id);
    return (await this.read.delegations(ownParty(p))).find((d) => d.id === input.id);
  }

  @Query(() => [DelegationObject], { description: 'Delegations your party gave or received.' })
  async delegations(@CurrentPrincipal() who: Promise<Principal>) {
    return this.read.delegations(ownParty(await who));
  }

  @Mutation(() => RegisteredDeviceObject, {
    description: 'Register a device; its API key is in the answer this once.',
  })
  async registerDevice(
    @Args('input') input: RegisterDeviceInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ): Promise<RegisteredDeviceObject> {
    const p = await who;
    const proposedId = uuidv7();
    const key = IdentityService.newDeviceKey(proposedId);
    const deviceId = await this.partiesService.registerDevice(p, input, key.hash, proposedId);
    const device = await this.read.device(deviceId);
    if (!device) throw notFound('device');
    // a retried request (same idempotency key) gets the device, but its key was shown only the first time
    return { device, apiKey: deviceId === proposedId ? key.apiKey : null };
  }

  @Mutation(() => DeviceObject)
  async revokeDevice(@Args('input') input: RefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.partiesService.revokeDevice(p, input.idempotencyKey, input.id);
    return this.read.device(input.id);
  }

  @Query(() => [DeviceObject], { description: 'Devices of your party.' })
  async devices(@CurrentPrincipal() who: Promise<Principal>) {
    return this.read.devices(ownParty(await who));
  }

  @Query(() => ManagementClassObject, {
    description: '管理类别 of a producer site for a year (fixed on 1 January).',
  })
  async managementClass(
    @Args('siteId', { type: () => ID }) siteId: string,
    @Args('year', { type: () => Int }) year: number,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw DomainError.badInput('year', 'year: 2000 to 2100');
    const p = await who;
    const site = await this.read.siteRow(siteId);
    if (!site || !canSee(p, { partyIds: [site.party_id], divisionCodes: [site.division_code] }))
      throw notFound('site');
    return this.classes.forSite(siteId, year);
  }

  @Mutation(() => ManagementClassObject, {
    description: 'A regulator overrides the management class of a site for a year, with a reason.',
  })
  async overrideManagementClass(
    @Args('input') input: OverrideManagementClassInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    await this.partiesService.overrideManagementClass(await who, input);
    return this.classes.forSite(input.siteId, input.year);
  }

  @Mutation(() => AgencyObject, {
    description: 'SYSTEM_ADMIN: create a regulator agency or inspection body.',
  })
  async createAgency(@Args('input') input: CreateAgencyInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    if (p.kind !== 'USER') throw new DomainError('FORBIDDEN', 'system administrators only');
    return this.read.agency(await this.agenciesService.create(p, input));
  }

  @Mutation(() => AgencyUserObject, {
    description: 'SYSTEM_ADMIN: create a user of an agency (regulator or inspector by its kind).',
  })
  async createAgencyUser(
    @Args('input') input: CreateAgencyUserInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ): Promise<AgencyUserObject> {
    const p = await who;
    if (p.kind !== 'USER') throw new DomainError('FORBIDDEN', 'system administrators only');
    const userId = await this.agenciesService.createUser(p, input.idempotencyKey, input.agencyId, input.user);
    const agency = await this.read.agency(input.agencyId);
    return {
      id: userId,
      username: input.user.username,
      displayName: input.user.displayName,
      agencyId: input.agencyId,
      role: agency?.kind === 'ENVIRONMENT' ? 'REGULATOR' : 'INSPECTOR',
    };
  }

  @Query(() => DivisionObject, {
    description: '行政区划代码 — resolve a 6-digit division code (province, city, county).',
  })
  administrativeDivision(@Args('code') code: string): DivisionObject {
    return this.divisions.resolve(code, 'code');
  }

  @Query(() => [AgencyObject], { description: 'Regulator agencies and inspection bodies.' })
  agencies() {
    return this.read.agencies();
  }
}
