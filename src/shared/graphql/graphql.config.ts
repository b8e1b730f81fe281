import { Logger } from '@nestjs/common';
import type { MercuriusDriverConfig } from '@nestjs/mercurius';
import type { Env } from '../../config/env';
import { createErrorFormatter } from './error-formatter';

const logger = new Logger('GraphQL');

/** Mercurius options: schema built code-first in memory, GraphiQL outside production, one error formatter. */
export function graphqlOptions(env: Env): MercuriusDriverConfig {
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
    buildSchemaOptions: { dateScalarMode: 'isoDate', numberScalarMode: 'integer' },
    context: (request: unknown, reply: unknown) => ({ req: request, reply }),
    errorFormatter: createErrorFormatter((err, message) =>
      logger.error({ err }, message),
    ) as MercuriusDriverConfig['errorFormatter'],
  } as MercuriusDriverConfig;
}
