import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './support/fixtures.ts';

/** A Slack-style incoming webhook: a real HTTP server on this machine. */
async function startReceiver() {
  const received: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/services/T000/B000/e2eSecretAb12`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a Slack channel added on the Notifications page shows only a masked URL and gets a Block Kit test', async ({
  page,
  api,
  shot,
}) => {
  void api; // signed in
  const receiver = await startReceiver();
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
      .poll(() => receiver.received.some((body) => body.includes('Test notification')), {
        timeout: 15_000,
      })
      .toBe(true);
    const test = JSON.parse(receiver.received.find((body) => body.includes('Test notification'))!);
    expect(test.text).toBe('Test notification');
    expect(test.blocks.map((block: { type: string }) => block.type)).toEqual(['section', 'context']);
  } finally {
    await receiver.close();
  }
});
