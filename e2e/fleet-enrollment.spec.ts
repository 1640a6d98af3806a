import { request, type Page } from '@playwright/test';
import { unique } from './support/accounts.ts';
import { baseUrl, expect, PRODUCT_REGISTRATIONS, signInThroughUi, test } from './support/fixtures.ts';
import type { LicenseServer } from './support/license-server.ts';
import { atBothWidths } from './support/widths.ts';

const REGISTRATION_KEYS = '/iam/api-access/registration-keys';

/** The CLI's exit codes for a registration waiting for approval and for a refused key. */
const EXIT_PENDING_APPROVAL = 16;
const EXIT_KEY_REFUSED = 18;

interface KeyOptions {
  description: string;
  automatic: boolean;
  maxUses?: number;
  tags: string;
}

/** Fills in "Create registration key" as an admin would; answers the secret it shows once. */
async function createKey(page: Page, options: KeyOptions): Promise<string> {
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create registration key' });
  await dialog.getByRole('textbox', { name: 'Description' }).fill(options.description);
  if (options.maxUses === undefined) {
    await dialog.getByRole('checkbox', { name: 'Unlimited uses' }).check();
    await expect(dialog.getByRole('spinbutton', { name: 'Maximum uses' })).toBeDisabled();
  } else {
    await dialog.getByRole('spinbutton', { name: 'Maximum uses' }).fill(String(options.maxUses));
  }
  await dialog.getByRole('spinbutton', { name: 'Expires after (days)' }).fill('7');
  // "Require approval" is chosen at first: a leaked key then registers nothing by itself.
  await expect(dialog.getByRole('radio', { name: 'Require approval' })).toBeChecked();
  if (options.automatic) await dialog.getByRole('radio', { name: 'Approve automatically' }).check();
  await dialog.getByRole('textbox', { name: 'Tags' }).fill(options.tags);
  await dialog.getByRole('button', { name: 'Create' }).click();

  const secret = await dialog.getByRole('textbox', { name: 'Registration key' }).inputValue();
  expect(secret).toMatch(/^lsreg_[A-Za-z0-9_-]{43}$/);
  await expect(dialog.getByRole('textbox', { name: 'Command' })).toHaveValue(`license-server register --key ${secret}`);
  await expect(dialog.getByRole('button', { name: 'Copy key' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Copy command' })).toBeVisible();
  await expect(dialog).toContainText('shown only now');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return secret;
}

/** `license-server register --key`, the real CLI in its own state directory. */
const registerWithKey = (server: LicenseServer, secret: string) =>
  server.run('register', '--key', secret, '--server-name', server.serverName, '--hostname', server.hostname);

// Every test starts signed in (the `api` fixture), on the Registration keys page.
test.beforeEach(async ({ page, api: _signedIn }) => {
  await page.goto(REGISTRATION_KEYS);
});

test('a key registers servers by itself, or for an admin to approve in bulk; a revoked key registers nothing', async ({
  page,
  licenseServer,
  shot,
}) => {
  await expect(page.getByRole('heading', { name: 'Registration keys', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No registration keys yet' })).toBeVisible();

  // Automatic approval: the CLI is registered when register returns.
  const automatic = await createKey(page, {
    description: 'Berlin rollout',
    automatic: true,
    maxUses: 5,
    tags: 'berlin, e2e',
  });
  const autoRow = page.getByRole('row').filter({ hasText: 'Berlin rollout' });
  await expect(autoRow).toContainText('Automatic');
  await expect(autoRow).toContainText('0 of 5');
  await expect(autoRow).toContainText('Active');
  await expect(autoRow).toContainText('berlin, e2e');

  const byKey = licenseServer('bykey');
  const registered = await registerWithKey(byKey, automatic);
  expect(registered.code, registered.stderr).toBe(0);
  expect(registered.stdout).toContain('Registered to');
  await page.reload();
  await expect(autoRow).toContainText('1 of 5');

  // Manual approval: two servers wait until the admin approves both at once.
  const manual = await createKey(page, { description: 'Lab servers', automatic: false, tags: 'lab' });
  await expect(page.getByRole('row').filter({ hasText: 'Lab servers' })).toContainText('Requires approval');
  const waiting = [licenseServer('wait'), licenseServer('wait')];
  for (const server of waiting) {
    const exit = await registerWithKey(server, manual);
    expect(exit.code, exit.stderr).toBe(EXIT_PENDING_APPROVAL);
    expect(exit.stdout).toContain('waits for an admin');
  }
  await page.reload();
  await atBothWidths(page, 'registration-keys', shot);
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto(`${PRODUCT_REGISTRATIONS}?status=pending-approval`);
  for (const server of waiting) {
    const row = page.getByRole('row').filter({ hasText: server.serverName });
    await expect(row).toContainText('Pending approval');
    await page.getByRole('checkbox', { name: `Select ${server.serverName}` }).check();
  }
  await expect(page.getByRole('row').filter({ hasText: byKey.serverName })).toHaveCount(0);
  await page.getByRole('button', { name: 'Approve selected (2)' }).click();
  const approve = page.getByRole('alertdialog', { name: 'Approve registrations' });
  for (const server of waiting) await expect(approve).toContainText(server.serverName);
  await expect(approve.getByRole('button', { name: 'Deny' })).toHaveCount(0);
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(approve).toBeHidden();
  await expect(page.getByRole('status')).toContainText('2 registrations are approved.');
  for (const server of waiting)
    await expect(page.getByRole('row').filter({ hasText: server.serverName })).toHaveCount(0);

  // Each CLI's next poll gets its credential.
  for (const server of waiting) {
    const status = await server.run('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Registered to');
  }

  // Revoking: the key's servers stay registered, and the key registers nothing more.
  await page.goto(REGISTRATION_KEYS);
  await expect(
    page.getByRole('row').filter({ hasText: 'Lab servers' }).getByRole('cell', { name: '2', exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Actions for Berlin rollout' }).click();
  await page.getByRole('menuitem', { name: 'Revoke key' }).click();
  const revoke = page.getByRole('alertdialog', { name: 'Revoke registration key' });
  await expect(revoke).toContainText('Berlin rollout');
  await expect(revoke).toContainText('stay registered');
  await revoke.getByRole('button', { name: 'Revoke' }).click();
  await expect(revoke).toBeHidden();
  await expect(autoRow).toContainText('Revoked');
  await expect(page.getByRole('button', { name: 'Actions for Berlin rollout' })).toHaveCount(0);
  const refused = await registerWithKey(licenseServer('late'), automatic);
  expect(refused.code, refused.stderr).toBe(EXIT_KEY_REFUSED);
  expect((await byKey.run('status')).code).toBe(0);
});

test('Deny selected refuses the waiting servers; the CLI is told so', async ({ page, licenseServer, shot }) => {
  // A bad tag is named in an alert, and nothing is created.
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create registration key' });
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Bad tags');
  await dialog.getByRole('textbox', { name: 'Tags' }).fill('good, Not_Good');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toContainText('“Not_Good” is not a valid tag');
  await atBothWidths(page, 'create-registration-key', shot);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'No registration keys yet' })).toBeVisible();

  const secret = await createKey(page, { description: 'To refuse', automatic: false, maxUses: 3, tags: '' });
  const server = licenseServer('deny');
  expect((await registerWithKey(server, secret)).code).toBe(EXIT_PENDING_APPROVAL);

  await page.goto(`${PRODUCT_REGISTRATIONS}?status=pending-approval`);
  await page.getByRole('checkbox', { name: `Select ${server.serverName}` }).check();
  await page.getByRole('button', { name: 'Deny selected (1)' }).click();
  const deny = page.getByRole('alertdialog', { name: 'Deny registrations' });
  await expect(deny).toContainText(server.serverName);
  await deny.getByRole('button', { name: 'Deny' }).click();
  await expect(deny).toBeHidden();
  await expect(page.getByRole('status')).toContainText('1 registration is denied.');

  const status = await server.run('status');
  expect(status.stderr).toContain('error: an admin denied this registration.');
});

test('a read-only admin sees the keys and the waiting servers, but cannot create, revoke, approve or deny', async ({
  page,
  api,
  account,
  licenseServer,
}) => {
  const secret = await createKey(page, { description: 'Audited rollout', automatic: false, maxUses: 2, tags: 'audit' });
  const server = licenseServer('ro-wait');
  expect((await registerWithKey(server, secret)).code).toBe(EXIT_PENDING_APPROVAL);

  const email = `${unique('keys-auditor')}@e2e.example.com`;
  const added = await page.request.post('/api/console/admins', {
    headers: { Origin: baseUrl(), 'X-CSRF-Token': api.session.csrfToken },
    data: { email, role: 'read-only' },
  });
  expect(added.status(), await added.text()).toBe(201);
  // Invited: the new admin chooses a password by the link's token (as the Accept invitation page posts it).
  const { invitationUrl } = (await added.json()) as { invitationUrl: string };
  const password = 'a read-only auditor passphrase';
  // From a context of its own, so the page's cookies stay the full admin's.
  const invitee = await request.newContext({ baseURL: baseUrl() });
  const accepted = await invitee.post('/api/console/invitations/accept', {
    headers: { Origin: baseUrl() },
    data: { token: new URL(invitationUrl).hash.replace('#token=', ''), password },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  await invitee.dispose();
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out once the sign-in page shows; a navigation before that would race the sign-out.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto(REGISTRATION_KEYS);
  await signInThroughUi(page, { customerName: account.customerName, email, password });

  const row = page.getByRole('row').filter({ hasText: 'Audited rollout' });
  await expect(row).toContainText('1 of 2');
  await expect(page.getByRole('button', { name: 'Create key' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Actions for Audited rollout' })).toHaveCount(0);

  await page.goto(`${PRODUCT_REGISTRATIONS}?status=pending-approval`);
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toContainText('Pending approval');
  await expect(page.getByRole('checkbox', { name: `Select ${server.serverName}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Approve|Deny) selected/ })).toHaveCount(0);
});
