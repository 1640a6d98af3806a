import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

const DAY = 86_400_000;
const dayFrom = (days: number) =>
  new Date(Date.parse(new Date().toISOString().slice(0, 10)) + days * DAY).toISOString().slice(0, 10);

test('Licensing > Entitlements lists each product key with its state in words, most urgent first', async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('entitlements');
  await registerThroughApi(api, server);
  // Yesterday's records: one key expired, one short of licenses, one expiring in 10 days, one fine.
  const start = `${dayFrom(-1)}T00:00:00.000Z`;
  const end = `${dayFrom(0)}T00:00:00.000Z`;
  const record = (productCode: string, values: object) => ({
    periodStart: start,
    periodEnd: end,
    productCode,
    edition: 'PLT',
    licenseModel: 'user-device',
    installed: 100,
    inUse: 40,
    peakInUse: 50,
    ...values,
  });
  const file = path.join(server.stateDir, 'dated.json');
  writeFileSync(
    file,
    JSON.stringify([
      record('ZOK', { expiresAt: dayFrom(200), maintenanceEndsAt: dayFrom(300) }),
      record('XSOON', { expiresAt: dayFrom(10), maintenanceEndsAt: dayFrom(5) }),
      record('XSHORT', { installed: 10, inUse: 12, peakInUse: 14 }),
      record('XGONE', { expiresAt: dayFrom(-2), maintenanceEndsAt: dayFrom(-2) }),
    ]),
  );
  const uploaded = await server.run('upload', '--file', file);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);

  await page.goto('/licensing/license-servers');
  await page.getByRole('navigation', { name: 'Licensing' }).getByRole('link', { name: 'Entitlements' }).click();
  await expect(page.getByRole('heading', { name: 'Entitlements', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Entitlements' });
  for (const header of [
    'Product',
    'Installed',
    'In use',
    'Peak (30 days)',
    'Expires',
    'Customer Success Services',
    'State',
  ])
    await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(1)).toContainText('XGONE');
  await expect(rows.nth(1)).toContainText('Expired');
  await expect(rows.nth(1)).toContainText('Ended');
  await expect(rows.nth(2)).toContainText('XSHORT');
  await expect(rows.nth(2)).toContainText('Insufficient · 1 server short');
  await expect(rows.nth(3)).toContainText('XSOON');
  await expect(rows.nth(3)).toContainText('Expiring in 10 days');
  await expect(rows.nth(3)).toContainText('Ends in 5 days');
  await expect(rows.nth(4)).toContainText('ZOK');
  await expect(rows.nth(4)).toContainText('OK');
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
    'href',
    '/api/console/entitlements.csv',
  );
  await expect(page.getByRole('heading', { name: 'What “over” means here' })).toBeVisible();
  await shot('entitlements');
});

test('maintenance windows are added, shown as active and deleted after confirmation', async ({
  page,
  api,
  licenseServer,
}) => {
  const server = licenseServer('mute');
  await registerThroughApi(api, server);
  await page.goto('/iam/notifications');
  await expect(page.getByRole('heading', { name: 'Maintenance windows', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Add maintenance window' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add maintenance window' });
  await dialog.getByRole('radio', { name: 'One server' }).check();
  await dialog.getByRole('combobox', { name: 'Server' }).selectOption({ label: server.serverName });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Patch Tuesday');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(dialog).toBeHidden();
  const row = page
    .getByRole('table', { name: 'Maintenance windows' })
    .getByRole('row')
    .filter({ hasText: 'Patch Tuesday' });
  await expect(row).toContainText(server.serverName);
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: 'Delete maintenance window Patch Tuesday' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row).toBeHidden();
});
