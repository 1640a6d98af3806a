import { unique } from './support/accounts.ts';
import { expect, signInThroughUi, test } from './support/fixtures.ts';
import {
  addAdmin,
  createAccountWithTemporaryPassword,
  requireTwoStepOfEveryAdmin,
  strongPassword,
  totpCode,
} from './support/operator.ts';

test('a temporary password must be changed before anything else, then the console opens', async ({ page }) => {
  const account = await createAccountWithTemporaryPassword('temporary');
  await page.goto('/audit');
  await signInThroughUi(page, account);

  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('heading', { name: 'Change your password', level: 1 })).toBeVisible();
  // Only the password: no other section, and no way to the other pages.
  await expect(page.getByRole('heading', { name: 'Sessions' })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  for (const path of ['/iam/administrators', '/licensing/license-servers', '/settings/sign-in', '/audit']) {
    await page.goto(path);
    await expect(page).toHaveURL('/account');
    await expect(page.getByRole('heading', { name: 'Change your password', level: 1 })).toBeVisible();
  }
  // The API refuses the session too, whatever the page does.
  const refused = await page.request.get('/api/console/admins');
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toBe('password_change_required');

  const section = page.getByRole('region', { name: 'Change your password' });
  const chosen = 'amber quarry 58 willow';
  await section.getByRole('textbox', { name: 'Current password' }).fill(account.password);
  await section.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
  await section.getByRole('textbox', { name: 'Confirm new password' }).fill(chosen);
  await section.getByRole('button', { name: 'Change password' }).click();
  // Let through, on to the page it last asked for, with the navigation back.
  await expect(page).toHaveURL('/audit');
  await expect(page.getByRole('status')).toContainText('Your password is changed.');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Changed password' }).first()).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Licensing' }).click();
  await expect(page.getByRole('heading', { name: 'License Servers', exact: true })).toBeVisible();
});

test('a customer that requires two-step verification sends an admin without it to set it up first', async ({
  page,
  request,
  account,
}) => {
  await requireTwoStepOfEveryAdmin(request, account);
  const newcomer = {
    customerName: account.customerName,
    email: `${unique('newcomer')}@e2e.example.com`,
    password: strongPassword(),
  };
  await addAdmin(account.customerName, newcomer.email, newcomer.password);

  await page.goto('/licensing/license-servers');
  await signInThroughUi(page, newcomer);
  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('heading', { name: 'Set up two-step verification', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Password' })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  for (const path of ['/licensing/license-servers', '/iam/api-access/registration-keys', '/audit']) {
    await page.goto(path);
    await expect(page).toHaveURL('/account');
  }
  const refused = await page.request.get('/api/console/registrations');
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: string }).error).toBe('mfa_enrollment_required');

  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set up two-step verification' });
  const secret = await dialog.getByRole('textbox', { name: 'Secret' }).inputValue();
  await dialog.getByRole('textbox', { name: 'Verification code' }).fill(totpCode(secret));
  await dialog.getByRole('button', { name: 'Verify' }).click();
  // The codes stay on screen until put away, although the session is no longer restricted.
  await expect(dialog.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // On to the page it last asked for; every page opens now.
  await expect(page).toHaveURL('/audit');
  await expect(page.getByRole('status')).toContainText('Two-step verification is on.');
  await page.goto('/licensing/license-servers');
  await expect(page.getByRole('heading', { name: 'License Servers', exact: true })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('region', { name: 'Two-step verification' })).toContainText('On');
});
