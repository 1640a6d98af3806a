import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, defineConfig } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The browser ensure-browser.mjs chose; else the same lookup (without installing), for `npx playwright test`. */
function browserPath(): string | undefined {
  const file = path.join(here, '.browser-path');
  const chosen = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (chosen && existsSync(chosen)) return chosen;
  const candidates = [
    process.env.E2E_CHROMIUM,
    chromium.executablePath(),
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
}

const CI = !!process.env.CI;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  // 2 cores here: the server, its PostgreSQL and the License Server CLIs share them with the browsers.
  workers: 2,
  retries: CI ? 1 : 0,
  forbidOnly: CI,
  reporter: 'list',
  // Generous: on 2 shared cores a test spends most of its time waiting for CLIs and the server.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  use: {
    // Set by global-setup.ts (workers inherit its environment).
    baseURL: process.env.E2E_BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: browserPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
