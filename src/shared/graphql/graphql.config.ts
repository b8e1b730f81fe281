import { Logger } from '@nestjs/common';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { Env } from '../../config/env';
import type { PrincipalService } from '../auth/principal.service';
import mercurius from 'mercurius';
import { createErrorFormatter } from './error-formatter';
import { limitRules } from './limits';
import { DateTimeScalar } from './scalars';
import type { PgNotifyEmitter } from './pg-notify-emitter';

const logger = new Logger('GraphQL');

/**
 * Mercurius options: schema built code-first in memory, GraphiQL outside production, one error
 * formatter, depth limit, and subscriptions over WebSocket whose events cross processes through
 * PostgreSQL (PgNotifyEmitter). The WebSocket is authenticated once, in `onConnect`, from the
 * `authorization` field of the connection_init payload; per-event scoping is in each subscription.
 */
export function graphqlOptions(
  env: Env,
  principals: PrincipalService,
  emitter: PgNotifyEmitter,
): MercuriusDriverConfig {
  const graphiql = env.GRAPHIQL ?? env.NODE_ENV !== 'production';
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    graphiql,
    ide: false,
    routes: true,
    queryDepth: env.GRAPHQL_MAX_DEPTH,
    allowBatchedQueries: true,
    validationRules: limitRules({
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
    }),
    // automatic persisted queries: a device client may send the SHA-256 of a known operation instead of its text
    persistedQueryProvider: mercurius.persistedQueryDefaults.automatic(5000),
    buildSchemaOptions: { numberScalarMode: 'integer', scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    context: (request: unknown, reply: unknown) => ({ req: request, reply }),
    subscription: {
      emitter,
      onConnect: async ({ payload }: { payload?: Record<string, unknown> }) => {
        const header =
          payload?.authorization ??
          payload?.Authorization ??
          (payload?.headers as Record<string, unknown> | undefined)?.authorization;
        try {
          const principal = await principals.resolve(typeof header === 'string' ? header : undefined);
          return principal.kind === 'ANONYMOUS' ? false : { hazledgerPrincipal: principal };
        } catch {
          return false;
        }
      },
    },
    errorFormatter: createErrorFormatter((err, message) =>
      logger.error({ err }, message),
    ) as MercuriusDriverConfig['errorFormatter'],
  } as MercuriusDriverConfig;
}
