import { baseUrl, expect, PRODUCT_REGISTRATIONS, signInThroughUi, test } from './support/fixtures.ts';

// Each test: its own customer and admin (operator CLI) and License Servers with unique names.

test('a License Server registers with the code it prints, then reports', async ({
  page,
  account,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('reg');
  const { code, process: cli } = await server.register();

  await page.goto('/sign-in');
  await signInThroughUi(page, account);
  await expect(page.getByText(account.customerName)).toBeVisible();
  await expect(page.getByText(account.email)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.getByRole('link', { name: 'Identity and Access Management' }).click();
  await page.getByRole('link', { name: 'API Access' }).click();
  await page.getByRole('link', { name: 'Product Registrations' }).click();
  await expect(page).toHaveURL(PRODUCT_REGISTRATIONS);
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  await shot('registrations-empty');

  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a product' });
  await dialog.getByRole('textbox', { name: 'Registration code' }).fill(code);
  await dialog.getByRole('button', { name: 'Continue' }).click();

  await expect(dialog).toContainText(server.serverName);
  await expect(dialog).toContainText(server.hostname);
  await expect(dialog).toContainText('Windows Server 2022 Datacenter');
  await expect(dialog).toContainText(code);
  await shot('register-review');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText(`${server.serverName} is registered.`);
  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await expect(row.getByRole('cell', { name: 'Never contacted', exact: true })).toBeVisible();
  await expect(row).toContainText(account.email);
  await shot('registered');

  const registered = await cli.waitForExit();
  expect(registered.code, registered.stdout + registered.stderr).toBe(0);
  expect(registered.stdout).toContain(`Registered to ${account.customerName}.`);

  const status = await server.run('status');
  expect(status.code, status.stdout + status.stderr).toBe(0);
  expect(status.stdout).toContain(`Registered to ${account.customerName}`);

  await page.reload();
  await expect(row.getByRole('cell', { name: 'Reporting', exact: true })).toBeVisible();
  await shot('reporting');
});

test('a mistyped code shows why; the code in lower case with a dash works', async ({ page, api, licenseServer }) => {
  const server = licenseServer('typo');
  const { code, process: cli } = await server.register();
  void api; // Signed in through the API: the page opens signed in.

  await page.goto(PRODUCT_REGISTRATIONS);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a product' });
  const input = dialog.getByRole('textbox', { name: 'Registration code' });
  const alert = dialog.getByRole('alert');

  // Too short to be a code: refused before asking the server.
  await input.fill(code.slice(0, 6));
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(alert).toContainText('not a valid code');

  // A valid-looking code nobody asked for: one character off.
  const typo = `${code.slice(0, 8)}${code[8] === 'Z' ? 'Y' : 'Z'}`;
  await input.fill(typo);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(alert).toContainText('No registration request has this code');

  // What an admin might type: lower case, with the dash. Shown as XXXX-XXXX.
  await input.fill(code.toLowerCase());
  await expect(input).toHaveValue(code);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(alert).toBeHidden();
  await expect(dialog).toContainText(server.serverName);
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();

  const exit = await cli.waitForExit();
  expect(exit.code, exit.stdout + exit.stderr).toBe(0);
});

test("the product's link opens the dialog with the code; Deny refuses the server", async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('deny');
  const { code, link, process: cli } = await server.register();
  void api; // Signed in through the API: the page opens signed in.
  expect(link).toBe(`${baseUrl()}${PRODUCT_REGISTRATIONS}?code=${code.replace('-', '')}`);

  await page.goto(link);
  const dialog = page.getByRole('dialog', { name: 'Register a product' });
  await expect(dialog.getByRole('textbox', { name: 'Registration code' })).toHaveValue(code);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog).toContainText(server.serverName);
  await expect(dialog).toContainText('Register only a server you started registering yourself');
  await shot('deny-review');
  await dialog.getByRole('button', { name: 'Deny' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('The registration request was denied.');
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toHaveCount(0);

  const exit = await cli.waitForExit();
  expect(exit.code).not.toBe(0);
  expect(exit.stderr).toContain('error: an admin denied this registration.');
});
