import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  /** POSTs a GraphQL operation; returns the supertest response. */
  gql: (query: string, variables?: Record<string, unknown>, token?: string) => Promise<request.Response>;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The whole API on Fastify over its own fresh database, ready for supertest. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.appUrl;
  process.env.MIGRATION_DATABASE_URL = db.ownerUrl;
  Object.assign(process.env, env);
  const { createApp } = await import('../../src/app.factory.js');
  const app = await createApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = () => request(app.getHttpServer());
  return {
    app,
    db,
    http,
    gql: (query, variables, token) => {
      const req = http().post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${token}`);
      return req.send({ query, variables });
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** A second API instance on the SAME database (another "process": its own pools and notification listener). */
export async function createSiblingApp(t: TestApp): Promise<NestFastifyApplication> {
  process.env.DATABASE_URL = t.db.appUrl;
  process.env.MIGRATION_DATABASE_URL = t.db.ownerUrl;
  const { createApp } = await import('../../src/app.factory.js');
  const app = await createApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
