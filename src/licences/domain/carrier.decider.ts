import { assertBusinessDate, type BusinessDate } from '../../parties/domain/business-date';
import type { PartyType } from '../../parties/domain/party.events';
import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError, assertNever } from '../../shared/domain/domain-error';
import { type AgencyFacts, assertEnvironmentAgency, todayOf } from './authority.policy';
import { type CarrierEvent, CREW_ROLES, type CrewRole } from './licence.events';

/** A carrier's transport documents as its stream knows them. */
export interface CarrierState {
  readonly partyId: string | null;
  readonly permits: Readonly<Record<string, { number: string; verified: boolean }>>;
  readonly vehicles: Readonly<Record<string, { plate: string; permitId: string; verified: boolean }>>;
  readonly crew: Readonly<Record<string, CrewRole>>;
}

/**
 * Plates: a province character, a letter, then 5 (fuel) or 6 (new energy) letters and digits, or
 * 4 and 挂 for a trailer (I and O are never used).
 */
const PLATE = /^[\u4e00-\u9fa5][A-Z](?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}挂)$/;
const DOCUMENT_NUMBER = /^[\p{L}\p{N}\-()（）〔〕[\]第号字 ]{3,64}$/u;

export type CarrierCommand =
  | Cmd<
      'RegisterTransportPermit',
      {
        partyId: string;
        partyTypes: readonly PartyType[];
        permitId: string;
        number: string;
        scope: string | null;
        validFrom: string | null;
        validTo: string;
      }
    >
  | Cmd<'VerifyTransportPermit', { permitId: string; agency: AgencyFacts }>
  | Cmd<
      'RegisterVehicle',
      {
        partyId: string;
        vehicleId: string;
        permitId: string;
        plate: string;
        certificateNumber: string;
        certificateValidTo: string;
        medicalWasteVehicle: boolean;
        /** A GPS device of the carrier (checked by the service), or null. */
        gpsDeviceId: string | null;
      }
    >
  | Cmd<'VerifyVehicle', { vehicleId: string; agency: AgencyFacts }>
  | Cmd<
      'RegisterCrewMember',
      { partyId: string; personId: string; role: CrewRole; certificateValidTo: string }
    >;

function documentNumber(value: string, field: string): string {
  const n = value.trim();
  if (!DOCUMENT_NUMBER.test(n))
    throw DomainError.badInput(field, `${field}: 3 to 64 letters, digits and - ( ) 〔 〕 第 号 字`);
  return n;
}

function notExpiredYet(value: string, today: BusinessDate, field: string): BusinessDate {
  const d = assertBusinessDate(value, field);
  if (d < today) throw DomainError.badInput(field, `${field}: ${d} has already passed (today is ${today})`);
  return d;
}

function ownStream(s: CarrierState, partyId: string): void {
  if (s.partyId !== null && s.partyId !== partyId) throw new Error('carrier stream of another party');
}

function decide(c: CarrierCommand, s: CarrierState): CarrierEvent[] {
  const today = todayOf(c.meta.occurredAt);
  switch (c.type) {
    case 'RegisterTransportPermit': {
      const d = c.data;
      ownStream(s, d.partyId);
      if (!d.partyTypes.includes('TRANSPORTER')) {
        throw new DomainError('FORBIDDEN', 'only a TRANSPORTER party registers transport permits');
      }
      const number = documentNumber(d.number, 'number');
      if (Object.values(s.permits).some((p) => p.number === number)) {
        throw DomainError.badInput('number', `number: permit ${number} is already registered`);
      }
      const validTo = notExpiredYet(d.validTo, today, 'validTo');
      const validFrom = d.validFrom === null ? null : assertBusinessDate(d.validFrom, 'validFrom');
      if (validFrom !== null && validFrom > validTo)
        throw DomainError.badInput('validTo', 'validTo: before validFrom');
      const scope = d.scope?.trim() || null;
      if (scope !== null && scope.length > 500)
        throw DomainError.badInput('scope', 'scope: at most 500 characters');
      return [
        {
          type: 'TransportPermitRegistered',
          data: { partyId: d.partyId, permitId: d.permitId, number, scope, validFrom, validTo },
        },
      ];
    }
    case 'VerifyTransportPermit': {
      assertEnvironmentAgency(c.data.agency, 'verify transport permits');
      const p = s.permits[c.data.permitId];
      if (!p || s.partyId === null) throw new DomainError('NOT_FOUND', 'transport permit not found');
      if (p.verified) {
        throw new DomainError('INVALID_TRANSITION', 'the permit is already verified', {
          currentState: 'VERIFIED',
          allowedFrom: ['REGISTERED'],
        });
      }
      return [
        {
          type: 'TransportPermitVerified',
          data: { partyId: s.partyId, permitId: c.data.permitId, agencyId: c.data.agency.agencyId },
        },
      ];
    }
    case 'RegisterVehicle': {
      const d = c.data;
      ownStream(s, d.partyId);
      if (!s.permits[d.permitId])
        throw DomainError.badInput('permitId', 'permitId: not a transport permit of your party');
      const plate = d.plate.trim().toUpperCase();
      if (!PLATE.test(plate))
        throw DomainError.badInput(
          'plate',
          `plate: not a Chinese plate number such as 豫A12345: ${JSON.stringify(d.plate)}`,
        );
      if (Object.values(s.vehicles).some((v) => v.plate === plate)) {
        throw DomainError.badInput('plate', `plate: ${plate} is already registered`);
      }
      return [
        {
          type: 'VehicleRegistered',
          data: {
            partyId: d.partyId,
            vehicleId: d.vehicleId,
            permitId: d.permitId,
            plate,
            certificateNumber: documentNumber(d.certificateNumber, 'certificateNumber'),
            certificateValidTo: notExpiredYet(d.certificateValidTo, today, 'certificateValidTo'),
            medicalWasteVehicle: d.medicalWasteVehicle,
            gpsDeviceId: d.gpsDeviceId,
          },
        },
      ];
    }
    case 'VerifyVehicle': {
      assertEnvironmentAgency(c.data.agency, 'verify vehicles');
      const v = s.vehicles[c.data.vehicleId];
      if (!v || s.partyId === null) throw new DomainError('NOT_FOUND', 'vehicle not found');
      if (v.verified) {
        throw new DomainError('INVALID_TRANSITION', 'the vehicle is already verified', {
          currentState: 'VERIFIED',
          allowedFrom: ['REGISTERED'],
        });
      }
      return [
        {
          type: 'VehicleVerified',
          data: { partyId: s.partyId, vehicleId: c.data.vehicleId, agencyId: c.data.agency.agencyId },
        },
      ];
    }
    case 'RegisterCrewMember': {
      const d = c.data;
      ownStream(s, d.partyId);
      if (!CREW_ROLES.includes(d.role)) throw DomainError.badInput('role', 'role: DRIVER or ESCORT');
      return [
        {
          type: 'CrewMemberRegistered',
          data: {
            partyId: d.partyId,
            personId: d.personId,
            role: d.role,
            certificateValidTo: notExpiredYet(d.certificateValidTo, today, 'certificateValidTo'),
          },
        },
      ];
    }
    default:
      return assertNever(c, 'carrier command');
  }
}

function evolve(s: CarrierState, e: CarrierEvent): CarrierState {
  const withParty = { ...s, partyId: e.data.partyId };
  switch (e.type) {
    case 'TransportPermitRegistered':
      return {
        ...withParty,
        permits: { ...s.permits, [e.data.permitId]: { number: e.data.number, verified: false } },
      };
    case 'TransportPermitVerified': {
      const p = s.permits[e.data.permitId];
      if (!p || p.verified)
        throw new Error(`TransportPermitVerified on ${p ? 'a verified' : 'an unknown'} permit`);
      return { ...s, permits: { ...s.permits, [e.data.permitId]: { ...p, verified: true } } };
    }
    case 'VehicleRegistered':
      if (!s.permits[e.data.permitId]) throw new Error('VehicleRegistered under an unknown permit');
      return {
        ...withParty,
        vehicles: {
          ...s.vehicles,
          [e.data.vehicleId]: { plate: e.data.plate, permitId: e.data.permitId, verified: false },
        },
      };
    case 'VehicleVerified': {
      const v = s.vehicles[e.data.vehicleId];
      if (!v || v.verified) throw new Error(`VehicleVerified on ${v ? 'a verified' : 'an unknown'} vehicle`);
      return { ...s, vehicles: { ...s.vehicles, [e.data.vehicleId]: { ...v, verified: true } } };
    }
    case 'CrewMemberRegistered':
      return { ...withParty, crew: { ...s.crew, [e.data.personId]: e.data.role } };
    default:
      return assertNever(e, 'carrier event');
  }
}

/** 承运人证件 — a carrier's transport permits, vehicles and crew, registered and verified. */
export const carrierDecider: Decider<CarrierState, CarrierCommand, CarrierEvent> = {
  initialState: () => ({ partyId: null, permits: {}, vehicles: {}, crew: {} }),
  decide,
  evolve,
};
