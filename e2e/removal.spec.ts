import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test('removing a registration revokes the server', async ({ page, api, licenseServer, shot }) => {
  const server = licenseServer('rm');
  const other = licenseServer('keep');
  await Promise.all([registerThroughApi(api, server), registerThroughApi(api, other)]);

  await page.goto(PRODUCT_REGISTRATIONS);
  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: `Actions for ${server.serverName}` }).click();
  await page.getByRole('menuitem', { name: 'Remove registration' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText(server.serverName);
  await shot('remove-confirm');

  // Cancel leaves it alone.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toBeVisible();

  await page.getByRole('button', { name: `Actions for ${server.serverName}` }).click();
  await page.getByRole('menuitem', { name: 'Remove registration' }).click();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(server.serverName);

  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toBeVisible();
  await expect(row).toHaveCount(0);

  const [status, otherStatus] = await Promise.all([server.run('status'), other.run('status')]);
  expect(status.code).not.toBe(0);
  expect(status.stderr).toContain('registration was removed');
  // The other server is unaffected.
  expect(otherStatus.code, otherStatus.stdout + otherStatus.stderr).toBe(0);
});
