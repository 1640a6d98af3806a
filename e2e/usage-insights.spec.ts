import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test('usage uploaded by the CLI shows on License usage, with Overdraft for a key whose peak exceeded installed', async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('insights');
  await registerThroughApi(api, server);
  const snapshots = await server.run('upload', '--sample-days', '3', '--interval', '15m');
  expect(snapshots.code, snapshots.stdout + snapshots.stderr).toBe(0);

  // One more product key, peaking above what is installed yesterday.
  const productCode = `OVR${randomUUID().slice(0, 6).toUpperCase()}`;
  const today = new Date(new Date().toISOString().slice(0, 10));
  const yesterday = new Date(today.getTime() - 86_400_000);
  const file = path.join(server.stateDir, 'overdraft.json');
  writeFileSync(
    file,
    JSON.stringify([
      {
        periodStart: yesterday.toISOString(),
        periodEnd: today.toISOString(),
        productCode,
        edition: 'PLT',
        licenseModel: 'user-device',
        installed: 10,
        inUse: 9,
        peakInUse: 15,
      },
    ]),
  );
  const overdraft = await server.run('upload', '--file', file);
  expect(overdraft.code, overdraft.stdout + overdraft.stderr).toBe(0);

  await page.goto('/licensing/license-servers');
  await page.getByRole('navigation', { name: 'Licensing' }).getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('heading', { name: 'License usage' })).toBeVisible();
  const counts = page.getByRole('definition').first();
  await expect(counts).toBeVisible();

  const summary = page.getByRole('list', { name: 'Summary per product' });
  const card = summary.getByRole('listitem').filter({ hasText: `${productCode} PLT (user/device)` });
  await expect(card).toContainText('Overdraft');
  await expect(card).toContainText(/Peak in range\s*15/);
  // The CLI's snapshots are summed into the figures of the catalogue's products too.
  await expect(summary.getByRole('listitem').filter({ hasText: 'XDT PLT (user/device)' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Usage chart/ })).toBeVisible({ timeout: 45_000 });
  await shot('license-usage');

  // The view lives in the URL, so it can be shared.
  await page.getByLabel('Range').selectOption({ label: 'Last 90 days' });
  await page.getByLabel('Granularity').selectOption({ label: 'Monthly' });
  await expect(page).toHaveURL(/granularity=month/);
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  await expect(page.getByRole('region', { name: 'Usage per month' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Granularity')).toHaveValue('month');
  await expect(page.getByLabel('Range')).toHaveValue('90');
  await page.setViewportSize({ width: 390, height: 800 });
  await shot('license-usage-390');
});
