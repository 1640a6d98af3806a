import { Secret, TOTP } from 'otpauth';
import { expect, signInThroughUi, test } from './support/fixtures.ts';

/** The code an authenticator app would show `aheadMs` from now (the server takes the next step's code too). */
const codeFor = (secret: string, aheadMs = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + aheadMs,
  });

test('an administrator sets up two-step verification, then signs in with a code and with a recovery code', async ({
  page,
  api,
  account,
}) => {
  test.setTimeout(120_000);
  void api;
  await page.goto('/account');
  const section = page.getByRole('region', { name: 'Two-step verification' });
  await expect(section).toContainText('Off');
  await section.getByRole('button', { name: 'Set up two-step verification' }).click();

  const dialog = page.getByRole('dialog', { name: 'Set up two-step verification' });
  await expect(dialog.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = await dialog.getByRole('textbox', { name: 'Secret' }).inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await dialog.getByRole('textbox', { name: 'Verification code' }).fill('000000');
  await dialog.getByRole('button', { name: 'Verify' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The code is wrong');
  await dialog.getByRole('textbox', { name: 'Verification code' }).fill(codeFor(secret));
  await dialog.getByRole('button', { name: 'Verify' }).click();

  const codes = dialog.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!;
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Download' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(section).toContainText('On');
  await expect(section.getByRole('button', { name: 'Turn off two-step verification' })).toBeVisible();

  // Signed out, then in with the password and a code from the app.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signInThroughUi(page, account);
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  // The next step's code: the one that confirmed the enrolment was used.
  await page.getByRole('textbox', { name: 'Verification code' }).fill(codeFor(secret, 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

  // Again, with a recovery code instead.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signInThroughUi(page, account);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByRole('textbox', { name: 'Recovery code' }).fill(recoveryCode.toLowerCase());
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('region', { name: 'Two-step verification' })).toContainText('9 unused recovery codes');
});
