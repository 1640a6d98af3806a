import { ZTokenResponse } from '@reg/contracts/api-clients-api';
import { unique } from './support/accounts.ts';
import { baseUrl, expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

const SECURE_CLIENTS = '/iam/api-access/secure-clients';

/** The script's side, outside the browser: Node's fetch, no cookie, no Origin. */
async function getToken(clientId: string, clientSecret: string) {
  const response = await fetch(`${baseUrl()}/api/v1/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ZTokenResponse.parse(await response.json());
}

const withBearer = (token: string, path: string, method = 'GET') =>
  fetch(`${baseUrl()}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });

test('an API client made in Secure Clients removes a registration from a script, audited under its name', async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('scripted');
  const registration = await registerThroughApi(api, server);
  const clientName = unique('Cleanup bot');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();
  await page.getByRole('navigation', { name: 'API Access' }).getByRole('link', { name: 'Secure Clients' }).click();
  await expect(page).toHaveURL(new RegExp(`${SECURE_CLIENTS}$`));
  await expect(page.getByRole('heading', { name: 'Secure Clients', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No API clients yet' })).toBeVisible();
  // The example calls this very console.
  await expect(page.getByText(`${baseUrl()}/api/v1/token`)).toBeVisible();

  await page.getByRole('button', { name: 'Create client' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create client' });
  const name = dialog.getByRole('textbox', { name: 'Name' });
  await expect(name).toBeFocused();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialog.getByText('Name must not be empty.')).toBeVisible();
  await name.fill('x'.repeat(101));
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialog.getByText('Name must be at most 100 characters.')).toBeVisible();
  await name.fill(clientName);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();

  const created = page.getByRole('dialog', { name: 'Client created' });
  await expect(created).toContainText('will not be shown again');
  const clientId = await created.getByRole('textbox', { name: 'Client ID' }).inputValue();
  const clientSecret = await created.getByRole('textbox', { name: 'Client secret' }).inputValue();
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
  expect(clientSecret.length).toBeGreaterThan(20);

  await created.getByRole('button', { name: 'Copy secret' }).click();
  await expect(created.getByRole('status').filter({ hasText: 'Copied' })).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientSecret);
  await created.getByRole('button', { name: 'Copy client ID' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
  await shot('secure-client-created');

  await created.getByRole('button', { name: 'Done' }).click();
  await expect(created).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: clientName });
  await expect(row).toContainText(clientId);
  await expect(row).toContainText('Never');
  // The secret is nowhere on the page once the dialog is closed.
  await expect(page.getByText(clientSecret)).toHaveCount(0);
  await shot('secure-clients');

  // The script: token exchange, then the removal.
  const { access_token: token, token_type, expires_in } = await getToken(clientId, clientSecret);
  expect(token_type).toBe('Bearer');
  expect(expires_in).toBe(900);
  const removal = await withBearer(token, `/api/console/registrations/${registration.id}`, 'DELETE');
  expect(removal.status, await removal.text()).toBe(204);

  await page.goto(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  // Every registration is gone: the page says none are registered now and points to their history.
  const empty = page.getByRole('region', { name: 'No products are registered now' });
  await expect(empty).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toHaveCount(0);

  await empty.getByRole('link', { name: 'Audit log' }).click();
  // The client's two entries: the token it was issued, then the removal it made.
  const entries = page.getByRole('row').filter({ hasText: `${clientName} (API client)` });
  await expect(entries).toHaveCount(2);
  await expect(entries.filter({ hasText: 'Issued an API token' })).toHaveCount(1);
  const entry = entries.filter({ hasText: 'Removed registration (by an API client)' });
  await expect(entry).toContainText(server.serverName);
  await shot('audit-api-client');

  // Deleting the client ends its token at once.
  await page.goto(SECURE_CLIENTS);
  await expect(row).not.toContainText('Never');
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: `Delete ${clientName}?` });
  await expect(confirm).toContainText('stop working at once');
  await confirm.getByRole('button', { name: 'Delete client' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('status')).toContainText(`${clientName} is deleted`);
  await expect(page.getByRole('heading', { name: 'No API clients yet' })).toBeVisible();

  const afterDelete = await withBearer(token, '/api/console/registrations');
  expect(afterDelete.status).toBe(401);
});

// `api` signs the page in.
test('the audit log shows a client made in this visit without a reload', async ({ page, api: _signedIn }) => {
  const clientName = unique('Audited bot');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: clientName })).toHaveCount(0);

  // In-app links only: the audit log's cached page is what shows when it is opened again.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Identity and Access Management' })
    .click();
  await page.getByRole('navigation', { name: 'API Access' }).getByRole('link', { name: 'Secure Clients' }).click();
  await page.getByRole('button', { name: 'Create client' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create client' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(clientName);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('dialog', { name: 'Client created' }).getByRole('button', { name: 'Done' }).click();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(
    page.getByRole('row').filter({ hasText: clientName }).filter({ hasText: 'Created API client' }),
  ).toHaveCount(1);
});
