import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../domain/domain-error';
import type { AgencyScope, Principal, Role } from './principal';
import { TokenService } from './token.service';

interface UserRow {
  user_id: string;
  system_admin: boolean;
  party_id: string | null;
  agency_id: string | null;
  role: Role | null;
  member_status: string | null;
  party_status: string | null;
  kind: AgencyScope['kind'] | null;
  level: AgencyScope['level'] | null;
  jurisdiction: string[] | null;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  hazledgerPrincipal?: Promise<Principal>;
}

const revoked = () => new DomainError('UNAUTHENTICATED', 'this account or device is no longer active');

/**
 * Who is calling: the bearer token verified, then the user's or device's current membership,
 * role and status read from the read models (a revoked user or device is refused at once, not
 * when its token expires). Resolved at most once per request.
 */
@Injectable()
export class PrincipalService {
  constructor(
    private readonly tokens: TokenService,
    private readonly db: DataSource,
  ) {}

  forRequest(req: RequestLike): Promise<Principal> {
    req.hazledgerPrincipal ??= this.resolve(req.headers.authorization);
    return req.hazledgerPrincipal;
  }

  async resolve(authorization: string | string[] | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') return { kind: 'ANONYMOUS' };
    const header = Array.isArray(authorization) ? authorization[0] : authorization;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new DomainError('UNAUTHENTICATED', 'Authorization must be "Bearer <access token>"');
    const claims = this.tokens.verify(m[1]);
    return claims.typ === 'device' ? this.device(claims.sub) : this.user(claims.sub);
  }

  async user(userId: string): Promise<Principal> {
    const [u] = await this.db.query<UserRow[]>(
      `SELECT u.user_id, u.system_admin, m.party_id, m.agency_id, m.role, m.status AS member_status, p.status AS party_status,
              a.kind, a.level, a.jurisdiction
         FROM user_account u
         LEFT JOIN member m ON m.user_id = u.user_id
         LEFT JOIN party p ON p.party_id = m.party_id
         LEFT JOIN agency a ON a.agency_id = m.agency_id
        WHERE u.user_id = $1`,
      [userId],
    );
    if (!u) throw revoked();
    if (u.system_admin) {
      return {
        kind: 'USER',
        actor: { kind: 'USER', userId },
        userId,
        role: 'SYSTEM_ADMIN',
        partyId: null,
        partyVerified: false,
        agency: null,
      };
    }
    if (u.member_status !== 'ACTIVE' || !u.role) throw revoked();
    const agency: AgencyScope | null =
      u.agency_id && u.kind && u.level
        ? { agencyId: u.agency_id, kind: u.kind, level: u.level, jurisdiction: u.jurisdiction ?? [] }
        : null;
    return {
      kind: 'USER',
      actor: {
        kind: 'USER',
        userId,
        ...(u.party_id ? { partyId: u.party_id } : {}),
        ...(u.agency_id ? { agencyId: u.agency_id } : {}),
      },
      userId,
      role: u.role,
      partyId: u.party_id,
      partyVerified: u.party_status === 'VERIFIED',
      agency,
    };
  }

  async device(deviceId: string): Promise<Principal> {
    const [d] = await this.db.query<{ party_id: string; operations: string[]; status: string }[]>(
      `SELECT party_id, operations, status FROM device WHERE device_id = $1`,
      [deviceId],
    );
    if (!d || d.status !== 'ACTIVE') throw revoked();
    return {
      kind: 'DEVICE',
      actor: { kind: 'DEVICE', deviceId, partyId: d.party_id },
      deviceId,
      partyId: d.party_id,
      role: 'DEVICE',
      operations: d.operations,
    };
  }
}
