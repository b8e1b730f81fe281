import { Injectable } from '@nestjs/common';
import { sqlConstraint, sqlState } from '../database/sql';
import { decideOn } from '../ledger/decide';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import { canSee, notFound, ownParty } from '../shared/auth/access-policy';
import { hashPassword } from '../shared/auth/passwords';
import { isRegulator, isSystemAdmin, partyOf, type Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { DivisionsService } from './divisions.service';
import { jurisdictionMatches } from './domain/divisions';
import { type PartyCommand, partyDecider } from './domain/party.decider';
import type { FacilityData, PartyRole, SiteData } from './domain/party.events';
import type {
  ContactInput,
  FacilityInput,
  GrantDelegationInput,
  NewUserInput,
  RegisterDeviceInput,
  RegisterPartyInput,
  SiteInput,
} from './graphql/party.types';
import { PartyReadService } from './party-read.service';

export const PARTY_STREAM = 'party';
export const partyStream = (partyId: string) => `party-${partyId}`;

/** Registration data a command needs besides the decider (hashed outside the transaction). */
interface NewUser {
  userId: string;
  input: NewUserInput;
  passwordHash: string;
}

/** 单位 — parties, their sites, facilities, users, agents and devices; every change through the ledger. */
@Injectable()
export class PartiesService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly divisions: DivisionsService,
    private readonly read: PartyReadService,
  ) {}

  /** Self-registration (public) or registration by a regulator within its jurisdiction. */
  async register(input: RegisterPartyInput, who: Principal, by: 'SELF' | 'REGULATOR'): Promise<string> {
    if (by === 'SELF' && !input.admin)
      throw DomainError.badInput('input.admin', 'admin: a self-registered party names its first ADMIN user');
    const sites = input.sites.map((s, i) => this.site(s, `input.sites.${i}`));
    if (
      by === 'REGULATOR' &&
      isRegulator(who) &&
      !sites.some((s) => jurisdictionMatches(s.divisionCode, who.agency.jurisdiction))
    ) {
      throw new DomainError('FORBIDDEN', 'none of the sites lies in your jurisdiction');
    }
    const facilities = input.sites.flatMap((s, i) =>
      s.facilities.map((f) => this.facility(f, sites[i].siteId)),
    );
    const admin = input.admin ? await this.newUser(input.admin) : null;
    const partyId = uuidv7();
    const contacts = input.contacts.map((c) => ({ contactId: uuidv7(), ...c }));
    const actor =
      by === 'SELF' && admin
        ? { kind: 'USER' as const, userId: admin.userId, partyId }
        : (who as Extract<Principal, { kind: 'USER' }>).actor;
    const result = await this.ledger.execute(
      {
        act: by === 'SELF' ? 'registerParty' : 'registerPartyAsRegulator',
        actor,
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: by === 'SELF' ? `self-registration:${input.uscc.trim().toUpperCase()}` : undefined,
        request: { ...input, admin: input.admin ? { ...input.admin, password: undefined } : null },
      },
      async (tx) => {
        await this.assertUsccFree(tx, input.uscc);
        if (admin) await this.insertAccount(tx, admin, 'input.admin.username');
        await this.insertContacts(tx, partyId, contacts);
        await decideOn(tx, partyStream(partyId), PARTY_STREAM, partyDecider, () =>
          this.cmd(tx, 'RegisterParty', {
            partyId,
            uscc: input.uscc,
            name: input.name.trim(),
            types: input.types,
            bedCount: input.bedCount ?? null,
            registeredBy: by,
            contactIds: contacts.map((c) => c.contactId),
            sites,
            facilities,
            adminUserId: admin?.userId ?? null,
          }),
        );
        return { partyId };
      },
    );
    return result.partyId;
  }

  async verify(partyId: string, idempotencyKey: string, who: Principal): Promise<void> {
    if (!isRegulator(who)) throw new DomainError('FORBIDDEN', 'only a regulator verifies parties');
    const sites = await this.read.siteDivisions(partyId);
    if (!sites.some((d) => jurisdictionMatches(d, who.agency.jurisdiction))) throw notFound('party');
    await this.onParty(who, 'verifyParty', idempotencyKey, partyId, { partyId }, (tx) =>
      this.cmd(tx, 'VerifyParty', { agencyId: who.agency.agencyId }),
    );
  }

  async addSite(who: Principal, idempotencyKey: string, input: SiteInput): Promise<string> {
    const partyId = ownParty(who);
    const site = this.site(input, 'input.site');
    const facilities = input.facilities.map((f) => this.facility(f, site.siteId));
    const r = await this.onParty(
      who,
      'addSite',
      idempotencyKey,
      partyId,
      input,
      (tx) => this.cmd(tx, 'AddSite', { site, facilities }),
      {
        siteId: site.siteId,
      },
    );
    return r.siteId;
  }

  async addFacility(
    who: Principal,
    idempotencyKey: string,
    siteId: string,
    input: FacilityInput,
  ): Promise<string> {
    const partyId = ownParty(who);
    const facility = this.facility(input, siteId);
    const r = await this.onParty(
      who,
      'addFacility',
      idempotencyKey,
      partyId,
      { siteId, input },
      (tx) => this.cmd(tx, 'AddFacility', { facility }),
      {
        facilityId: facility.facilityId,
      },
    );
    return r.facilityId;
  }

  async relocateFacility(
    who: Principal,
    idempotencyKey: string,
    facilityId: string,
    siteId: string,
  ): Promise<void> {
    const partyId = ownParty(who);
    await this.onParty(who, 'relocateFacility', idempotencyKey, partyId, { facilityId, siteId }, (tx) =>
      this.cmd(tx, 'RelocateFacility', { facilityId, siteId }),
    );
  }

  async createUser(
    who: Principal,
    idempotencyKey: string,
    user: NewUserInput,
    role: PartyRole,
  ): Promise<string> {
    const partyId = ownParty(who);
    const account = await this.newUser(user);
    const result = await this.onParty(
      who,
      'createUser',
      idempotencyKey,
      partyId,
      { ...user, password: undefined, role },
      async (tx) => {
        await this.insertAccount(tx, account, 'input.user.username');
        return this.cmd(tx, 'AddUser', { userId: account.userId, role });
      },
      { userId: account.userId },
    );
    return result.userId;
  }

  async changeUser(
    who: Principal,
    idempotencyKey: string,
    userId: string,
    role: PartyRole | null,
  ): Promise<void> {
    const partyId = ownParty(who);
    await this.onParty(
      who,
      role ? 'changeUserRole' : 'revokeUser',
      idempotencyKey,
      partyId,
      { userId, role },
      (tx) =>
        role ? this.cmd(tx, 'ChangeUserRole', { userId, role }) : this.cmd(tx, 'RevokeUser', { userId }),
    );
  }

  async grantDelegation(who: Principal, input: GrantDelegationInput): Promise<string> {
    const partyId = ownParty(who);
    const agent = await this.read.partyRow(input.agentPartyId);
    if (!agent) throw DomainError.badInput('input.agentPartyId', 'agentPartyId: no such party');
    if (agent.status !== 'VERIFIED')
      throw new DomainError('PARTY_NOT_VERIFIED', 'the agent has not been verified by a regulator', {
        field: 'input.agentPartyId',
      });
    const delegationId = uuidv7();
    const { idempotencyKey, ...data } = input;
    const r = await this.onParty(
      who,
      'grantDelegation',
      idempotencyKey,
      partyId,
      data,
      (tx) => this.cmd(tx, 'GrantDelegation', { delegationId, ...data }),
      {
        delegationId,
      },
    );
    return r.delegationId;
  }

  async revokeDelegation(who: Principal, idempotencyKey: string, delegationId: string): Promise<void> {
    const partyId = ownParty(who);
    await this.onParty(who, 'revokeDelegation', idempotencyKey, partyId, { delegationId }, (tx) =>
      this.cmd(tx, 'RevokeDelegation', { delegationId }),
    );
  }

  async registerDevice(
    who: Principal,
    input: RegisterDeviceInput,
    keyHash: Buffer,
    deviceId: string,
  ): Promise<string> {
    const partyId = ownParty(who);
    const { idempotencyKey, ...data } = input;
    const r = await this.onParty(
      who,
      'registerDevice',
      idempotencyKey,
      partyId,
      data,
      async (tx) => {
        await tx.sql.exec(
          `INSERT INTO device_credential (device_id, key_hash, created_at) VALUES ($1, $2, $3)`,
          [deviceId, keyHash, tx.now],
        );
        return this.cmd(tx, 'RegisterDevice', { deviceId, ...data });
      },
      { deviceId },
    );
    return r.deviceId;
  }

  async revokeDevice(who: Principal, idempotencyKey: string, deviceId: string): Promise<void> {
    const partyId = ownParty(who);
    await this.onParty(who, 'revokeDevice', idempotencyKey, partyId, { deviceId }, (tx) =>
      this.cmd(tx, 'RevokeDevice', { deviceId }),
    );
  }

  async overrideManagementClass(
    who: Principal,
    input: { idempotencyKey: string; siteId: string; year: number; managementClass: string; reason: string },
  ): Promise<void> {
    if (!isRegulator(who))
      throw new DomainError('FORBIDDEN', 'only a regulator overrides a management class');
    const site = await this.read.siteRow(input.siteId);
    if (!site || !jurisdictionMatches(site.division_code, who.agency.jurisdiction)) throw notFound('site');
    const { idempotencyKey, ...data } = input;
    await this.onParty(who, 'overrideManagementClass', idempotencyKey, site.party_id, data, (tx) =>
      this.cmd(tx, 'OverrideManagementClass', { ...data, agencyId: who.agency.agencyId }),
    );
  }

  /** Runs one decider command on a party's stream (the party must be visible to the caller). */
  private async onParty(
    who: Principal,
    act: string,
    idempotencyKey: string,
    partyId: string,
    request: unknown,
    build: (tx: LedgerTransaction) => PartyCommand | Promise<PartyCommand>,
    result: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    if (who.kind === 'ANONYMOUS') throw new DomainError('UNAUTHENTICATED', 'sign in first');
    if (!isSystemAdmin(who) && !isRegulator(who) && partyOf(who) !== partyId) throw notFound('party');
    return this.ledger.execute(
      { act, actor: who.actor, idempotencyKey, request: { partyId, request } },
      async (tx) => {
        const command = await build(tx);
        await decideOn(tx, partyStream(partyId), PARTY_STREAM, partyDecider, () => command);
        return result; // stored with the idempotency key: a replay returns the ids of the first run
      },
    );
  }

  private cmd<T extends PartyCommand['type']>(
    tx: LedgerTransaction,
    type: T,
    data: Extract<PartyCommand, { type: T }>['data'],
  ): PartyCommand {
    return { type, data, meta: tx.meta() } as PartyCommand;
  }

  private site(s: SiteInput, field: string): SiteData {
    const d = this.divisions.resolve(s.divisionCode, `${field}.divisionCode`);
    if ((s.latitude === undefined) !== (s.longitude === undefined)) {
      throw DomainError.badInput(`${field}.latitude`, 'latitude and longitude come together');
    }
    if (s.latitude !== undefined && Math.abs(Number(s.latitude)) > 90)
      throw DomainError.badInput(`${field}.latitude`, 'latitude: −90..90');
    if (s.longitude !== undefined && Math.abs(Number(s.longitude)) > 180)
      throw DomainError.badInput(`${field}.longitude`, 'longitude: −180..180');
    return {
      siteId: uuidv7(),
      name: s.name.trim(),
      divisionCode: d.code,
      provinceCode: d.provinceCode,
      cityCode: d.cityCode,
      address: s.address.trim(),
      latitude: s.latitude ?? null,
      longitude: s.longitude ?? null,
      geofenceRadiusM: s.geofenceRadiusM ?? null,
      expectedAnnualGrams: s.expectedAnnualAmount ?? null,
      ownTreatment: s.ownTreatment ?? false,
    };
  }

  private facility(f: FacilityInput, siteId: string): FacilityData {
    const maxStock = f.maxStock ?? (f.type === 'STORAGE_SPOT' ? 3_000_000 : null);
    return {
      facilityId: uuidv7(),
      siteId,
      type: f.type,
      name: f.name.trim(),
      capacityGrams: f.capacity ?? null,
      maxStockGrams: maxStock,
    };
  }

  private async newUser(input: NewUserInput): Promise<NewUser> {
    return { userId: uuidv7(), input, passwordHash: await hashPassword(input.password) };
  }

  private async insertAccount(tx: LedgerTransaction, u: NewUser, field: string): Promise<void> {
    try {
      await tx.sql.exec(
        `INSERT INTO user_account (user_id, username, display_name, phone, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [u.userId, u.input.username, u.input.displayName, u.input.phone ?? null, u.passwordHash, tx.now],
      );
    } catch (e) {
      if (sqlState(e) === '23505' && sqlConstraint(e) === 'user_account_username_key') {
        throw DomainError.badInput(field, `username ${u.input.username} is taken`);
      }
      throw e;
    }
  }

  private async insertContacts(
    tx: LedgerTransaction,
    partyId: string,
    contacts: (ContactInput & { contactId: string })[],
  ): Promise<void> {
    for (const c of contacts) {
      await tx.sql.exec(
        `INSERT INTO party_contact (contact_id, party_id, name, phone, email, role) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.contactId, partyId, c.name, c.phone ?? null, c.email ?? null, c.role ?? null],
      );
    }
  }

  private async assertUsccFree(tx: LedgerTransaction, uscc: string): Promise<void> {
    const taken = await tx.sql.one(`SELECT 1 FROM party WHERE uscc = $1`, [uscc.trim().toUpperCase()]);
    if (taken) throw DomainError.badInput('input.uscc', 'a party with this USCC is already registered');
  }

  /** Read access to one party, scoped. */
  async visibleParty(who: Principal, partyId: string) {
    const party = await this.read.party(partyId);
    if (!party) throw notFound('party');
    const divisions = party.sites.map((s) => s.divisionCode);
    const directory =
      party.status === 'VERIFIED' && who.kind !== 'ANONYMOUS' && this.read.isOperator(party.types);
    if (!canSee(who, { partyIds: [partyId], divisionCodes: divisions }) && !directory)
      throw notFound('party');
    return party;
  }
}
