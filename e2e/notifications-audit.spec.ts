import { expect, test } from './support/fixtures.ts';

// `api` signs the page in.
test('the audit log shows a channel added and deleted in this visit without a reload', async ({
  page,
  api: _signedIn,
}) => {
  const url = 'https://hooks.example.com/e2e-audit';
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'notification channel' })).toHaveCount(0);

  // In-app links only: the audit log's cached page is what shows when it is opened again.
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Identity and Access Management' }).click();
  await page
    .getByRole('navigation', { name: 'Identity and Access Management' })
    .getByRole('link', { name: 'Notifications' })
    .click();
  await page.getByRole('button', { name: 'Add channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add notification channel' });
  await dialog.getByRole('textbox', { name: 'URL' }).fill(url);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('dialog', { name: 'Channel added' }).getByRole('button', { name: 'Done' }).click();

  await main.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Added notification channel' })).toHaveCount(1);

  await page.goBack();
  await page.getByRole('row').filter({ hasText: 'hooks.example.com' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete channel' }).click();
  await expect(page.getByRole('status')).toContainText('Notifications no longer go to');

  await main.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Deleted notification channel' })).toHaveCount(1);
});
