import { expect, PRODUCT_REGISTRATIONS, signInThroughUi, test } from './support/fixtures.ts';

test('a signed-out visit to a registration link signs in first, then opens the code', async ({
  page,
  account,
  licenseServer,
}) => {
  const server = licenseServer('link');
  const { code } = await server.register();
  const raw = code.replace('-', '');

  await page.goto(`${PRODUCT_REGISTRATIONS}?code=${raw}`);
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=/);
  await signInThroughUi(page, account);

  await expect(page).toHaveURL(`${PRODUCT_REGISTRATIONS}?code=${raw}`);
  const dialog = page.getByRole('dialog', { name: 'Register a product' });
  await expect(dialog.getByRole('textbox', { name: 'Registration code' })).toHaveValue(code);
  await dialog.getByRole('button', { name: 'Continue' }).click();
  await expect(dialog).toContainText(server.serverName);
});

test('wrong credentials show an alert that does not say which was wrong', async ({ page, account }) => {
  await page.goto('/sign-in');
  await signInThroughUi(page, { ...account, password: `${account.password}-wrong` });
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL('/sign-in');
});
