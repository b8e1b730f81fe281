import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { CatalogueModule } from './catalogue/catalogue.module';
import { type Env, validateEnv } from './config/env';
import { dataSourceOptions } from './database/data-source';
import { HealthModule } from './health/health.module';
import { DomainErrorFilter } from './shared/graphql/domain-error.filter';
import { graphqlOptions } from './shared/graphql/graphql.config';
import { InputValidationPipe } from './shared/graphql/input-validation.pipe';
import { SharedModule } from './shared/shared.module';

const env = (c: ConfigService): Env => c.get<Env>('env') ?? validateEnv(process.env);

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: (raw) => ({ env: validateEnv(raw) }),
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (c: ConfigService) => ({
        pinoHttp: {
          level: env(c).LOG_LEVEL,
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
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (c: ConfigService) => {
        const e = env(c);
        return dataSourceOptions(e.DATABASE_URL, e.DATABASE_POOL_SIZE, 'hazledger-api');
      },
    }),
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [ConfigService],
      useFactory: (c: ConfigService) => graphqlOptions(env(c)),
    }),
    SharedModule,
    HealthModule,
    CatalogueModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: InputValidationPipe },
    { provide: APP_FILTER, useClass: DomainErrorFilter },
  ],
})
export class AppModule {}
