import type { Cmd, Decider } from '../../shared/domain/decider';
import { DomainError } from '../../shared/domain/domain-error';
import { normaliseJurisdictionPrefix } from './divisions';
import {
  AGENCY_KINDS,
  AGENCY_LEVELS,
  type AgencyEvent,
  type AgencyKind,
  type AgencyLevel,
} from './party.events';

export type AgencyState =
  | { status: 'NONE' }
  | { status: 'ACTIVE'; agencyId: string; kind: AgencyKind; users: Record<string, boolean> };

export type AgencyCommand =
  | Cmd<
      'RegisterAgency',
      {
        agencyId: string;
        name: string;
        kind: AgencyKind;
        level: AgencyLevel;
        divisionCode: string;
        jurisdiction: string[];
      }
    >
  | Cmd<'AddAgencyUser', { userId: string }>
  | Cmd<'RevokeAgencyUser', { userId: string }>;

/** The jurisdiction of a level must be as wide as the level: 2 digits (province), 4 (city), 6 (county). */
const PREFIX_LENGTH: Record<AgencyLevel, number> = { PROVINCE: 2, CITY: 4, COUNTY: 6 };

function decide(c: AgencyCommand, s: AgencyState): AgencyEvent[] {
  if (c.type === 'RegisterAgency') {
    if (s.status !== 'NONE') throw new DomainError('CONFLICT', 'agency already registered');
    const d = c.data;
    if (!AGENCY_KINDS.includes(d.kind))
      throw DomainError.badInput('kind', 'kind: ENVIRONMENT, TRANSPORT or POLICE');
    if (!AGENCY_LEVELS.includes(d.level))
      throw DomainError.badInput('level', 'level: PROVINCE, CITY or COUNTY');
    const jurisdiction = d.jurisdiction.map((p, i) => {
      const n = normaliseJurisdictionPrefix(p);
      if (!n || n.length < PREFIX_LENGTH[d.level]) {
        throw DomainError.badInput(
          `jurisdiction.${i}`,
          `jurisdiction: ${p} is not a division prefix of a ${d.level.toLowerCase()} agency`,
        );
      }
      return n;
    });
    if (jurisdiction.length === 0)
      throw DomainError.badInput('jurisdiction', 'jurisdiction: at least one division prefix');
    return [{ type: 'AgencyRegistered', data: { ...d, jurisdiction } }];
  }
  if (s.status === 'NONE') throw new DomainError('NOT_FOUND', 'agency not found');
  if (c.type === 'AddAgencyUser') {
    if (c.data.userId in s.users) throw new DomainError('CONFLICT', 'user already exists');
    return [
      {
        type: 'AgencyUserAdded',
        data: {
          agencyId: s.agencyId,
          userId: c.data.userId,
          role: s.kind === 'ENVIRONMENT' ? 'REGULATOR' : 'INSPECTOR',
        },
      },
    ];
  }
  if (!s.users[c.data.userId]) throw new DomainError('NOT_FOUND', 'user not found');
  return [{ type: 'AgencyUserRevoked', data: { agencyId: s.agencyId, userId: c.data.userId } }];
}

function evolve(s: AgencyState, e: AgencyEvent): AgencyState {
  if (e.type === 'AgencyRegistered')
    return { status: 'ACTIVE', agencyId: e.data.agencyId, kind: e.data.kind, users: {} };
  if (s.status === 'NONE') throw new Error(`event ${e.type} before AgencyRegistered`);
  return { ...s, users: { ...s.users, [e.data.userId]: e.type === 'AgencyUserAdded' } };
}

/**
 * 生态环境主管部门 / 交通运输部门 / 公安交管 — regulator agencies and inspection bodies. Users of
 * an ENVIRONMENT agency are regulators; of TRANSPORT and POLICE, read-only roadside inspectors.
 */
export const agencyDecider: Decider<AgencyState, AgencyCommand, AgencyEvent> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
