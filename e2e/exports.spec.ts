import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test('Download CSV on Product Registrations saves what the search shows, and it reads back', async ({
  page,
  api,
  licenseServer,
}) => {
  const wanted = licenseServer('csv-wanted');
  const other = licenseServer('csv-other');
  await Promise.all([registerThroughApi(api, wanted), registerThroughApi(api, other)]);

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toBeVisible();
  await page.getByRole('searchbox').fill(wanted.serverName);
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toHaveCount(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^registrations-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows: Record<string, string>[] = parse(await readFile((await download.path())!, 'utf8'), { columns: true });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ serverName: wanted.serverName, status: 'never-contacted' });
});

test('the audit log filters survive a reload', async ({ page, api, licenseServer, shot }) => {
  const server = licenseServer('audit-filter');
  await registerThroughApi(api, server);
  const today = new Date().toISOString().slice(0, 10);

  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = page.getByRole('row');
  await expect(rows.filter({ hasText: 'Signed in' })).not.toHaveCount(0);

  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Registered' });
  await page.getByLabel('From').fill(today);
  await expect(page).toHaveURL(
    new RegExp(`action=registration\\.created.*from=${today}|from=${today}.*action=registration\\.created`),
  );
  await expect(rows.filter({ hasText: 'Signed in' })).toHaveCount(0);
  await expect(rows.filter({ hasText: server.serverName })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Action' })).toHaveValue('registration.created');
  await expect(page.getByLabel('From')).toHaveValue(today);
  await expect(rows.filter({ hasText: server.serverName })).toBeVisible();
  await expect(rows.filter({ hasText: 'Signed in' })).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot('audit-filters-390');
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
    'href',
    `/api/console/audit-events.csv?action=registration.created&from=${today}`,
  );
});
