import type { Locator } from '@playwright/test';
import { createAccount, unique } from './support/accounts.ts';
import { expect, signInThroughUi, test } from './support/fixtures.ts';
import { addAdmin, strongPassword } from './support/operator.ts';
import { atBothWidths } from './support/widths.ts';

test('a person who administers two customers switches between them in the header, by keyboard, and the switch survives a reload', async ({
  page,
  account,
  shot,
}) => {
  // The same person (account.email) in a second customer, beside that customer's own admin.
  const other = await createAccount('switcher-other');
  await addAdmin(other.customerName, account.email, strongPassword());
  // Data that only one of the two customers has: an invited administrator.
  const onlyInFirst = `${unique('only-first')}@e2e.example.com`;

  await page.goto('/iam/administrators');
  await signInThroughUi(page, account);
  const switcher = page.getByRole('combobox', { name: 'Customer' });
  await expect(switcher).toBeVisible();
  await expect(switcher.getByRole('option')).toHaveText([account.customerName, other.customerName]);
  // Start in the first customer whichever sign-in chose.
  if ((await switcher.inputValue()) !== (await optionValue(switcher, account.customerName))) {
    await switcher.selectOption({ label: account.customerName });
    await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
    await page.goto('/iam/administrators');
  }
  await expect(page.getByRole('heading', { name: 'Administrators' })).toBeVisible();
  await page.getByRole('button', { name: 'Invite administrator' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite administrator' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill(onlyInFirst);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.getByRole('button', { name: 'Done' }).click();
  const table = page.getByRole('table');
  await expect(table).toContainText(onlyInFirst);
  await expect(table).not.toContainText(other.email);

  // Keyboard only: Tab reaches the switcher, an arrow key picks the other customer (and only
  // picks: passing a customer on the way must not switch to it), Enter switches.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < 10 && !(await switcher.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(switcher).toBeFocused();
  let switches = 0;
  page.on('request', (request) => {
    if (request.method() === 'PUT' && new URL(request.url()).pathname === '/api/console/session/customer') switches++;
  });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await expect(switcher.locator('option:checked')).toHaveText(other.customerName);
  await expect(page.getByRole('heading', { name: 'Administrators' })).toBeVisible();
  await expect(table).toContainText(onlyInFirst);
  await page.keyboard.press('Enter');
  // A customer's ids mean nothing in another: the switch lands on the first page.
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  await expect(switcher.locator('option:checked')).toHaveText(other.customerName);

  await page.goto('/iam/administrators');
  await expect(table.getByRole('row').filter({ hasText: other.email })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: account.email })).toBeVisible();
  await expect(table).not.toContainText(onlyInFirst);
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Invited administrator' })).toHaveCount(0);

  // The session stays in the customer it switched to.
  await page.reload();
  await expect(switcher.locator('option:checked')).toHaveText(other.customerName);
  await page.goto('/iam/administrators');
  await expect(table.getByRole('row').filter({ hasText: other.email })).toBeVisible();

  // And back, by keyboard again.
  await switcher.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Product Registrations' })).toBeVisible();
  await expect(switcher.locator('option:checked')).toHaveText(account.customerName);
  await page.goto('/iam/administrators');
  await expect(table).toContainText(onlyInFirst);
  await expect(table).not.toContainText(other.email);
  // Two switches, one per Enter: none for the customers passed on the way.
  expect(switches).toBe(2);

  // On a phone the switcher has a row of its own, wide enough to read which customer it is.
  await atBothWidths(page, 'customer-switcher', shot);
  await page.setViewportSize({ width: 390, height: 844 });
  expect((await switcher.boundingBox())!.width).toBeGreaterThan(150);
  await page.setViewportSize({ width: 1280, height: 900 });
});

async function optionValue(select: Locator, label: string) {
  return select.getByRole('option', { name: label, exact: true }).getAttribute('value');
}
