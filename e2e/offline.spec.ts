import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';

/**
 * An air-gapped License Server: the real CLI and the console share no network path, only
 * files (request -> response -> usage files), as an admin carries them on a USB stick.
 */
test('a License Server without a route to the cloud registers and reports by file', async ({
  page,
  api,
  licenseServer,
  shot,
}, testInfo) => {
  void api; // signed in through the API; the page holds the session
  const server = licenseServer('airgap');
  const stick = testInfo.outputPath('usb-stick');
  const requestFile = path.join(stick, 'request.json');
  const made = await server.run(
    'register',
    '--offline',
    '--out',
    requestFile,
    '--server-name',
    server.serverName,
    '--hostname',
    server.hostname,
    '--os',
    'Windows Server 2022 Datacenter',
  );
  expect(made.code, made.stdout + made.stderr).toBe(0);

  await page.goto(PRODUCT_REGISTRATIONS);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a product' });
  await expect(dialog.getByRole('textbox', { name: 'Registration code' })).toBeVisible();
  await shot('offline-register-dialog');
  await dialog.getByLabel('Upload a request file').setInputFiles(requestFile);
  await expect(dialog).toContainText(server.serverName);
  await expect(dialog).toContainText(server.hostname);
  await expect(dialog).toContainText('Windows Server 2022 Datacenter');
  await expect(dialog).toContainText('File made at');
  await expect(dialog).toContainText('comes from a License Server you manage');
  await shot('offline-review');
  const downloading = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`registration-${server.serverName}.json`);
  const responseFile = path.join(stick, download.suggestedFilename());
  await download.saveAs(responseFile);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText(`${server.serverName} is registered.`);
  await expect(page.getByRole('row').filter({ hasText: server.serverName })).toBeVisible();

  const imported = await server.run('register', '--import', responseFile);
  expect(imported.code, imported.stdout + imported.stderr).toBe(0);
  const usageDir = path.join(stick, 'usage');
  for (const days of ['5', '2']) {
    const written = await server.run('upload', '--offline', '--out', usageDir, '--sample-days', days);
    expect(written.code, written.stdout + written.stderr).toBe(0);
  }
  const usageFiles = readdirSync(usageDir).map((name) => path.join(usageDir, name));
  expect(usageFiles).toHaveLength(2);

  await page.getByRole('link', { name: 'Licensing' }).click();
  await expect(page.getByRole('heading', { name: 'License Servers' })).toBeVisible();
  await page.getByLabel('Upload usage files').setInputFiles(usageFiles);
  const results = page.getByRole('region', { name: 'Usage files' });
  await expect(results.getByRole('status')).toHaveText(`${usageFiles.length} accepted, 0 duplicate, 0 refused.`);
  await expect(results.getByRole('listitem')).toHaveCount(usageFiles.length);
  await expect(results.getByRole('listitem').first()).toContainText('Accepted:');
  await shot('offline-usage-uploaded');

  const row = page.getByRole('row').filter({ hasText: server.serverName });
  await row.getByRole('link', { name: server.serverName }).click();
  const table = page.getByRole('region', { name: 'Usage per day' });
  await expect(table).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(1);
  const rowsBefore = await table.getByRole('row').allTextContents();

  // The same files again: duplicates, and the usage is as it was.
  await page.getByRole('link', { name: 'License Servers' }).click();
  await page.getByLabel('Upload usage files').setInputFiles(usageFiles);
  await expect(page.getByRole('region', { name: 'Usage files' }).getByRole('status')).toHaveText(
    `0 accepted, ${usageFiles.length} duplicate, 0 refused.`,
  );
  await page
    .getByRole('row')
    .filter({ hasText: server.serverName })
    .getByRole('link', { name: server.serverName })
    .click();
  await expect(table).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => table.getByRole('row').allTextContents()).toEqual(rowsBefore);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('link', { name: 'License Servers' }).click();
  await page.getByLabel('Upload usage files').setInputFiles(usageFiles);
  await expect(page.getByRole('region', { name: 'Usage files' }).getByRole('status')).toContainText('2 duplicate');
  await shot('offline-usage-390');
});
