import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

test("Edit tags replaces a row's tags (a bad tag named by the tag rule), then the Tag filter finds it", async ({
  page,
  api,
  licenseServer,
}) => {
  const [tagged, other] = [licenseServer('tags'), licenseServer('untagged')];
  await Promise.all([tagged, other].map((server) => registerThroughApi(api, server)));
  // A tag of this run alone: the account's other tests never carry it.
  const tag = `wave-${Date.now().toString(36)}`;

  await page.goto(PRODUCT_REGISTRATIONS);
  const row = page.getByRole('row').filter({ hasText: tagged.serverName });
  await row.getByRole('button', { name: `Actions for ${tagged.serverName}` }).click();
  await page.getByRole('menuitem', { name: 'Edit tags' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit tags' });
  const tags = dialog.getByRole('textbox', { name: 'Tags' });
  await expect(tags).toBeFocused();
  await expect(tags).toHaveValue('');

  // Never lower-cased or cut for the admin: the wrong tag is named, nothing is sent.
  await tags.fill(`Berlin, ${tag}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText(
    '“Berlin” is not a tag: it must be 1 to 32 of a-z, 0-9 and -, starting with a letter or digit.',
  );
  await expect(tags).toHaveAttribute('aria-invalid', 'true');
  await tags.fill(`${tag} ${tag}`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toContainText('Tags must not name a tag twice.');

  // Commas or spaces, as typed; saved from the keyboard.
  await tags.fill(`${tag}, berlin`);
  await tags.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText(`${tagged.serverName} is tagged ${tag}, berlin.`);
  await expect(row).toContainText(`${tag} berlin`);

  // Opened again, the dialog starts from the saved tags.
  await row.getByRole('button', { name: `Actions for ${tagged.serverName}` }).click();
  await page.getByRole('menuitem', { name: 'Edit tags' }).click();
  await expect(tags).toHaveValue(`${tag} berlin`);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await expect(page).toHaveURL(new RegExp(`tag=${tag}`));
  await expect(row).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: other.serverName })).toHaveCount(0);
});
