import type { Ev } from '../../shared/domain/decider';

/** 单位类型 — what a party is; a party may be several (a collector that also stores). */
export const PARTY_TYPES = [
  'PRODUCER',
  'MEDICAL_INSTITUTION',
  'COLLECTOR',
  'STORAGE',
  'UTILISER',
  'DISPOSER',
  'TRANSPORTER',
] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

/** 设施类型 — facility types of a site (SPEC section 2). */
export const FACILITY_TYPES = [
  'PRODUCTION',
  'STORAGE_WAREHOUSE',
  'STORAGE_YARD',
  'TANK',
  'STORAGE_SPOT',
  'MEDICAL_TEMP_STORAGE',
  'COLLECTION_POINT',
  'OWN_TREATMENT',
  'MOBILE_DISPOSAL_UNIT',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const PARTY_ROLES = ['ADMIN', 'OPERATOR', 'DRIVER', 'VIEWER'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const DELEGATION_SCOPES = ['PLANS', 'DECLARATIONS', 'MANIFESTS'] as const;
export type DelegationScope = (typeof DELEGATION_SCOPES)[number];

export const DEVICE_KINDS = ['SCANNER', 'GPS', 'WEIGHBRIDGE'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface SiteData {
  siteId: string;
  name: string;
  divisionCode: string;
  provinceCode: string;
  cityCode: string | null;
  address: string;
  /** Decimal degrees as strings (never floats in the ledger). */
  latitude: string | null;
  longitude: string | null;
  geofenceRadiusM: number | null;
  /** Declared expected annual amount (from the EIA or discharge permit), grams. */
  expectedAnnualGrams: number | null;
  ownTreatment: boolean;
}

export interface FacilityData {
  facilityId: string;
  siteId: string;
  type: FacilityType;
  name: string;
  capacityGrams: number | null;
  maxStockGrams: number | null;
}

/** Events of a party's stream (`party-<id>`). Personal data (names, phones) is referenced by id only. */
export type PartyEvent =
  | Ev<
      'PartyRegistered',
      {
        partyId: string;
        uscc: string;
        name: string;
        types: PartyType[];
        bedCount: number | null;
        registeredBy: 'SELF' | 'REGULATOR';
        contactIds: string[];
      }
    >
  | Ev<'PartyVerified', { partyId: string; agencyId: string }>
  | Ev<'SiteAdded', SiteData & { partyId: string }>
  | Ev<'FacilityAdded', FacilityData & { partyId: string }>
  | Ev<'FacilityRelocated', { partyId: string; facilityId: string; siteId: string }>
  | Ev<'UserAdded', { partyId: string; userId: string; role: PartyRole }>
  | Ev<'UserRoleChanged', { partyId: string; userId: string; role: PartyRole }>
  | Ev<'UserRevoked', { partyId: string; userId: string }>
  | Ev<
      'DelegationGranted',
      {
        partyId: string;
        delegationId: string;
        agentPartyId: string;
        scope: DelegationScope[];
        validFrom: string;
        validTo: string;
      }
    >
  | Ev<'DelegationRevoked', { partyId: string; delegationId: string }>
  | Ev<
      'DeviceRegistered',
      { partyId: string; deviceId: string; kind: DeviceKind; label: string; operations: string[] }
    >
  | Ev<'DeviceRevoked', { partyId: string; deviceId: string }>
  | Ev<
      'ManagementClassOverridden',
      {
        partyId: string;
        siteId: string;
        year: number;
        managementClass: string;
        reason: string;
        agencyId: string;
      }
    >;

export const PARTY_EVENT_TYPES: readonly PartyEvent['type'][] = [
  'PartyRegistered',
  'PartyVerified',
  'SiteAdded',
  'FacilityAdded',
  'FacilityRelocated',
  'UserAdded',
  'UserRoleChanged',
  'UserRevoked',
  'DelegationGranted',
  'DelegationRevoked',
  'DeviceRegistered',
  'DeviceRevoked',
  'ManagementClassOverridden',
];

/** 监管部门 — a regulator agency or an inspection body, and its users (`agency-<id>`). */
export const AGENCY_KINDS = ['ENVIRONMENT', 'TRANSPORT', 'POLICE'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AGENCY_LEVELS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
export type AgencyLevel = (typeof AGENCY_LEVELS)[number];

export type AgencyEvent =
  | Ev<
      'AgencyRegistered',
      {
        agencyId: string;
        name: string;
        kind: AgencyKind;
        level: AgencyLevel;
        divisionCode: string;
        jurisdiction: string[];
      }
    >
  | Ev<'AgencyUserAdded', { agencyId: string; userId: string; role: 'REGULATOR' | 'INSPECTOR' }>
  | Ev<'AgencyUserRevoked', { agencyId: string; userId: string }>;

export const AGENCY_EVENT_TYPES: readonly AgencyEvent['type'][] = [
  'AgencyRegistered',
  'AgencyUserAdded',
  'AgencyUserRevoked',
];
