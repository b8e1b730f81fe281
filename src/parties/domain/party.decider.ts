import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError } from '../../shared/domain/domain-error';
import { MANAGEMENT_CLASSES } from './management-class';
import {
  type DelegationScope,
  type DeviceKind,
  type FacilityData,
  type PartyEvent,
  type PartyRole,
  type PartyType,
  type SiteData,
} from './party.events';
import { validateUscc } from './uscc';

export type PartyState =
  | { status: 'NONE' }
  | {
      status: 'PENDING' | 'VERIFIED';
      partyId: string;
      types: PartyType[];
      sites: string[];
      facilities: Record<string, string>;
      users: Record<string, { role: PartyRole; active: boolean }>;
      delegations: Record<string, { agentPartyId: string; active: boolean }>;
      devices: Record<string, boolean>;
    };

type Existing = Exclude<PartyState, { status: 'NONE' }>;

export type PartyCommand =
  | Cmd<
      'RegisterParty',
      {
        partyId: string;
        uscc: string;
        name: string;
        types: PartyType[];
        bedCount: number | null;
        registeredBy: 'SELF' | 'REGULATOR';
        contactIds: string[];
        sites: SiteData[];
        facilities: FacilityData[];
        adminUserId: string | null;
      }
    >
  | Cmd<'VerifyParty', { agencyId: string }>
  | Cmd<'AddSite', { site: SiteData; facilities: FacilityData[] }>
  | Cmd<'AddFacility', { facility: FacilityData }>
  | Cmd<'RelocateFacility', { facilityId: string; siteId: string }>
  | Cmd<'AddUser', { userId: string; role: PartyRole }>
  | Cmd<'ChangeUserRole', { userId: string; role: PartyRole }>
  | Cmd<'RevokeUser', { userId: string }>
  | Cmd<
      'GrantDelegation',
      {
        delegationId: string;
        agentPartyId: string;
        scope: DelegationScope[];
        validFrom: string;
        validTo: string;
      }
    >
  | Cmd<'RevokeDelegation', { delegationId: string }>
  | Cmd<'RegisterDevice', { deviceId: string; kind: DeviceKind; label: string; operations: string[] }>
  | Cmd<'RevokeDevice', { deviceId: string }>
  | Cmd<
      'OverrideManagementClass',
      { siteId: string; year: number; managementClass: string; reason: string; agencyId: string }
    >;

const existing = (s: PartyState): Existing => {
  if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'party not found');
  return s;
};

const siteFacilities = (sites: readonly string[], facilities: readonly FacilityData[]) => {
  for (const [i, f] of facilities.entries()) {
    if (!sites.includes(f.siteId))
      throw DomainError.badInput(`facilities.${i}.siteId`, `facility ${f.name} names an unknown site`);
  }
};

function decideRegister(c: Extract<PartyCommand, { type: 'RegisterParty' }>, s: PartyState): PartyEvent[] {
  if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'party already registered');
  const d = c.data;
  const uscc = validateUscc(d.uscc, 'uscc');
  if (d.types.length === 0) throw DomainError.badInput('types', 'types: at least one party type');
  if (
    d.types.includes('MEDICAL_INSTITUTION') &&
    (d.bedCount === null || !Number.isInteger(d.bedCount) || d.bedCount < 0)
  ) {
    throw DomainError.badInput('bedCount', 'bedCount: a medical institution declares its number of beds');
  }
  if (d.sites.length === 0) throw DomainError.badInput('sites', 'sites: at least one site');
  siteFacilities(
    d.sites.map((x) => x.siteId),
    d.facilities,
  );
  const partyId = d.partyId;
  return [
    {
      type: 'PartyRegistered',
      data: {
        partyId,
        uscc,
        name: d.name,
        types: d.types,
        bedCount: d.bedCount,
        registeredBy: d.registeredBy,
        contactIds: d.contactIds,
      },
    },
    ...d.sites.map((site): PartyEvent => ({ type: 'SiteAdded', data: { ...site, partyId } })),
    ...d.facilities.map((f): PartyEvent => ({ type: 'FacilityAdded', data: { ...f, partyId } })),
    ...(d.adminUserId
      ? [{ type: 'UserAdded' as const, data: { partyId, userId: d.adminUserId, role: 'ADMIN' as const } }]
      : []),
  ];
}

function decide(c: PartyCommand, s: PartyState): PartyEvent[] {
  if (c.type === 'RegisterParty') return decideRegister(c, s);
  const p = existing(s);
  const partyId = p.partyId;
  switch (c.type) {
    case 'VerifyParty':
      if (p.status === 'VERIFIED')
        throw new DomainError('INVALID_TRANSITION', 'party already verified', { currentState: p.status });
      return [{ type: 'PartyVerified', data: { partyId, agencyId: c.data.agencyId } }];
    case 'AddSite':
      if (p.sites.includes(c.data.site.siteId)) throw new DomainError('CONFLICT', 'site already exists');
      siteFacilities([c.data.site.siteId], c.data.facilities);
      return [
        { type: 'SiteAdded', data: { ...c.data.site, partyId } },
        ...c.data.facilities.map((f): PartyEvent => ({ type: 'FacilityAdded', data: { ...f, partyId } })),
      ];
    case 'AddFacility':
      siteFacilities(p.sites, [c.data.facility]);
      return [{ type: 'FacilityAdded', data: { ...c.data.facility, partyId } }];
    case 'RelocateFacility':
      if (!(c.data.facilityId in p.facilities)) throw new DomainError('NOT_FOUND', 'facility not found');
      if (!p.sites.includes(c.data.siteId))
        throw DomainError.badInput('siteId', 'siteId: not a site of this party');
      return [{ type: 'FacilityRelocated', data: { partyId, ...c.data } }];
    case 'AddUser':
      if (c.data.userId in p.users) throw new DomainError('CONFLICT', 'user already exists');
      return [{ type: 'UserAdded', data: { partyId, ...c.data } }];
    case 'ChangeUserRole':
    case 'RevokeUser': {
      const u = p.users[c.data.userId];
      if (!u?.active) throw new DomainError('NOT_FOUND', 'user not found');
      const admins = Object.entries(p.users).filter(([, x]) => x.active && x.role === 'ADMIN');
      const removesLastAdmin =
        u.role === 'ADMIN' && admins.length === 1 && (c.type === 'RevokeUser' || c.data.role !== 'ADMIN');
      if (removesLastAdmin)
        throw DomainError.badInput('userId', 'userId: a party keeps at least one active ADMIN');
      return c.type === 'RevokeUser'
        ? [{ type: 'UserRevoked', data: { partyId, userId: c.data.userId } }]
        : [{ type: 'UserRoleChanged', data: { partyId, userId: c.data.userId, role: c.data.role } }];
    }
    case 'GrantDelegation':
      if (c.data.agentPartyId === partyId)
        throw DomainError.badInput('agentPartyId', 'agentPartyId: a party cannot delegate to itself');
      if (c.data.validTo < c.data.validFrom)
        throw DomainError.badInput('validTo', 'validTo: before validFrom');
      if (c.data.scope.length === 0) throw DomainError.badInput('scope', 'scope: at least one');
      return [{ type: 'DelegationGranted', data: { partyId, ...c.data } }];
    case 'RevokeDelegation':
      if (!p.delegations[c.data.delegationId]?.active)
        throw new DomainError('NOT_FOUND', 'delegation not found');
      return [{ type: 'DelegationRevoked', data: { partyId, delegationId: c.data.delegationId } }];
    case 'RegisterDevice':
      if (c.data.deviceId in p.devices) throw new DomainError('CONFLICT', 'device already exists');
      if (c.data.operations.length === 0)
        throw DomainError.badInput('operations', 'operations: at least one');
      return [{ type: 'DeviceRegistered', data: { partyId, ...c.data } }];
    case 'RevokeDevice':
      if (!p.devices[c.data.deviceId]) throw new DomainError('NOT_FOUND', 'device not found');
      return [{ type: 'DeviceRevoked', data: { partyId, deviceId: c.data.deviceId } }];
    case 'OverrideManagementClass':
      if (!p.sites.includes(c.data.siteId))
        throw DomainError.badInput('siteId', 'siteId: not a site of this party');
      if (!(MANAGEMENT_CLASSES as readonly string[]).includes(c.data.managementClass)) {
        throw DomainError.badInput('managementClass', 'managementClass: KEY, SIMPLIFIED or REGISTRATION');
      }
      if (!c.data.reason.trim())
        throw DomainError.badInput('reason', 'reason: an override states its reason');
      return [{ type: 'ManagementClassOverridden', data: { partyId, ...c.data } }];
  }
}

function evolve(s: PartyState, e: PartyEvent): PartyState {
  if (e.type === 'PartyRegistered') {
    return {
      status: 'PENDING',
      partyId: e.data.partyId,
      types: e.data.types,
      sites: [],
      facilities: {},
      users: {},
      delegations: {},
      devices: {},
    };
  }
  if (s.status === 'NONE') throw new Error(`event ${e.type} before PartyRegistered`);
  switch (e.type) {
    case 'PartyVerified':
      return { ...s, status: 'VERIFIED' };
    case 'SiteAdded':
      return { ...s, sites: [...s.sites, e.data.siteId] };
    case 'FacilityAdded':
    case 'FacilityRelocated':
      return { ...s, facilities: { ...s.facilities, [e.data.facilityId]: e.data.siteId } };
    case 'UserAdded':
    case 'UserRoleChanged':
      return { ...s, users: { ...s.users, [e.data.userId]: { role: e.data.role, active: true } } };
    case 'UserRevoked':
      return { ...s, users: { ...s.users, [e.data.userId]: { ...s.users[e.data.userId], active: false } } };
    case 'DelegationGranted':
      return {
        ...s,
        delegations: {
          ...s.delegations,
          [e.data.delegationId]: { agentPartyId: e.data.agentPartyId, active: true },
        },
      };
    case 'DelegationRevoked':
      return {
        ...s,
        delegations: {
          ...s.delegations,
          [e.data.delegationId]: { ...s.delegations[e.data.delegationId], active: false },
        },
      };
    case 'DeviceRegistered':
      return { ...s, devices: { ...s.devices, [e.data.deviceId]: true } };
    case 'DeviceRevoked':
      return { ...s, devices: { ...s.devices, [e.data.deviceId]: false } };
    case 'ManagementClassOverridden':
      return s;
  }
}

/** 单位 — the party aggregate: registration, verification, sites, facilities, users, agents, devices. */
export const partyDecider: Decider<PartyState, PartyCommand, PartyEvent> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
