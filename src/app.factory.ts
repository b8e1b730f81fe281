import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validateEnv } from './config/env';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** TRUST_PROXY as Fastify's `trustProxy`: a boolean, a number of hops, or the proxies' addresses. */
export function trustProxy(
  value: string | undefined,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((a) => a.trim());
}

/**
 * The request id: the caller's `x-request-id` when it is sane, else a new UUID. Written back into
 * the raw headers so that the request logger (pino-http) logs the same id on every line.
 */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id;
  return id;
}

/**
 * Builds the Nest application on Fastify (used by `main.ts` and by the e2e tests). Configuration
 * must be in `process.env` before this module is imported: AppModule validates it on import.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const env = validateEnv(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    genReqId: requestId,
    logger: false,
    trustProxy: trustProxy(env.TRUST_PROXY),
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    done();
  });
  adapter.getInstance().addHook('preValidation', async (request, reply) => {
    if (
      request.url.startsWith('/graphql') &&
      Array.isArray(request.body) &&
      request.body.length > env.GRAPHQL_MAX_BATCH
    ) {
      await reply.code(400).send({
        data: null,
        errors: [
          {
            message: `at most ${env.GRAPHQL_MAX_BATCH} operations per batch`,
            extensions: { code: 'BAD_USER_INPUT', retryable: false, field: 'batch' },
          },
        ],
      });
    }
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const origins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  // closed unless configured: browsers from other origins get no CORS headers
  if (origins.length) app.enableCors({ origin: origins, methods: ['GET', 'POST'], credentials: false });
  return app;
}
