import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { seedDemo } from '../../seeds';
import type { Env } from '../config/env';

/**
 * Loads the demo world through the API itself (in-process HTTP injection, no network) when the
 * database holds no party yet, outside production. Every demo record is a ledger event.
 */
export async function seedDemoIfEmpty(
  app: NestFastifyApplication,
  env: Env,
  log: (m: string) => void,
): Promise<boolean> {
  const enabled = env.SEED_DEMO ?? env.NODE_ENV === 'development';
  if (!enabled || env.NODE_ENV === 'production') return false;
  const [{ n }] = await app.get(DataSource).query<{ n: number }[]>(`SELECT count(*)::int AS n FROM party`);
  if (n > 0) return false;
  if (!env.SYSTEM_ADMIN_USERNAME || !env.SYSTEM_ADMIN_PASSWORD) {
    log(
      'demo world not loaded: SYSTEM_ADMIN_USERNAME and SYSTEM_ADMIN_PASSWORD are needed to create the agencies',
    );
    return false;
  }
  const fastify = app.getHttpAdapter().getInstance();
  const gql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const res = await fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: JSON.stringify({ query, variables }),
    });
    const body = res.json<{ data?: Record<string, unknown>; errors?: unknown[] }>();
    if (body.errors?.length || !body.data)
      throw new Error(`demo seed failed: ${JSON.stringify(body.errors)} for ${query.slice(0, 80)}`);
    return body.data;
  };
  log('loading the demo world through the API…');
  await seedDemo(gql, { username: env.SYSTEM_ADMIN_USERNAME, password: env.SYSTEM_ADMIN_PASSWORD }, log);
  return true;
}
