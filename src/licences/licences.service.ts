import { Injectable } from '@nestjs/common';
import { sqlConstraint, sqlState } from '../database/sql';
import { decideOn } from '../ledger/decide';
import { LedgerService } from '../ledger/ledger.service';
import { notFound } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import type { AgencyFacts } from './domain/authority.policy';
import { type LicenceCommand, licenceDecider } from './domain/licence.decider';
import { LICENCE_STREAM, licenceStream } from './domain/licence.events';
import type {
  AmendLicenceInput,
  ChangeLicenceStatusInput,
  IssueLicenceInput,
} from './graphql/licence.inputs';
import { LicenceFactsService, type PartyFacts } from './licence-facts.service';
import { LicenceReadService } from './licence-read.service';

type StatusCommand = 'SuspendLicence' | 'ReinstateLicence' | 'RevokeLicence';

/** 许可证 — licences issued, amended, suspended, reinstated and revoked through the ledger. */
@Injectable()
export class LicencesService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly facts: LicenceFactsService,
    private readonly read: LicenceReadService,
  ) {}

  /** Issues a licence to a party whose facility sites lie in the regulator's jurisdiction. */
  async issue(who: Principal, input: IssueLicenceInput): Promise<string> {
    const agency = this.facts.agency(who);
    const holder = await this.facts.partyInJurisdiction(who, input.holderPartyId, 'input.holderPartyId');
    const { idempotencyKey, ...request } = input;
    const licenceId = uuidv7();
    const items = input.items.map((i) => ({ ...i, itemId: uuidv7() }));
    const r = await this.ledger.execute(
      { act: 'issueLicence', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const catalogue = await this.facts.catalogueFacts(scopesOf(input.items), tx.occurredAt);
        await this.assertNumberFree(input.number);
        const command: LicenceCommand = {
          type: 'IssueLicence',
          data: {
            licenceId,
            number: input.number,
            holderPartyId: holder.partyId,
            kind: input.kind,
            validFrom: input.validFrom,
            validTo: input.validTo,
            facilitySiteIds: input.facilitySiteIds,
            items,
            facts: { agency, holderSites: holder.sites, catalogue },
          },
          meta: tx.meta(),
        };
        try {
          await decideOn(tx, licenceStream(licenceId), LICENCE_STREAM, licenceDecider, () => command);
        } catch (e) {
          if (sqlState(e) === '23505' && sqlConstraint(e) === 'licence_number_key')
            throw numberTaken(input.number);
          throw e;
        }
        return { licenceId };
      },
    );
    return r.licenceId;
  }

  async amend(who: Principal, input: AmendLicenceInput): Promise<void> {
    const { agency, holder } = await this.licenceInJurisdiction(who, input.licenceId);
    const { idempotencyKey, ...request } = input;
    const items = input.items?.map((i) => ({ ...i, itemId: i.itemId ?? null, newItemId: uuidv7() }));
    await this.ledger.execute(
      { act: 'amendLicence', actor: actorOf(who), idempotencyKey, request },
      async (tx) => {
        const catalogue = await this.facts.catalogueFacts(scopesOf(input.items ?? []), tx.occurredAt);
        const command: LicenceCommand = {
          type: 'AmendLicence',
          data: {
            validFrom: input.validFrom,
            validTo: input.validTo,
            facilitySiteIds: input.facilitySiteIds,
            items,
            reason: input.reason,
            facts: { agency, holderSites: holder.sites, catalogue },
          },
          meta: tx.meta(),
        };
        await decideOn(tx, licenceStream(input.licenceId), LICENCE_STREAM, licenceDecider, () => command);
        return null;
      },
    );
  }

  /** Suspends (暂扣), reinstates or revokes (吊销) a licence from a day on. */
  async changeStatus(who: Principal, type: StatusCommand, input: ChangeLicenceStatusInput): Promise<void> {
    const { agency, holder } = await this.licenceInJurisdiction(who, input.licenceId);
    const { idempotencyKey, ...request } = input;
    const act = {
      SuspendLicence: 'suspendLicence',
      ReinstateLicence: 'reinstateLicence',
      RevokeLicence: 'revokeLicence',
    }[type];
    await this.ledger.execute({ act, actor: actorOf(who), idempotencyKey, request }, async (tx) => {
      const command = {
        type,
        data: { from: input.from, reason: input.reason, facts: { agency, holderSites: holder.sites } },
        meta: tx.meta(),
      } as LicenceCommand;
      await decideOn(tx, licenceStream(input.licenceId), LICENCE_STREAM, licenceDecider, () => command);
      return null;
    });
  }

  /** The licence and its holder, when one of its facility sites lies in the regulator's jurisdiction; else NOT_FOUND. */
  private async licenceInJurisdiction(
    who: Principal,
    licenceId: string,
  ): Promise<{ agency: AgencyFacts; holder: PartyFacts }> {
    const licence = await this.read.licence(licenceId);
    if (!licence) throw notFound('licence');
    const holder = await this.facts.party(licence.holderPartyId);
    const divisions = holder.sites
      .filter((s) => licence.facilitySiteIds.includes(s.siteId))
      .map((s) => s.divisionCode);
    return { agency: this.facts.assertOversees(who, divisions, 'licence'), holder };
  }

  private async assertNumberFree(number: string): Promise<void> {
    const taken = await this.read.licenceRecords(`l.number = $1`, [number.trim()], 1);
    if (taken.length > 0) throw numberTaken(number);
  }
}

const numberTaken = (number: string) =>
  DomainError.badInput('input.number', `a licence numbered ${number.trim()} is already registered`);

const scopesOf = (items: readonly { scope: string; mergeableCodes?: string[] | null }[]) =>
  items.flatMap((i) => [i.scope, ...(i.mergeableCodes ?? [])]);

/** The acting user (the permission table lets only signed-in users reach these commands). */
export function actorOf(who: Principal) {
  if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
  return who.actor;
}
