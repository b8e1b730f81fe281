import { Module, type OnModuleInit } from '@nestjs/common';
import { EventRegistry } from '../ledger/event-registry';
import { LedgerService } from '../ledger/ledger.service';
import { StreamAccess } from '../ledger/stream-access';
import { AGENCY_STREAM, AgenciesService } from './agencies.service';
import { DivisionsService } from './divisions.service';
import { AGENCY_EVENT_TYPES, PARTY_EVENT_TYPES } from './domain/party.events';
import { IdentityResolver } from './graphql/identity.resolver';
import { PartyResolver } from './graphql/party.resolver';
import { IdentityService } from './identity.service';
import { ManagementClassService } from './management-class.service';
import { PARTY_STREAM, PartiesService } from './parties.service';
import { PartyReadService } from './party-read.service';
import { agencyProjection, partyProjection } from './projections/party.projection';

/** 单位与权限 — parties, sites, facilities, users, agents, devices, agencies and sign-in. */
@Module({
  providers: [
    DivisionsService,
    PartiesService,
    PartyReadService,
    AgenciesService,
    IdentityService,
    ManagementClassService,
    PartyResolver,
    IdentityResolver,
  ],
  exports: [DivisionsService, PartiesService, PartyReadService, ManagementClassService],
})
export class PartiesModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
    private readonly access: StreamAccess,
    private readonly read: PartyReadService,
  ) {}

  onModuleInit(): void {
    this.registry.register(PARTY_STREAM, PARTY_EVENT_TYPES);
    this.registry.register(AGENCY_STREAM, AGENCY_EVENT_TYPES);
    this.ledger.projections.register(partyProjection);
    this.ledger.projections.register(agencyProjection);
    this.access.register(PARTY_STREAM, async (streamId) => {
      const partyId = streamId.replace(/^party-/, '');
      return { partyIds: [partyId], divisionCodes: await this.read.siteDivisions(partyId) };
    });
  }
}
