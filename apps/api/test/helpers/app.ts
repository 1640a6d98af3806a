import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.ts';
import { testConfig, type Config } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createClient, type TestClient } from './client.ts';
import { testDatabase } from './database.ts';
import { forTheFile } from './fixture.ts';

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
  const app = await buildTestApp({ config, db, clock, ...(onRoute && { onRoute }) });
  return { app, clock, config, db, databaseUrl: url, client: createClient(app) };
}

/**
 * The real app, ready, with the tests' secrets and (unless told) no console files, over the
 * database and clock a test chose: a pool of its own, a database it stops, a second instance.
 */
export async function buildTestApp(options: Omit<AppOptions, 'secrets'>): Promise<FastifyInstance> {
  const app = await buildApp({ secrets: TEST_SECRETS, consoleDist: null, ...options });
  await app.ready();
  return app;
}

/**
 * The file's app (createTestApp), closed after its tests. `overrides` may be a function, for a
 * setting known only once another fixture has started (the SMTP server's URL).
 */
export function useTestApp(
  overrides: Partial<Config> | (() => Partial<Config>) = {},
  onRoute?: AppOptions['onRoute'],
): TestApp {
  return forTheFile(
    () => createTestApp(typeof overrides === 'function' ? overrides() : overrides, onRoute),
    (t) => t.app.close(),
  );
}
