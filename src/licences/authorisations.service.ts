import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideOn } from '../ledger/decide';
import { LedgerService } from '../ledger/ledger.service';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { uuidv7 } from '../shared/ids';
import {
  type CrossProvinceApprovalCommand,
  crossProvinceApprovalDecider,
} from './domain/cross-province-approval.decider';
import {
  type EmergencyAuthorisationCommand,
  emergencyAuthorisationDecider,
  type EpidemicFacts,
} from './domain/emergency-authorisation.decider';
import { type EpidemicCommand, epidemicDecider } from './domain/epidemic.decider';
import {
  CROSS_PROVINCE_APPROVAL_STREAM,
  crossProvinceApprovalStream,
  EMERGENCY_AUTHORISATION_STREAM,
  emergencyAuthorisationStream,
  EPIDEMIC_STREAM,
  epidemicStream,
} from './domain/licence.events';
import type {
  DeclareEpidemicInput,
  EndEpidemicInput,
  GrantEmergencyAuthorisationInput,
  IssueCrossProvinceApprovalInput,
  RevokeAuthorisationInput,
} from './graphql/authorisation.inputs';
import { LicenceFactsService } from './licence-facts.service';
import { LicenceReadService } from './licence-read.service';
import { actorOf } from './licences.service';

/**
 * 疫情、应急处置、跨省转移审批 — epidemics declared and ended, emergency authorisations granted
 * and revoked, cross-province approvals issued and withdrawn, each on its own stream.
 */
@Injectable()
export class AuthorisationsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly facts: LicenceFactsService,
    private readonly read: LicenceReadService,
    private readonly db: DataSource,
  ) {}

  async declareEpidemic(who: Principal, input: DeclareEpidemicInput): Promise<string> {
    const agency = this.facts.agency(who);
    const epidemicId = uuidv7();
    const { idempotencyKey, ...request } = input;
    const r = await this.ledger.execute(
      { act: 'declareEpidemic', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const command: EpidemicCommand = {
          type: 'DeclareEpidemic',
          data: { epidemicId, ...request, to: input.to ?? null, agency },
          meta: tx.meta(),
        };
        await decideOn(tx, epidemicStream(epidemicId), EPIDEMIC_STREAM, epidemicDecider, () => command);
        return { epidemicId };
      },
    );
    return r.epidemicId;
  }

  async endEpidemic(who: Principal, input: EndEpidemicInput): Promise<void> {
    const agency = this.facts.agency(who);
    const epidemic = await this.epidemic(input.epidemicId);
    if (!epidemic) throw notFound('epidemic');
    const { idempotencyKey, ...request } = input;
    await this.ledger.execute(
      { act: 'endEpidemic', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const command: EpidemicCommand = {
          type: 'EndEpidemic',
          data: { to: input.to, agency },
          meta: tx.meta(),
        };
        await decideOn(tx, epidemicStream(input.epidemicId), EPIDEMIC_STREAM, epidemicDecider, () => command);
        return null;
      },
    );
  }

  async grantEmergencyAuthorisation(
    who: Principal,
    input: GrantEmergencyAuthorisationInput,
  ): Promise<string> {
    const agency = this.facts.agency(who);
    const holder = await this.facts.partyInJurisdiction(who, input.holderPartyId, 'input.holderPartyId');
    const epidemic = input.epidemicId ? await this.epidemic(input.epidemicId) : null;
    const authorisationId = uuidv7();
    const { idempotencyKey, ...request } = input;
    const r = await this.ledger.execute(
      { act: 'grantEmergencyAuthorisation', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const catalogue = await this.facts.catalogueFacts(input.scope, tx.occurredAt);
        const command: EmergencyAuthorisationCommand = {
          type: 'GrantEmergencyAuthorisation',
          data: {
            authorisationId,
            holderPartyId: holder.partyId,
            scope: input.scope,
            modes: input.modes,
            capacityTonnes: input.capacityTonnes,
            regionPrefixes: input.regionPrefixes,
            validFrom: input.validFrom,
            validTo: input.validTo,
            facilitySiteIds: input.facilitySiteIds ?? null,
            epidemicId: input.epidemicId ?? null,
            facts: { agency, holderSites: holder.sites, catalogue, epidemic },
          },
          meta: tx.meta(),
        };
        await decideOn(
          tx,
          emergencyAuthorisationStream(authorisationId),
          EMERGENCY_AUTHORISATION_STREAM,
          emergencyAuthorisationDecider,
          () => command,
        );
        return { authorisationId };
      },
    );
    return r.authorisationId;
  }

  async revokeEmergencyAuthorisation(who: Principal, input: RevokeAuthorisationInput): Promise<void> {
    const agency = this.facts.agency(who);
    const [row] = await this.db.query<{ region_prefixes: string[] }[]>(
      `SELECT region_prefixes FROM emergency_authorisation WHERE authorisation_id = $1`,
      [input.id],
    );
    // visible to a regulator overseeing a region it serves
    if (
      !row ||
      !row.region_prefixes.some((p) => agency.jurisdiction.some((j) => p.startsWith(j) || j.startsWith(p)))
    ) {
      throw notFound('emergency authorisation');
    }
    const { idempotencyKey, ...request } = input;
    await this.ledger.execute(
      { act: 'revokeEmergencyAuthorisation', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const command: EmergencyAuthorisationCommand = {
          type: 'RevokeEmergencyAuthorisation',
          data: { from: input.from, reason: input.reason, agency },
          meta: tx.meta(),
        };
        await decideOn(
          tx,
          emergencyAuthorisationStream(input.id),
          EMERGENCY_AUTHORISATION_STREAM,
          emergencyAuthorisationDecider,
          () => command,
        );
        return null;
      },
    );
  }

  async issueCrossProvinceApproval(who: Principal, input: IssueCrossProvinceApprovalInput): Promise<string> {
    const agency = this.facts.agency(who);
    const consignor = await this.facts.partyInJurisdiction(
      who,
      input.consignorPartyId,
      'input.consignorPartyId',
    );
    const consignorSite = this.facts.siteOf(consignor, input.consignorSiteId, 'input.consignorSiteId');
    const receiver = await this.facts.party(input.receiverPartyId, 'input.receiverPartyId');
    const receiverSite = this.facts.siteOf(receiver, input.receiverSiteId, 'input.receiverSiteId');
    const approvalId = uuidv7();
    const { idempotencyKey, ...request } = input;
    const r = await this.ledger.execute(
      { act: 'issueCrossProvinceApproval', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const catalogue = await this.facts.catalogueFacts(input.wasteCodes, tx.occurredAt);
        const command: CrossProvinceApprovalCommand = {
          type: 'IssueCrossProvinceApproval',
          data: {
            approvalId,
            number: input.number,
            consignorPartyId: consignor.partyId,
            receiverPartyId: receiver.partyId,
            wasteCodes: input.wasteCodes,
            approvedGrams: input.approvedQuantity,
            validFrom: input.validFrom,
            validTo: input.validTo ?? null,
            facts: {
              agency,
              consignorSite,
              receiverSite,
              receiverLicences: await this.read.licencesOf(receiver.partyId),
              catalogue,
            },
          },
          meta: tx.meta(),
        };
        await decideOn(
          tx,
          crossProvinceApprovalStream(approvalId),
          CROSS_PROVINCE_APPROVAL_STREAM,
          crossProvinceApprovalDecider,
          () => command,
        );
        return { approvalId };
      },
    );
    return r.approvalId;
  }

  async revokeCrossProvinceApproval(who: Principal, input: RevokeAuthorisationInput): Promise<void> {
    const agency = this.facts.agency(who);
    const [row] = await this.db.query<{ consignor_division_code: string; receiver_division_code: string }[]>(
      `SELECT consignor_division_code, receiver_division_code FROM cross_province_approval WHERE approval_id = $1`,
      [input.id],
    );
    if (!row) throw notFound('cross-province approval');
    this.facts.assertOversees(
      who,
      [row.consignor_division_code, row.receiver_division_code],
      'cross-province approval',
    );
    const { idempotencyKey, ...request } = input;
    await this.ledger.execute(
      { act: 'revokeCrossProvinceApproval', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const command: CrossProvinceApprovalCommand = {
          type: 'RevokeCrossProvinceApproval',
          data: { from: input.from, reason: input.reason, agency },
          meta: tx.meta(),
        };
        await decideOn(
          tx,
          crossProvinceApprovalStream(input.id),
          CROSS_PROVINCE_APPROVAL_STREAM,
          crossProvinceApprovalDecider,
          () => command,
        );
        return null;
      },
    );
  }

  private async epidemic(epidemicId: string): Promise<EpidemicFacts | null> {
    const [row] = await this.db.query<{ epidemic_id: string; valid_from: string; valid_to: string | null }[]>(
      `SELECT epidemic_id, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
         FROM epidemic WHERE epidemic_id = $1`,
      [epidemicId],
    );
    return row ? { epidemicId: row.epidemic_id, from: row.valid_from, to: row.valid_to } : null;
  }
}
