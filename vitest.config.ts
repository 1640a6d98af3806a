import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    globalSetup: ['./apps/api/test/global-setup.ts'],
    // Two cores: a few workers, each with its own database (see apps/api/test/global-setup.ts).
    pool: 'forks',
    maxWorkers: 3,
    // Through PgBouncer (TEST_DB_POOLER=pgbouncer) every statement takes one more hop.
    testTimeout: process.env.TEST_DB_POOLER ? 90_000 : 30_000,
    hookTimeout: 60_000,
  },
});
