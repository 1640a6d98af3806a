import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';
import { atBothWidths } from './support/widths.ts';

test('bulk removal: select two servers, confirm once, both are gone', async ({ page, api, licenseServer, shot }) => {
  const [first, second, kept] = [licenseServer('bulk'), licenseServer('bulk'), licenseServer('keep')];
  await Promise.all([first, second, kept].map((server) => registerThroughApi(api, server)));

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('row').filter({ hasText: kept.serverName })).toBeVisible();
  await page.getByRole('checkbox', { name: `Select ${first.serverName}` }).check();
  await page.getByRole('checkbox', { name: `Select ${second.serverName}` }).check();
  await page.getByRole('button', { name: 'Remove selected (2)' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText(first.serverName);
  await expect(dialog).toContainText(second.serverName);
  await expect(dialog).not.toContainText(kept.serverName);
  await atBothWidths(page, 'bulk-removal', shot);
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: first.serverName })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: second.serverName })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: kept.serverName })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('2 registrations are removed');

  const status = await first.run('status');
  expect(status.stderr).toContain('registration was removed');
});

test('a filtered, sorted view lives in the URL: it survives a reload, and Back returns to it', async ({
  page,
  api,
  licenseServer,
}) => {
  const [match, other] = [licenseServer('findme'), licenseServer('other')];
  await Promise.all([match, other].map((server) => registerThroughApi(api, server)));

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill(match.serverName);
  await expect(page).toHaveURL(new RegExp(`query=${match.serverName}`));
  // Whatever the new server's status is (it may have confirmed its registration already).
  const label = (
    await page.getByRole('row').filter({ hasText: match.serverName }).locator('.badge').innerText()
  ).trim();
  const status = { Reporting: 'reporting', 'Not reporting': 'not-reporting', 'Never contacted': 'never-contacted' }[
    label
  ];
  expect(status, label).toBeTruthy();
  await page.getByRole('combobox', { name: 'Status' }).selectOption(status!);
  await page.getByRole('combobox', { name: 'Sort' }).selectOption({ label: 'Registered, newest first' });
  await expect(page).toHaveURL(new RegExp(`status=${status}`));
  await expect(page).toHaveURL(/sort=registeredAt&order=desc/);
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: match.serverName })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(match.serverName);
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue(status!);
  await expect(page.getByRole('row').filter({ hasText: match.serverName })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toHaveCount(0);

  // Away and Back: the same view.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(match.serverName);
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('registeredAt:desc');
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toHaveCount(0);

  // Back once more undoes the sort (a filter change is a step of its own).
  await page.goBack();
  await expect(page.getByRole('combobox', { name: 'Sort' })).toHaveValue('serverName:asc');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue(status!);
});
