import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Env } from '../../config/env';
import { DomainError } from '../domain/domain-error';
import { RateLimiter } from './rate-limit';
import { mayCall, PERMISSIONS } from './permissions';
import type { Principal } from './principal';
import { PrincipalService } from './principal.service';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Applies THE permission table to every root GraphQL field. Public operations skip token
 * resolution; every other one resolves the caller (once per request) and is refused with
 * UNAUTHENTICATED or FORBIDDEN. An operation missing from the table is refused to everyone.
 * Plain HTTP routes decide for themselves (see `HttpPrincipal`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly devices: RateLimiter;

  constructor(
    private readonly principals: PrincipalService,
    private readonly env: Env,
  ) {
    this.devices = new RateLimiter(env.DEVICE_RATE_LIMIT_PER_MINUTE);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (!ROOT_TYPES.has(info.parentType.name)) return true;
    const operation = info.fieldName;
    const rule = PERMISSIONS[operation];
    const ctx = gql.getContext<{
      req?: Parameters<PrincipalService['forRequest']>[0];
      hazledgerPrincipal?: Principal;
    }>();
    if (!ctx.req) {
      // a subscription: the WebSocket was authenticated in onConnect (graphql.config.ts)
      const p: Principal = ctx.hazledgerPrincipal ?? { kind: 'ANONYMOUS' };
      if (mayCall(p, operation) === 'ALLOWED') return true;
      throw new DomainError(
        p.kind === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        `you may not subscribe to ${operation}`,
      );
    }
    const req = ctx.req;
    if (rule?.audiences.includes('PUBLIC')) {
      // a public operation works without a token, and with a bad one it acts as anonymous
      req.hazledgerPrincipal ??= this.principals
        .resolve(req.headers.authorization)
        .catch(() => ({ kind: 'ANONYMOUS' as const }));
      return true;
    }
    const principal = await this.principals.forRequest(req);
    if (principal.kind === 'DEVICE' && !this.devices.take(principal.deviceId, Date.now())) {
      throw new DomainError('RATE_LIMITED', 'this device key sends too many requests; slow down', {
        limitPerMinute: this.env.DEVICE_RATE_LIMIT_PER_MINUTE,
      });
    }
    switch (mayCall(principal, operation)) {
      case 'ALLOWED':
        return true;
      case 'UNAUTHENTICATED':
        throw new DomainError(
          'UNAUTHENTICATED',
          `${operation} needs a signed-in user (Authorization: Bearer <token>)`,
        );
      case 'UNKNOWN':
        throw new DomainError('FORBIDDEN', `${operation} has no permission rule`);
      case 'FORBIDDEN':
        throw new DomainError('FORBIDDEN', `your role may not call ${operation}`);
    }
  }
}
