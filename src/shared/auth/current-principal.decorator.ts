import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Principal } from './principal';

/**
 * The caller, as resolved by the AuthGuard (a promise cached on the request; ANONYMOUS on public
 * operations without a token). Resolvers await it: `@CurrentPrincipal() who: Promise<Principal>`.
 */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Promise<Principal> => {
    const req = GqlExecutionContext.create(context).getContext<{
      req: { hazledgerPrincipal?: Promise<Principal> };
    }>().req;
    return req.hazledgerPrincipal ?? Promise.resolve({ kind: 'ANONYMOUS' });
  },
);
