import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createClient, type TestClient } from './client.ts';
import { testDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  config: Readonly<Config>;
  db: Awaited<ReturnType<typeof testDatabase>>['db'];
  databaseUrl: string;
  /** The typed client over app.inject: `t.client.get(path, { as: session })`. */
  client: TestClient;
}

export const TEST_SECRETS = {
  sessionSecret: 'test-session-secret-0123456789abcdef',
  codeHmacSecret: 'test-code-hmac-secret-0123456789abcdef',
};

/** The real app over this worker's real database, with a clock the test moves. */
export async function createTestApp(
  overrides: Partial<Config> = {},
  onRoute?: AppOptions['onRoute'],
): Promise<TestApp> {
  const { db, url } = await testDatabase();
  const clock = new ManualClock(new Date());
  // The tests' receivers listen on 127.0.0.1: allowed here, as an operator would set it.
  const config = testConfig({ PUBLIC_URL: 'http://localhost:8080', WEBHOOK_ALLOW_PRIVATE: true, ...overrides });
  const app = await buildApp({
    config,
    db,
    clock,
    secrets: TEST_SECRETS,
    consoleDist: null,
    ...(onRoute && { onRoute }),
  });
  await app.ready();
  return { app, clock, config, db, databaseUrl: url, client: createClient(app) };
}
