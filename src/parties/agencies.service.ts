import { Injectable } from '@nestjs/common';
import { decideOn } from '../ledger/decide';
import { LedgerService } from '../ledger/ledger.service';
import { hashPassword } from '../shared/auth/passwords';
import type { Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { sqlConstraint, sqlState } from '../database/sql';
import { DivisionsService } from './divisions.service';
import { type AgencyCommand, agencyDecider } from './domain/agency.decider';
import type { CreateAgencyInput, NewUserInput } from './graphql/party.types';

export const AGENCY_STREAM = 'agency';
export const agencyStream = (agencyId: string) => `agency-${agencyId}`;

/** 监管部门 — agencies and their users, bootstrapped by the system administrator. */
@Injectable()
export class AgenciesService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly divisions: DivisionsService,
  ) {}

  async create(who: Principal & { kind: 'USER' }, input: CreateAgencyInput): Promise<string> {
    this.divisions.resolve(input.divisionCode, 'input.divisionCode');
    const agencyId = uuidv7();
    const { idempotencyKey, ...data } = input;
    const r = await this.ledger.execute(
      { act: 'createAgency', actor: who.actor, idempotencyKey, request: data },
      async (tx) => {
        const command: AgencyCommand = {
          type: 'RegisterAgency',
          data: { agencyId, ...data },
          meta: tx.meta(),
        };
        await decideOn(tx, agencyStream(agencyId), AGENCY_STREAM, agencyDecider, () => command);
        return { agencyId };
      },
    );
    return r.agencyId;
  }

  async createUser(
    who: Principal & { kind: 'USER' },
    idempotencyKey: string,
    agencyId: string,
    user: NewUserInput,
  ): Promise<string> {
    const userId = uuidv7();
    const passwordHash = await hashPassword(user.password);
    const r = await this.ledger.execute(
      {
        act: 'createAgencyUser',
        actor: who.actor,
        idempotencyKey,
        request: { agencyId, ...user, password: undefined },
      },
      async (tx) => {
        try {
          await tx.sql.exec(
            `INSERT INTO user_account (user_id, username, display_name, phone, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
            [userId, user.username, user.displayName, user.phone ?? null, passwordHash, tx.now],
          );
        } catch (e) {
          if (sqlState(e) === '23505' && sqlConstraint(e) === 'user_account_username_key') {
            throw DomainError.badInput('input.user.username', `username ${user.username} is taken`);
          }
          throw e;
        }
        const command: AgencyCommand = { type: 'AddAgencyUser', data: { userId }, meta: tx.meta() };
        await decideOn(tx, agencyStream(agencyId), AGENCY_STREAM, agencyDecider, () => command);
        return { userId };
      },
    );
    return r.userId;
  }
}
