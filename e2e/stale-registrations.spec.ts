import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { silenceFor } from './support/database.ts';
import { registerThroughApi } from './support/setup.ts';

test('a removal policy set in Settings shows on a silent server', async ({ page, api, licenseServer, shot }) => {
  const silent = licenseServer('silent');
  const registration = await registerThroughApi(api, silent);
  // Silent for five days: Not reporting; a 7-day policy removes it after the three days' warning.
  await silenceFor(registration.id, 5);

  await page.goto(PRODUCT_REGISTRATIONS);
  const row = page.getByRole('row').filter({ hasText: silent.serverName });
  await expect(row).toContainText('Not reporting');
  await expect(row).not.toContainText('Removed');

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const policy = dialog.getByRole('checkbox', {
    name: 'Remove registrations that have not reported for a number of days',
  });
  await expect(policy).not.toBeChecked();
  await policy.check();
  const days = dialog.getByRole('spinbutton', { name: 'Days without a report' });
  await days.fill('3');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Days must be a whole number from 7 to 365.')).toBeVisible();
  await days.fill('7');
  await shot('stale-settings-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('have not reported for 7 days are removed');

  await expect(row).toContainText('Removed in 3 days unless it reports');
  await shot('stale-removal-note');
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(row).toContainText('Removed in 3 days unless it reports');
  await shot('stale-removal-note-390');

  // Saved: the dialog opens on the stored policy; turning it off takes the note away.
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(policy).toBeChecked();
  await expect(days).toHaveValue('7');
  await policy.uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Not reporting');
  await expect(row).not.toContainText('Removed');
});
