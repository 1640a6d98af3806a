import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.ts';
import { startReceiver } from './support/receiver.ts';

const NOTIFICATIONS = '/iam/notifications';

test('a webhook channel added on the Notifications page receives a signed test, shown as delivered', async ({
  page,
  api,
  shot,
}) => {
  void api; // signed in
  const receiver = await startReceiver('/hooks/license-servers', 204);
  try {
    await page.goto('/iam/api-access/product-registrations');
    await page
      .getByRole('navigation', { name: 'Identity and Access Management' })
      .getByRole('link', { name: 'Notifications' })
      .click();
    await expect(page).toHaveURL(new RegExp(`${NOTIFICATIONS}$`));
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No channels yet' })).toBeVisible();

    await page.getByRole('button', { name: 'Add channel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add notification channel' });
    await expect(dialog.getByRole('radio', { name: 'Webhook' })).toBeChecked();
    await dialog.getByRole('textbox', { name: 'URL' }).fill('ftp://example.com/hook');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(dialog.getByText('URL must be an http(s) URL.')).toBeVisible();

    await dialog.getByRole('radio', { name: 'Email' }).check();
    await expect(dialog.getByRole('textbox', { name: 'Email address' })).toBeVisible();
    await dialog.getByRole('radio', { name: 'Webhook' }).check();
    await dialog.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
    await expect(dialog.getByRole('checkbox', { name: 'Server stops reporting' })).toBeChecked();
    await dialog.getByRole('checkbox', { name: 'Usage in overdraft' }).check();
    await shot('notifications-add-channel');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();

    const added = page.getByRole('dialog', { name: 'Channel added' });
    const secret = await added.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await expect(added.getByRole('button', { name: 'Copy signing secret' })).toBeVisible();
    await expect(added).toContainText('will not be shown again');
    await added.getByRole('button', { name: 'Done' }).click();
    await expect(added).toBeHidden();
    await expect(page.getByText(secret)).toHaveCount(0);

    const row = page.getByRole('row').filter({ hasText: receiver.url });
    await expect(row).toContainText('Webhook');
    await expect(row).toContainText('Usage in overdraft');
    await expect(row).toContainText('None yet');
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect(page.getByRole('status')).toContainText('A test is on its way');

    // The delivery loop of the running server sends it; the receiver checks the Standard Webhooks signature.
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
    const [request] = receiver.received;
    const id = String(request!.headers['webhook-id']);
    const timestamp = String(request!.headers['webhook-timestamp']);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request!.body}`).digest('base64');
    expect(request!.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'test' });

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('dialog', { name: 'Deliveries' });
    const attempt = log.getByRole('row').filter({ hasText: 'Test' });
    await expect(attempt).toContainText('Delivered');
    await expect(attempt).toContainText('HTTP 204');
    await shot('notifications-deliveries');
    await log.getByRole('button', { name: 'Close' }).click();
    await expect(row).toContainText('Delivered');

    await page.setViewportSize({ width: 390, height: 844 });
    await shot('notifications-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: `Stop notifying ${receiver.url}?` });
    await confirm.getByRole('button', { name: 'Delete channel' }).click();
    await expect(row).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'No channels yet' })).toBeVisible();
  } finally {
    await receiver.close();
  }
});

/** The newest confirmation link the server wrote to its log (SMTP_URL=log) for `address`. */
function confirmationLinkFor(address: string): string | null {
  const log = readFileSync(process.env.E2E_SERVER_LOG!, 'utf8');
  const mails = log.split(`Mail (SMTP_URL=log) to ${address}:`).slice(1);
  const link = mails.at(-1)?.match(/^(http\S+\/iam\/notifications\/confirm#\S+)$/m);
  return link?.[1] ?? null;
}

test('an email channel gets events only once the link mailed to the address is followed', async ({ page, api }) => {
  void api; // signed in
  const address = `ops-${Date.now()}@e2e.example.com`;
  await page.goto(NOTIFICATIONS);
  await page.getByRole('button', { name: 'Add channel' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add notification channel' });
  await dialog.getByRole('radio', { name: 'Email' }).check();
  await dialog.getByRole('textbox', { name: 'Email address' }).fill(address);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`A confirmation link went to ${address}`);

  const row = page.getByRole('row').filter({ hasText: address });
  await expect(row).toContainText('Awaiting confirmation');
  await expect(row.getByRole('button', { name: 'Send test' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Resend link' })).toBeVisible();

  await expect.poll(() => confirmationLinkFor(address), { timeout: 15_000 }).not.toBeNull();
  const link = confirmationLinkFor(address)!;
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByRole('heading', { name: 'Confirm email notifications' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Confirmed: notifications now go to this address.');
  // The token left the address bar at once.
  expect(new URL(page.url()).hash).toBe('');

  await page.getByRole('link', { name: 'Go to Notifications' }).click();
  await expect(row).not.toContainText('Awaiting confirmation');
  await expect(row.getByRole('button', { name: 'Send test' })).toBeVisible();

  // The link works once.
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByRole('status')).toContainText('Not confirmed');
});
