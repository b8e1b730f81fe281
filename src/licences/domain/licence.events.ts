import type { BusinessDate } from '../../parties/domain/business-date';
import type { LicenceKind, LicenceMode } from '../../parties/domain/licence';
import type { Ev } from '../../shared/domain/decider';
import type { LicenceItemData } from './scope.policy';

/**
 * Events of a licence's stream (`licence-<id>`): 许可证 issued, amended, suspended (暂扣),
 * reinstated and revoked (吊销) by an environment agency. Status changes carry the first day
 * they take effect (Asia/Shanghai). Capacities are decimal strings of tonnes.
 */
export type LicenceEvent =
  | Ev<
      'LicenceIssued',
      {
        licenceId: string;
        number: string;
        holderPartyId: string;
        kind: LicenceKind;
        validFrom: BusinessDate;
        validTo: BusinessDate;
        facilitySiteIds: string[];
        items: LicenceItemData[];
        agencyId: string;
      }
    >
  | Ev<
      'LicenceAmended',
      {
        licenceId: string;
        validFrom: BusinessDate;
        validTo: BusinessDate;
        facilitySiteIds: string[];
        /** The whole new item list; an item that keeps its id keeps its capacity counters. */
        items: LicenceItemData[];
        reason: string;
        agencyId: string;
      }
    >
  | Ev<'LicenceSuspended', { licenceId: string; from: BusinessDate; reason: string; agencyId: string }>
  | Ev<'LicenceReinstated', { licenceId: string; from: BusinessDate; reason: string; agencyId: string }>
  | Ev<'LicenceRevoked', { licenceId: string; from: BusinessDate; reason: string; agencyId: string }>;

export const LICENCE_EVENT_TYPES: readonly LicenceEvent['type'][] = [
  'LicenceIssued',
  'LicenceAmended',
  'LicenceSuspended',
  'LicenceReinstated',
  'LicenceRevoked',
];

export type CrewRole = 'DRIVER' | 'ESCORT';
export const CREW_ROLES: readonly CrewRole[] = ['DRIVER', 'ESCORT'];

/**
 * Events of a carrier's stream (`carrier-<partyId>`): transport permits (道路危险货物运输许可),
 * vehicles with their 道路运输证, and crew (drivers, escorts 押运员) registered by the carrier's
 * ADMIN and verified by a regulator. Crew names, phones and certificate numbers (often the
 * identity-card number) are personal data kept outside the ledger, referenced by `personId`.
 */
export type CarrierEvent =
  | Ev<
      'TransportPermitRegistered',
      {
        partyId: string;
        permitId: string;
        number: string;
        scope: string | null;
        validFrom: BusinessDate | null;
        validTo: BusinessDate;
      }
    >
  | Ev<'TransportPermitVerified', { partyId: string; permitId: string; agencyId: string }>
  | Ev<
      'VehicleRegistered',
      {
        partyId: string;
        vehicleId: string;
        permitId: string;
        plate: string;
        certificateNumber: string;
        certificateValidTo: BusinessDate;
        medicalWasteVehicle: boolean;
        gpsDeviceId: string | null;
      }
    >
  | Ev<'VehicleVerified', { partyId: string; vehicleId: string; agencyId: string }>
  | Ev<
      'CrewMemberRegistered',
      { partyId: string; personId: string; role: CrewRole; certificateValidTo: BusinessDate }
    >;

export const CARRIER_EVENT_TYPES: readonly CarrierEvent['type'][] = [
  'TransportPermitRegistered',
  'TransportPermitVerified',
  'VehicleRegistered',
  'VehicleVerified',
  'CrewMemberRegistered',
];

/** Events of an epidemic's stream (`epidemic-<id>`): 重大传染病疫情 declared for a region, and ended. */
export type EpidemicEvent =
  | Ev<
      'EpidemicDeclared',
      {
        epidemicId: string;
        name: string;
        /** Division-code prefix of the region (`41`, `4101`, `410102`). */
        regionPrefix: string;
        from: BusinessDate;
        /** Last day, or null while open-ended. */
        to: BusinessDate | null;
        agencyId: string;
      }
    >
  | Ev<'EpidemicEnded', { epidemicId: string; to: BusinessDate; agencyId: string }>;

export const EPIDEMIC_EVENT_TYPES: readonly EpidemicEvent['type'][] = ['EpidemicDeclared', 'EpidemicEnded'];

/** Events of an emergency authorisation's stream (`emergency-authorisation-<id>`), 应急处置. */
export type EmergencyAuthorisationEvent =
  | Ev<
      'EmergencyAuthorisationGranted',
      {
        authorisationId: string;
        holderPartyId: string;
        scope: string[];
        modes: LicenceMode[];
        capacityTonnes: string;
        regionPrefixes: string[];
        validFrom: BusinessDate;
        validTo: BusinessDate;
        facilitySiteIds: string[] | null;
        epidemicId: string | null;
        agencyId: string;
      }
    >
  | Ev<
      'EmergencyAuthorisationRevoked',
      { authorisationId: string; from: BusinessDate; reason: string; agencyId: string }
    >;

export const EMERGENCY_AUTHORISATION_EVENT_TYPES: readonly EmergencyAuthorisationEvent['type'][] = [
  'EmergencyAuthorisationGranted',
  'EmergencyAuthorisationRevoked',
];

/** Events of a cross-province approval's stream (`cross-province-approval-<id>`), 跨省转移审批. */
export type CrossProvinceApprovalEvent =
  | Ev<
      'CrossProvinceApprovalIssued',
      {
        approvalId: string;
        number: string;
        consignorPartyId: string;
        consignorSiteId: string;
        /** 移出地 — division code of the consignor's site. */
        consignorDivisionCode: string;
        receiverPartyId: string;
        receiverSiteId: string;
        /** 接受地 — division code of the receiver's site. */
        receiverDivisionCode: string;
        wasteCodes: string[];
        approvedGrams: number;
        validFrom: BusinessDate;
        /** min(requested, validFrom + 12 months − 1 day, the receiver's licence expiry). */
        validTo: BusinessDate;
        agencyId: string;
      }
    >
  | Ev<
      'CrossProvinceApprovalRevoked',
      { approvalId: string; from: BusinessDate; reason: string; agencyId: string }
    >;

export const CROSS_PROVINCE_APPROVAL_EVENT_TYPES: readonly CrossProvinceApprovalEvent['type'][] = [
  'CrossProvinceApprovalIssued',
  'CrossProvinceApprovalRevoked',
];

/** Stream types and ids of the capability. */
export const LICENCE_STREAM = 'licence';
export const CARRIER_STREAM = 'carrier';
export const EPIDEMIC_STREAM = 'epidemic';
export const EMERGENCY_AUTHORISATION_STREAM = 'emergency-authorisation';
export const CROSS_PROVINCE_APPROVAL_STREAM = 'cross-province-approval';
export const licenceStream = (id: string) => `licence-${id}`;
export const carrierStream = (partyId: string) => `carrier-${partyId}`;
export const epidemicStream = (id: string) => `epidemic-${id}`;
export const emergencyAuthorisationStream = (id: string) => `emergency-authorisation-${id}`;
export const crossProvinceApprovalStream = (id: string) => `cross-province-approval-${id}`;
