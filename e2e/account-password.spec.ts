import { expect, signInThroughUi, test } from './support/fixtures.ts';

test('an administrator changes their password on the Account page and signs in with it', async ({
  page,
  api,
  account,
}) => {
  // Signed in through the API (the `api` fixture); the page under test is the Account page.
  void api;
  await page.goto('/iam/administrators');
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  await expect(page.getByText('(This session)')).toBeVisible();

  const section = page.getByRole('region', { name: 'Password' });
  await section.getByRole('textbox', { name: 'Current password' }).fill(account.password);
  await section.getByRole('textbox', { name: 'New password', exact: true }).fill('1q2w3e4r5t6y');
  await section.getByRole('textbox', { name: 'Confirm new password' }).fill('1q2w3e4r5t6y');
  await section.getByRole('button', { name: 'Change password' }).click();
  // A common password is refused with the rules named.
  await expect(section.getByRole('alert')).toContainText('not a common one');

  const chosen = 'copper meadow 77 lighthouse';
  await section.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
  await section.getByRole('textbox', { name: 'Confirm new password' }).fill(chosen);
  await section.getByRole('button', { name: 'Change password' }).click();
  await expect(section.getByRole('status')).toContainText('Your password is changed');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signInThroughUi(page, { ...account, password: chosen });
  // Back where the admin was, signed in with the new password.
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
});

test('"Forgot password?" answers in the same words for any address', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot password' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Email' }).fill('nobody-at-all@e2e.example.com');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If this address belongs to an administrator');
});

test('a reset link that is unknown says so and offers a new one', async ({ page }) => {
  await page.goto('/reset-password#token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await expect(page.getByRole('heading', { name: 'Reset password' })).toBeVisible();
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('copper meadow 77 lighthouse');
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill('copper meadow 77 lighthouse');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('alert')).toContainText('unknown or was used');
  await expect(page.getByRole('link', { name: 'Forgot password?' })).toBeVisible();
});
