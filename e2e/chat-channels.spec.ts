import { expect, test } from './support/fixtures.ts';
import { startReceiver } from './support/receiver.ts';

test('a Slack channel added on the Notifications page shows only a masked URL and gets a Block Kit test', async ({
  page,
  api,
  shot,
}) => {
  void api; // signed in
  // A Slack-style incoming webhook.
  const receiver = await startReceiver('/services/T000/B000/e2eSecretAb12', 200);
  try {
    await page.goto('/iam/notifications');
    await page.getByRole('button', { name: 'Add channel' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add notification channel' });
    await dialog.getByRole('radio', { name: 'Microsoft Teams' }).check();
    await expect(dialog.getByRole('textbox', { name: 'URL' })).toBeVisible();
    await dialog.getByRole('radio', { name: 'Slack' }).check();
    await dialog.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
    await dialog.getByRole('checkbox', { name: 'Audit events (every entry of the audit log)' }).check();
    await shot('notifications-add-slack');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();

    // No secret to show: the dialog closes, and the URL is never shown whole again.
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('dialog', { name: 'Channel added' })).toHaveCount(0);
    const masked = `http://127.0.0.1:${receiver.port}/…Ab12`;
    const row = page.getByRole('row').filter({ hasText: masked });
    await expect(row).toContainText('Slack');
    await expect(page.getByText('e2eSecret')).toHaveCount(0);

    await row.getByRole('button', { name: 'Send test' }).click();
    await expect
      .poll(() => receiver.received.some(({ body }) => body.includes('Test notification')), {
        timeout: 15_000,
      })
      .toBe(true);
    const test = JSON.parse(receiver.received.find(({ body }) => body.includes('Test notification'))!.body);
    expect(test.text).toBe('Test notification');
    expect(test.blocks.map((block: { type: string }) => block.type)).toEqual(['section', 'context']);
  } finally {
    await receiver.close();
  }
});
