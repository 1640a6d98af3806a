import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { startTestIdp, type TestIdp } from '../apps/api/test/helpers/oidc-provider.ts';
import type { Account } from './support/accounts.ts';
import { baseUrl, expect, test } from './support/fixtures.ts';

let idp: TestIdp;

test.beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${baseUrl()}/api/console/sso/callback` });
});

test.afterAll(async () => {
  await idp?.close();
});

/** Single sign-on for the account's customer, through the API as the console's settings page would. */
async function setUpSso(page: Page, account: Account): Promise<string> {
  const signedIn = await page.request.post('/api/console/session', {
    headers: { Origin: baseUrl() },
    data: { email: account.email, password: account.password },
  });
  expect(signedIn.status()).toBe(200);
  const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
  const domain = `sso-${randomBytes(4).toString('hex')}.example.com`;
  const saved = await page.request.put('/api/console/settings/sso', {
    headers: { Origin: baseUrl(), 'X-CSRF-Token': csrfToken },
    data: {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      emailDomains: [domain],
      fullAdminGroups: ['console-admins'],
      justInTime: true,
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  // Signed out again: what follows is a new visitor's sign-in.
  await page.context().clearCookies();
  return domain;
}

async function signInWithSso(page: Page, email: string, username: string) {
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('signs in through the identity provider, creating the administrator on first sign-in', async ({
  page,
  account,
}) => {
  const domain = await setUpSso(page, account);
  const username = `user-${randomBytes(3).toString('hex')}`;
  idp.setUser(username, { email: `${username}@${domain}`, email_verified: true, groups: ['console-admins'] });

  await signInWithSso(page, `${username}@${domain}`, username);

  await expect(page.getByText(`${username}@${domain}`)).toBeVisible();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Sign-in', level: 1 })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Issuer URL' })).toHaveValue(idp.issuer);
  await expect(page.getByText('Saved; leave empty to keep')).toBeVisible();
});

test('an identity in no mapped group is refused with a clear message', async ({ page, account }) => {
  const domain = await setUpSso(page, account);
  const username = `user-${randomBytes(3).toString('hex')}`;
  idp.setUser(username, { email: `${username}@${domain}`, email_verified: true, groups: ['marketing'] });

  await signInWithSso(page, `${username}@${domain}`, username);

  await expect(page).toHaveURL(/\/sign-in\?error=sso_no_group/);
  await expect(page.getByRole('alert')).toContainText('does not put you in a group that gives access');
  // The email typed before the round trip is still there for the next try.
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveValue(`${username}@${domain}`);
});

test('single sign-on needs an email first', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await expect(page.getByText('Email is required for single sign-on.')).toBeVisible();
  await expect(page).toHaveURL('/sign-in');
});
