import { Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { Env } from './config/env';
import { CoreModule } from './core.module';
import { HealthModule } from './health/health.module';
import { AuthGuard } from './shared/auth/auth.guard';
import { PrincipalService } from './shared/auth/principal.service';
import { PgNotifyEmitter } from './shared/graphql/pg-notify-emitter';
import { DomainErrorFilter } from './shared/graphql/domain-error.filter';
import { graphqlOptions } from './shared/graphql/graphql.config';
import { InputValidationPipe } from './shared/graphql/input-validation.pipe';

/** The API: the core capabilities behind structured logs, GraphQL (Mercurius) and health checks. */
@Module({
  imports: [
    CoreModule,
    LoggerModule.forRootAsync({
      inject: [Env],
      useFactory: (env: Env) => ({
        pinoHttp: {
          level: env.LOG_LEVEL,
          genReqId: (req) => String(req.headers['x-request-id'] ?? randomUUID()),
          customProps: (req) => ({ requestId: (req as { id?: unknown }).id }),
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-api-key"]',
              'res.headers["set-cookie"]',
            ],
            censor: '[redacted]',
          },
          autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
        },
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
      }),
    }),
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [Env, PrincipalService, PgNotifyEmitter],
      useFactory: (env: Env, principals: PrincipalService, emitter: PgNotifyEmitter) =>
        graphqlOptions(env, principals, emitter),
    }),
    HealthModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_PIPE, useClass: InputValidationPipe },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
  ],
})
export class AppModule {}
