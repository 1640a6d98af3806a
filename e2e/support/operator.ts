import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import type { TSessionResponse } from '@reg/contracts/console-api';
import { Secret, TOTP } from 'otpauth';
import { createAccount, operator, type Account } from './accounts.ts';
import { baseUrl } from './env.ts';

/** A password the policy takes (long, random, nothing of the email in it). */
export const strongPassword = () => `pw-${randomBytes(12).toString('base64url')}`;

/**
 * A customer whose first admin has an operator-set password, temporary as it is by default:
 * the first sign-in must change it.
 */
export const createAccountWithTemporaryPassword = (label: string) =>
  createAccount(label, { password: strongPassword(), temporaryPassword: true });

/**
 * Adds `email` to a customer with a permanent password. For a person who already administers
 * another customer, it only adds the membership (the person keeps their password).
 */
export async function addAdmin(customerName: string, email: string, password: string, role = 'full') {
  await operator([
    'add-admin',
    '--customer',
    customerName,
    '--email',
    email,
    '--password',
    password,
    '--role',
    role,
    '--permanent-password',
  ]);
}

/** The code an authenticator app shows for `secret`, `aheadMs` from now (the server takes the next step's too). */
export const totpCode = (secret: string, aheadMs = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + aheadMs,
  });

/**
 * Setup through the API, not under test here: `account` signs in on its own request context,
 * turns two-step verification on and makes the customer require it of every admin.
 */
export async function requireTwoStepOfEveryAdmin(request: APIRequestContext, account: Account) {
  const headers = { Origin: baseUrl() };
  const signIn = await request.post('/api/console/session', {
    headers,
    data: { email: account.email, password: account.password },
  });
  expect(signIn.status(), await signIn.text()).toBe(200);
  const session = (await signIn.json()) as TSessionResponse;
  const csrf = { ...headers, 'X-CSRF-Token': session.csrfToken };
  const start = await request.post('/api/console/session/mfa/totp', { headers: csrf, data: {} });
  expect(start.status(), await start.text()).toBe(200);
  const { secret } = (await start.json()) as { secret: string };
  const confirm = await request.post('/api/console/session/mfa/totp/confirm', {
    headers: csrf,
    data: { code: totpCode(secret) },
  });
  expect(confirm.status(), await confirm.text()).toBe(200);
  const settings = await request.put('/api/console/settings', { headers: csrf, data: { requireMfa: true } });
  expect(settings.status(), await settings.text()).toBe(200);
}
