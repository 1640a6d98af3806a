import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { createAccount, unique, type Account } from './accounts.ts';
import { ConsoleApi } from './api.ts';
import { baseUrl } from './env.ts';
import { LicenseServer } from './license-server.ts';

/**
 * Test independence: every test gets a customer and admin of its own (`account`, made by the
 * operator CLI) and License Servers with unique names and their own state dirs, so tests
 * share nothing but the server process and run in parallel, in any order, on a used database.
 */
interface Fixtures {
  /** A fresh customer with one admin, not signed in. */
  account: Account;
  /** `account` signed in through the API: the page's context holds the session cookie. */
  api: ConsoleApi;
  /** Makes License Servers (real CLI, own temp state); stopped and removed after the test. */
  licenseServer: (label?: string) => LicenseServer;
  /** Saves a full-page screenshot into test-results/screenshots/<name>.png. */
  shot: (name: string) => Promise<void>;
}

// Playwright reads fixture dependencies from the destructuring pattern, so `{}` means "none".
/* eslint-disable no-empty-pattern */
export const test = base.extend<Fixtures>({
  // global-setup.ts picks the port, so the URL is known only once the run has started.
  baseURL: async ({}, use) => use(baseUrl()),

  // The browser's errors and warnings, attached to a failed test's report.
  page: async ({ page }, use, testInfo) => {
    const messages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        messages.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => messages.push(`pageerror: ${error.stack ?? error.message}`));
    page.on('requestfailed', (request) =>
      messages.push(`requestfailed: ${request.url()} ${request.failure()?.errorText}`),
    );
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus && messages.length) {
      await testInfo.attach('browser-console', { body: messages.join('\n'), contentType: 'text/plain' });
    }
  },

  account: async ({}, use, testInfo) => {
    await use(await createAccount(testInfo.titlePath[0]?.replace(/\.spec\.ts$/, '') ?? 'account'));
  },

  api: async ({ page, account }, use) => {
    await use(await ConsoleApi.signIn(page, account));
  },

  licenseServer: async ({}, use) => {
    const made: LicenseServer[] = [];
    await use((label = 'ls') => {
      const server = new LicenseServer(unique(`e2e-${label}`));
      made.push(server);
      return server;
    });
    await Promise.all(made.map((server) => server.dispose()));
  },
  /* eslint-enable no-empty-pattern */

  shot: async ({ page }, use, testInfo) => {
    const dir = path.join(testInfo.project.outputDir, 'screenshots');
    mkdirSync(dir, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
    });
  },
});

export { baseUrl, expect };

/** Signs in through the sign-in page, as an admin would. */
export async function signInThroughUi(page: Page, account: Account) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Email' }).fill(account.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export const PRODUCT_REGISTRATIONS = '/iam/api-access/product-registrations';
