import { expect, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test("a server's uploaded usage is charted, tabled, and can be deleted", async ({ page, api, licenseServer, shot }) => {
  const server = licenseServer('usage');
  await registerThroughApi(api, server);
  const upload = await server.run('upload', '--sample-days', '30');
  expect(upload.code, upload.stdout + upload.stderr).toBe(0);

  await page.goto('/');
  await page.getByRole('link', { name: 'Licensing' }).click();
  await expect(page.getByRole('heading', { name: 'License Servers' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await expect(row).toBeVisible();
  await expect(row.getByRole('button', { name: 'Delete data' })).toBeVisible();
  await shot('license-servers');

  await row.getByRole('link', { name: server.serverName }).click();
  await expect(page.getByRole('heading', { name: server.serverName })).toBeVisible();
  // The chart is an image named for what it shows (drawn on a canvas or as SVG); the table carries the same data.
  const chart = page.getByRole('img', { name: /^Usage chart/ });
  // Lazy-loaded chunk: on a starved 2-core machine it has taken more than 15 s to render.
  await expect(chart).toBeVisible({ timeout: 45_000 });
  await expect(chart.locator('canvas, svg').first()).toBeVisible();
  const table = page.getByRole('region', { name: 'Usage per day' });
  await expect(table).toBeVisible();
  await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(10);
  await shot('usage');

  await page.getByRole('button', { name: 'Delete data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete server data' });
  await expect(dialog).toContainText(server.serverName);
  const confirm = dialog.getByRole('button', { name: 'Delete server data' });
  const permanent = dialog.getByRole('checkbox', {
    name: "I understand that deleting usage data is permanent and can't be undone",
  });
  const continues = dialog.getByRole('checkbox', {
    name: 'I understand that usage data continues to be collected while the server stays registered',
  });
  await expect(confirm).toBeDisabled();
  await permanent.check();
  await expect(confirm).toBeDisabled();
  await permanent.uncheck();
  await continues.check();
  await expect(confirm).toBeDisabled();
  await permanent.check();
  await expect(confirm).toBeEnabled();
  await shot('delete-data');
  await confirm.click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText(
    new RegExp(`Deleted [\\d,]+ usage records? of ${server.serverName}\\.`),
  );
  await expect(page.getByText('No usage data in this range.')).toBeVisible();
  await expect(table).toBeHidden();
  await expect(chart).toBeHidden();
  await shot('usage-deleted');

  // Still registered, so it stays in the list.
  await page.getByRole('link', { name: 'License Servers' }).click();
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();
});
