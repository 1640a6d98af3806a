import { expect, PRODUCT_REGISTRATIONS, signInThroughUi, test } from './support/fixtures.ts';
import { unique } from './support/accounts.ts';
import { registerThroughApi } from './support/setup.ts';
import { atBothWidths } from './support/widths.ts';

test('a read-only administrator sees every page but no control that changes anything', async ({
  page,
  api,
  account,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('ro');
  await registerThroughApi(api, server);

  await page.goto('/iam/administrators');
  await expect(page.getByRole('heading', { name: 'Administrators' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: account.email })).toContainText('Full access');

  await page.getByRole('button', { name: 'Invite administrator' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite administrator' });
  const email = `${unique('auditor')}@e2e.example.com`;
  await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
  await dialog.getByRole('radio', { name: 'Read-only' }).check();
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  const link = await dialog.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  expect(link).toMatch(/\/accept-invitation#token=[\w-]{43}$/);
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Read-only');
  await expect(row).toContainText('Invited');
  await expect(page.getByRole('button', { name: `Actions for ${email}` })).toBeVisible();
  await atBothWidths(page, 'administrators', shot);

  // Sign out; the invitee follows the link, chooses a password and is signed in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Accept invitation' })).toBeVisible();
  const password = 'violet lantern 42 harbour';
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill(password);
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(
    `Invitation accepted. You are signed in to ${account.customerName}.`,
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out once the sign-in page shows; a navigation before that would race the sign-out.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto(PRODUCT_REGISTRATIONS);
  await signInThroughUi(page, { customerName: account.customerName, email, password });
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Actions for ${server.serverName}` })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: `Select ${server.serverName}` })).toHaveCount(0);

  await page.goto('/iam/administrators');
  await expect(page.getByRole('row').filter({ hasText: account.email })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Invite administrator' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Actions for / })).toHaveCount(0);

  await page.goto('/iam/api-access/secure-clients');
  await expect(page.getByRole('heading', { name: 'Secure Clients' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create client' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Invited administrator' }).first()).toBeVisible();
  // The details in words, not the raw fields the CSV export keeps.
  const invited = page.getByRole('row').filter({ hasText: 'Invited administrator' }).first();
  await expect(invited).toContainText(/invitation email (not )?sent/);
  await expect(invited).not.toContainText('emailSent');
  await atBothWidths(page, 'audit-log', shot);
});
