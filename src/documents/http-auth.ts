import { mayCall } from '../shared/auth/permissions';
import type { Principal } from '../shared/auth/principal';
import { PrincipalService } from '../shared/auth/principal.service';
import { DomainError } from '../shared/domain/domain-error';

export type HttpRequest = Parameters<PrincipalService['forRequest']>[0] & {
  ip?: string;
  query?: unknown;
};

export interface HttpReply {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
}

/**
 * The caller of a plain HTTP route, with the bearer token GraphQL takes, allowed to the callers of
 * `operation` in THE permission table (the route is scoped like that operation).
 */
export async function httpCaller(
  principals: PrincipalService,
  req: HttpRequest,
  operation: string,
  what: string,
): Promise<Principal> {
  const who = await principals.forRequest(req);
  const verdict = mayCall(who, operation);
  if (verdict === 'UNAUTHENTICATED')
    throw new DomainError('UNAUTHENTICATED', `${what} need a signed-in user (Authorization: Bearer <token>)`);
  if (verdict !== 'ALLOWED') throw new DomainError('FORBIDDEN', `your role may not read ${what}`);
  return who;
}
