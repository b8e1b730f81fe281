import { Global, Module } from '@nestjs/common';
import { Env, validateEnv } from '../config/env';
import { Clock } from './clock';
import { PgNotifyEmitter } from './graphql/pg-notify-emitter';

/**
 * The clock and the validated configuration, for every module. `Env` is read from `process.env`
 * when the application is created (not when a module is imported), so that each test app gets
 * its own database.
 */
@Global()
@Module({
  providers: [Clock, { provide: Env, useFactory: () => validateEnv(process.env) }, PgNotifyEmitter],
  exports: [Clock, Env, PgNotifyEmitter],
})
export class SharedModule {}
