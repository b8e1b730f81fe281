import type { Actor } from '../domain/actor';

/** Roles a request can hold. Party users: ADMIN, OPERATOR, DRIVER, VIEWER. Agency users: REGULATOR or INSPECTOR. */
export type Role =
  'ADMIN' | 'OPERATOR' | 'DRIVER' | 'VIEWER' | 'REGULATOR' | 'INSPECTOR' | 'SYSTEM_ADMIN' | 'DEVICE';

export interface AgencyScope {
  agencyId: string;
  kind: 'ENVIRONMENT' | 'TRANSPORT' | 'POLICE';
  level: 'PROVINCE' | 'CITY' | 'COUNTY';
  /** Division-code prefixes (`41`, `4101`, `410102`). */
  jurisdiction: string[];
}

/** Who is calling, resolved once per request from the access token and the current membership. */
export type Principal =
  | { kind: 'ANONYMOUS' }
  | {
      kind: 'USER';
      actor: Actor & { kind: 'USER' };
      userId: string;
      role: Role;
      partyId: string | null;
      partyVerified: boolean;
      agency: AgencyScope | null;
    }
  | {
      kind: 'DEVICE';
      actor: Actor & { kind: 'DEVICE' };
      deviceId: string;
      partyId: string;
      role: 'DEVICE';
      operations: string[];
    };

export type Authenticated = Exclude<Principal, { kind: 'ANONYMOUS' }>;

export const isRegulator = (
  p: Principal,
): p is Extract<Principal, { kind: 'USER' }> & { agency: AgencyScope } =>
  p.kind === 'USER' && p.role === 'REGULATOR' && p.agency !== null;
export const isInspector = (p: Principal): boolean => p.kind === 'USER' && p.role === 'INSPECTOR';
export const isSystemAdmin = (p: Principal): boolean => p.kind === 'USER' && p.role === 'SYSTEM_ADMIN';
/** The party the caller belongs to (users of a party, devices). */
export const partyOf = (p: Principal): string | null =>
  p.kind === 'USER' ? p.partyId : p.kind === 'DEVICE' ? p.partyId : null;
