import type { Page } from '@playwright/test';
import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';
import { atBothWidths } from './support/widths.ts';

const LICENSE_SERVERS = '/licensing/license-servers';

/** What the browser logged as an error (failed requests, CSP violations, exceptions). */
function browserErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('the sign-in page and the API docs log no errors in the browser console', async ({ page, shot }) => {
  const errors = browserErrors(page);
  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await atBothWidths(page, 'sign-in', shot);
  expect(errors).toEqual([]);

  await page.goto('/api/docs');
  await expect(page.getByText('Cloud registration service').first()).toBeVisible();
  await expect(page.locator('.opblock').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('after every registration is removed: the empty state says so, and Delete data is worded for that', async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('gone');
  const registration = await registerThroughApi(api, server);
  const upload = await server.run('upload', '--sample-days', '3');
  expect(upload.code, upload.stdout + upload.stderr).toBe(0);

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();
  await page.getByRole('button', { name: 'Register' }).click();
  const register = page.getByRole('dialog', { name: 'Register a product' });
  await expect(register).toContainText('npm run license-server -- register');
  await register.getByRole('button', { name: 'Close' }).click();
  await atBothWidths(page, 'product-registrations', shot);
  await page.goto(LICENSE_SERVERS);
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();
  await atBothWidths(page, 'license-servers', shot);

  await api.remove(registration.id);
  await page.goto(PRODUCT_REGISTRATIONS);
  const empty = page.getByRole('region', { name: 'No products are registered now' });
  await expect(empty).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No products registered yet' })).toHaveCount(0);
  await expect(empty.getByRole('link', { name: 'License Servers' })).toBeVisible();
  await expect(empty.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await shot('product-registrations-none-now');

  await empty.getByRole('link', { name: 'License Servers' }).click();
  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await expect(row).toContainText('Not registered');
  await row.getByRole('button', { name: 'Delete data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete server data' });
  await expect(
    dialog.getByRole('checkbox', {
      name: 'I understand that this server is no longer registered: no more usage data arrives from it unless it registers again',
    }),
  ).toBeVisible();
  await expect(dialog.getByText('usage data continues to be collected')).toHaveCount(0);
  await shot('delete-data-unregistered');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});
