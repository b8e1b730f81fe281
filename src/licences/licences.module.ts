import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EventRegistry } from '../ledger/event-registry';
import { LedgerService } from '../ledger/ledger.service';
import { StreamAccess, type StreamScope } from '../ledger/stream-access';
import { PartiesModule } from '../parties/parties.module';
import { PartyReadService } from '../parties/party-read.service';
import { AuthorisationsService } from './authorisations.service';
import { DocumentsQueryService } from './documents-query.service';
import {
  CARRIER_EVENT_TYPES,
  CARRIER_STREAM,
  CROSS_PROVINCE_APPROVAL_EVENT_TYPES,
  CROSS_PROVINCE_APPROVAL_STREAM,
  EMERGENCY_AUTHORISATION_EVENT_TYPES,
  EMERGENCY_AUTHORISATION_STREAM,
  EPIDEMIC_EVENT_TYPES,
  EPIDEMIC_STREAM,
  LICENCE_EVENT_TYPES,
  LICENCE_STREAM,
} from './domain/licence.events';
import { AuthorisationResolver } from './graphql/authorisation.resolver';
import { LicenceResolver } from './graphql/licence.resolver';
import { TransportResolver } from './graphql/transport.resolver';
import { LicenceCheckService } from './licence-check.service';
import { LicenceFactsService } from './licence-facts.service';
import { LicenceReadService } from './licence-read.service';
import { LicencesQueryService } from './licences-query.service';
import { LicencesService } from './licences.service';
import {
  authorisationProjection,
  carrierProjection,
  licenceProjection,
} from './projections/licence.projection';
import { TransportService } from './transport.service';

/**
 * 许可与授权 — licences, transport permits, vehicles and crew, epidemics, emergency
 * authorisations and cross-province approvals. Global: later capabilities (manifests, lots)
 * inject `LicenceReadService` and `LicenceCheckService` without importing this module.
 */
@Global()
@Module({
  imports: [PartiesModule, CatalogueModule],
  providers: [
    LicenceReadService,
    LicenceCheckService,
    LicenceFactsService,
    LicencesService,
    TransportService,
    AuthorisationsService,
    LicencesQueryService,
    DocumentsQueryService,
    LicenceResolver,
    TransportResolver,
    AuthorisationResolver,
  ],
  exports: [LicenceReadService, LicenceCheckService],
})
export class LicencesModule implements OnModuleInit {
  constructor(
    private readonly registry: EventRegistry,
    private readonly ledger: LedgerService,
    private readonly access: StreamAccess,
    private readonly parties: PartyReadService,
    private readonly read: LicenceReadService,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(LICENCE_STREAM, LICENCE_EVENT_TYPES);
    this.registry.register(CARRIER_STREAM, CARRIER_EVENT_TYPES);
    this.registry.register(EPIDEMIC_STREAM, EPIDEMIC_EVENT_TYPES);
    this.registry.register(EMERGENCY_AUTHORISATION_STREAM, EMERGENCY_AUTHORISATION_EVENT_TYPES);
    this.registry.register(CROSS_PROVINCE_APPROVAL_STREAM, CROSS_PROVINCE_APPROVAL_EVENT_TYPES);
    this.ledger.projections.register(licenceProjection);
    this.ledger.projections.register(carrierProjection);
    this.ledger.projections.register(authorisationProjection);

    const holder = async (partyId: string | undefined): Promise<StreamScope | null> =>
      partyId ? { partyIds: [partyId], divisionCodes: await this.parties.siteDivisions(partyId) } : null;
    this.access.register(LICENCE_STREAM, async (streamId) =>
      holder((await this.read.licence(streamId.replace(/^licence-/, '')))?.holderPartyId),
    );
    this.access.register(CARRIER_STREAM, (streamId) => holder(streamId.replace(/^carrier-/, '')));
    this.access.register(EMERGENCY_AUTHORISATION_STREAM, async (streamId) => {
      const id = streamId.replace(/^emergency-authorisation-/, '');
      const [row] = await this.db.query<{ holder_party_id: string }[]>(
        `SELECT holder_party_id FROM emergency_authorisation WHERE authorisation_id = $1`,
        [id],
      );
      return holder(row?.holder_party_id);
    });
    this.access.register(CROSS_PROVINCE_APPROVAL_STREAM, async (streamId) => {
      const id = streamId.replace(/^cross-province-approval-/, '');
      const [row] = await this.db.query<
        {
          consignor_party_id: string;
          receiver_party_id: string;
          consignor_division_code: string;
          receiver_division_code: string;
        }[]
      >(
        `SELECT consignor_party_id, receiver_party_id, consignor_division_code, receiver_division_code
           FROM cross_province_approval WHERE approval_id = $1`,
        [id],
      );
      return row
        ? {
            partyIds: [row.consignor_party_id, row.receiver_party_id],
            divisionCodes: [row.consignor_division_code, row.receiver_division_code],
          }
        : null;
    });
    // epidemics are public notices, but their streams are read by regulators (no resolver)
  }
}
