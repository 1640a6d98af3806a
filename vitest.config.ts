import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    globalSetup: ['./apps/api/test/global-setup.ts'],
    // Two cores: a few workers, each with its own database (see apps/api/test/global-setup.ts).
    pool: 'forks',
    maxWorkers: 3,
    // Headroom for a loaded 2-core machine (CI beside other work): tests that take 6 s alone
    // took over 30 s there. A timeout is a hang detector here, never a speed assertion.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
