import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test('on a 1280 px screen a registration row shows its tags and actions without scrolling; a tag that matches nothing says so', async ({
  page,
  api,
  licenseServer,
}) => {
  const server = licenseServer('wide');
  await registerThroughApi(api, server);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(PRODUCT_REGISTRATIONS);
  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await row.getByRole('button', { name: `Actions for ${server.serverName}` }).click();
  await page.getByRole('menuitem', { name: 'Edit tags' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit tags' });
  await dialog.getByRole('textbox', { name: 'Tags' }).fill('eu berlin-datacenter production');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  // Every tag readable (none cut short), and the row's actions on screen, not beyond the table's scroll.
  await expect(row.getByRole('cell').filter({ hasText: 'production' })).toHaveText('eu berlin-datacenter production');
  await expect(page.getByRole('columnheader', { name: 'Tags' })).toBeInViewport({ ratio: 1 });
  await expect(row.getByRole('button', { name: `Actions for ${server.serverName}` })).toBeInViewport({ ratio: 1 });

  // A tag filter that matches nothing is a filtered view, not "no products registered yet".
  await page.getByRole('textbox', { name: 'Tag' }).fill('nowhere');
  await expect(page).toHaveURL(/[?&]tag=nowhere/);
  await expect(page.getByText('No registrations match the search, tag or status.')).toBeVisible();
  await expect(page.getByRole('heading', { name: /No products registered/ })).toHaveCount(0);
});

test('the Administrators table says who may still use a password while single sign-on is required', async ({
  page,
  api,
  account,
}) => {
  void api;
  await page.goto('/iam/administrators');
  await expect(page.getByRole('columnheader', { name: 'Break-glass' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: account.email });
  await row.getByRole('button', { name: `Actions for ${account.email}` }).click();
  await page.getByRole('menuitem', { name: 'Allow password sign-in (break-glass)' }).click();
  await expect(row.getByRole('cell', { name: 'Yes', exact: true })).toBeVisible();
});
