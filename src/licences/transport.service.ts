import { Injectable } from '@nestjs/common';
import { decideOn } from '../ledger/decide';
import type { LedgerTransaction } from '../ledger/ledger-transaction';
import { LedgerService } from '../ledger/ledger.service';
import { PartyReadService } from '../parties/party-read.service';
import { notFound, ownParty } from '../shared/auth/access-policy';
import type { Principal } from '../shared/auth/principal';
import { DomainError } from '../shared/domain/domain-error';
import { uuidv7 } from '../shared/ids';
import { type CarrierCommand, carrierDecider } from './domain/carrier.decider';
import { CARRIER_STREAM, carrierStream } from './domain/licence.events';
import type {
  RegisterCrewMemberInput,
  RegisterTransportPermitInput,
  RegisterVehicleInput,
} from './graphql/transport.inputs';
import { LicenceFactsService } from './licence-facts.service';
import { LicenceReadService } from './licence-read.service';
import { actorOf } from './licences.service';

/**
 * 道路危险货物运输许可 — a carrier's transport permits, vehicles (道路运输证) and crew, registered
 * by its ADMIN on the carrier's stream and verified by a regulator overseeing the carrier.
 */
@Injectable()
export class TransportService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly facts: LicenceFactsService,
    private readonly read: LicenceReadService,
    private readonly parties: PartyReadService,
  ) {}

  async registerPermit(who: Principal, input: RegisterTransportPermitInput): Promise<string> {
    const partyId = ownParty(who);
    const party = await this.facts.party(partyId);
    const permitId = uuidv7();
    const { idempotencyKey, ...request } = input;
    return this.onCarrier(who, 'registerTransportPermit', idempotencyKey, partyId, request, permitId, () => ({
      type: 'RegisterTransportPermit',
      data: {
        partyId,
        partyTypes: party.types,
        permitId,
        number: input.number,
        scope: input.scope ?? null,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo,
      },
    }));
  }

  async registerVehicle(who: Principal, input: RegisterVehicleInput): Promise<string> {
    const partyId = ownParty(who);
    if (input.gpsDeviceId) {
      const device = await this.parties.device(input.gpsDeviceId);
      if (!device || device.partyId !== partyId || device.kind !== 'GPS' || device.status !== 'ACTIVE') {
        throw DomainError.badInput(
          'input.gpsDeviceId',
          'gpsDeviceId: not an active GPS device of your party',
        );
      }
    }
    const vehicleId = uuidv7();
    const { idempotencyKey, ...request } = input;
    return this.onCarrier(who, 'registerVehicle', idempotencyKey, partyId, request, vehicleId, () => ({
      type: 'RegisterVehicle',
      data: {
        partyId,
        vehicleId,
        permitId: input.permitId,
        plate: input.plate,
        certificateNumber: input.certificateNumber,
        certificateValidTo: input.certificateValidTo,
        medicalWasteVehicle: input.medicalWasteVehicle,
        gpsDeviceId: input.gpsDeviceId ?? null,
      },
    }));
  }

  /** Registers a driver or escort; the name, phone and certificate number stay outside the ledger. */
  async registerCrewMember(who: Principal, input: RegisterCrewMemberInput): Promise<string> {
    const partyId = ownParty(who);
    const personId = uuidv7();
    const { idempotencyKey, ...request } = input;
    return this.onCarrier(
      who,
      'registerCrewMember',
      idempotencyKey,
      partyId,
      request,
      personId,
      async (tx) => {
        await tx.sql.exec(
          `INSERT INTO crew_member_personal (person_id, party_id, name, phone, certificate_number) VALUES ($1, $2, $3, $4, $5)`,
          [personId, partyId, input.name.trim(), input.phone ?? null, input.certificateNumber.trim()],
        );
        return {
          type: 'RegisterCrewMember',
          data: { partyId, personId, role: input.role, certificateValidTo: input.certificateValidTo },
        };
      },
    );
  }

  async verifyPermit(who: Principal, idempotencyKey: string, permitId: string): Promise<void> {
    const permit = await this.read.permit(permitId);
    if (!permit) throw notFound('transport permit');
    const agency = await this.overseeCarrier(who, permit.partyId, 'transport permit');
    await this.onCarrier(
      who,
      'verifyTransportPermit',
      idempotencyKey,
      permit.partyId,
      { permitId },
      permitId,
      () => ({
        type: 'VerifyTransportPermit',
        data: { permitId, agency },
      }),
    );
  }

  async verifyVehicle(who: Principal, idempotencyKey: string, vehicleId: string): Promise<void> {
    const vehicle = await this.read.vehicle(vehicleId);
    if (!vehicle) throw notFound('vehicle');
    const agency = await this.overseeCarrier(who, vehicle.partyId, 'vehicle');
    await this.onCarrier(
      who,
      'verifyVehicle',
      idempotencyKey,
      vehicle.partyId,
      { vehicleId },
      vehicleId,
      () => ({
        type: 'VerifyVehicle',
        data: { vehicleId, agency },
      }),
    );
  }

  /** A regulator overseeing one of the carrier's sites; NOT_FOUND otherwise. */
  private async overseeCarrier(who: Principal, partyId: string, what: string) {
    const party = await this.facts.party(partyId);
    return this.facts.assertOversees(
      who,
      party.sites.map((s) => s.divisionCode),
      what,
    );
  }

  private async onCarrier(
    who: Principal,
    act: string,
    idempotencyKey: string,
    partyId: string,
    request: unknown,
    id: string,
    build: (tx: LedgerTransaction) => Omit<CarrierCommand, 'meta'> | Promise<Omit<CarrierCommand, 'meta'>>,
  ): Promise<string> {
    const r = await this.ledger.execute(
      { act, actor: actorOf(who), idempotencyKey, request: { partyId, request } },
      async (tx) => {
        const command = { ...(await build(tx)), meta: tx.meta() } as CarrierCommand;
        await decideOn(tx, carrierStream(partyId), CARRIER_STREAM, carrierDecider, () => command);
        return { id };
      },
    );
    return r.id;
  }
}
