import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RefInput } from '../../parties/graphql/party.types';
import { ownParty } from '../../shared/auth/access-policy';
import { CurrentPrincipal } from '../../shared/auth/current-principal.decorator';
import type { Principal } from '../../shared/auth/principal';
import { LicenceReadService } from '../licence-read.service';
import { DocumentsQueryService } from '../documents-query.service';
import { TransportService } from '../transport.service';
import { CrewMemberObject, TransportPermitObject, VehicleObject } from './licence.objects';
import {
  RegisterCrewMemberInput,
  RegisterTransportPermitInput,
  RegisterVehicleInput,
} from './transport.inputs';

@Resolver()
export class TransportResolver {
  constructor(
    private readonly transport: TransportService,
    private readonly query: DocumentsQueryService,
    private readonly read: LicenceReadService,
  ) {}

  @Mutation(() => TransportPermitObject, {
    description:
      '道路危险货物运输许可 — register your party’s transport permit (a TRANSPORTER); a regulator verifies it.',
  })
  async registerTransportPermit(
    @Args('input') input: RegisterTransportPermitInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.transport.registerPermit(p, input);
    return this.permit(p, ownParty(p), id);
  }

  @Mutation(() => VehicleObject, {
    description: 'Register a vehicle (道路运输证) under one of your permits.',
  })
  async registerVehicle(
    @Args('input') input: RegisterVehicleInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.transport.registerVehicle(p, input);
    return (await this.query.vehicles(p, ownParty(p))).find((v) => v.id === id);
  }

  @Mutation(() => CrewMemberObject, {
    description: 'Register a driver or escort (押运员) with the qualification certificate (从业资格证).',
  })
  async registerCrewMember(
    @Args('input') input: RegisterCrewMemberInput,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    const p = await who;
    const id = await this.transport.registerCrewMember(p, input);
    return (await this.query.crew(p, ownParty(p))).find((c) => c.id === id);
  }

  @Mutation(() => TransportPermitObject, {
    description:
      'A regulator overseeing the carrier verifies its transport permit against the transport department’s record.',
  })
  async verifyTransportPermit(@Args('input') input: RefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.transport.verifyPermit(p, input.idempotencyKey, input.id);
    const permit = await this.read.permit(input.id);
    return this.permit(p, permit!.partyId, input.id);
  }

  @Mutation(() => VehicleObject, { description: 'A regulator overseeing the carrier verifies a vehicle.' })
  async verifyVehicle(@Args('input') input: RefInput, @CurrentPrincipal() who: Promise<Principal>) {
    const p = await who;
    await this.transport.verifyVehicle(p, input.idempotencyKey, input.id);
    const vehicle = await this.read.vehicle(input.id);
    return (await this.query.vehicles(p, vehicle!.partyId)).find((v) => v.id === input.id);
  }

  @Query(() => [TransportPermitObject], {
    description:
      'A carrier’s transport permits and vehicles: your own, a regulator’s in its jurisdiction, or a verified transporter’s verified ones (directory).',
  })
  async transportPermits(
    @Args('partyId', { type: () => ID }) partyId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.query.permits(await who, partyId);
  }

  @Query(() => [VehicleObject], {
    description:
      'A carrier’s vehicles, or (inspectors and regulators, roadside checks) the vehicle with a plate.',
  })
  async vehicles(
    @CurrentPrincipal() who: Promise<Principal>,
    @Args('partyId', { type: () => ID, nullable: true }) partyId?: string,
    @Args('plate', { nullable: true }) plate?: string,
  ) {
    return this.query.vehicles(await who, partyId ?? undefined, plate ?? undefined);
  }

  @Query(() => [CrewMemberObject], {
    description: 'Drivers and escorts of a carrier: the carrier and its regulators only.',
  })
  async crewMembers(
    @Args('partyId', { type: () => ID }) partyId: string,
    @CurrentPrincipal() who: Promise<Principal>,
  ) {
    return this.query.crew(await who, partyId);
  }

  private async permit(who: Principal, partyId: string, permitId: string) {
    return (await this.query.permits(who, partyId)).find((x) => x.id === permitId);
  }
}
