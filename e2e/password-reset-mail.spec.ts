import { expect, signInThroughUi, test } from './support/fixtures.ts';
import { newestMailedLink } from './support/mail.ts';

test('"Forgot password?" mails a link that sets a new password once; the old password stops working', async ({
  page,
  account,
}) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot password' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Email' }).fill(account.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If this address belongs to an administrator');

  // The mail is sent after the answer (through the outbox): wait for it as a reader would.
  await expect
    .poll(() => newestMailedLink(account.email, '/reset-password'), { timeout: 30_000 })
    .toMatch(/#token=[\w-]{43}$/);
  const link = newestMailedLink(account.email, '/reset-password')!;
  expect(new URL(link).origin).toBe(new URL(page.url()).origin);

  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Reset password' })).toBeVisible();
  // The token leaves the address bar (and the history) at once.
  await expect.poll(() => new URL(page.url()).hash).toBe('');
  const chosen = 'saffron viaduct 31 otter';
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(chosen);
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill(chosen);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is reset');

  // The old password no longer signs in.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await signInThroughUi(page, account);
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

  // The new one does.
  await page.getByRole('textbox', { name: 'Password' }).fill(chosen);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();

  // The link works once.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto(link);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('another 90 river stone');
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill('another 90 river stone');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('alert')).toContainText('unknown or was used');
  await expect(page.getByRole('link', { name: 'Forgot password?' })).toBeVisible();

  // A newer link opened in this same tab (only the fragment changes, no page load) is taken.
  const again = await page.request.post('/api/console/password-reset', {
    headers: { Origin: new URL(page.url()).origin },
    data: { email: account.email },
  });
  expect(again.status()).toBe(202);
  await expect.poll(() => newestMailedLink(account.email, '/reset-password'), { timeout: 30_000 }).not.toBe(link);
  await page.goto(newestMailedLink(account.email, '/reset-password')!);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('another 90 river stone');
  await page.getByRole('textbox', { name: 'Confirm new password' }).fill('another 90 river stone');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is reset');
});
