import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

const DAY = 86_400_000;
const dayAgo = (today: Date, n: number) => new Date(today.getTime() - n * DAY);

test('a day without a report is a gap in the chart and "No report" in the table, never 0', async ({
  page,
  api,
  licenseServer,
  shot,
}) => {
  const server = licenseServer('gaps');
  await registerThroughApi(api, server);
  // Three days ago and yesterday, nothing the day between; yesterday's use is zero.
  const today = new Date(new Date().toISOString().slice(0, 10));
  const record = (n: number, inUse: number) => ({
    periodStart: dayAgo(today, n).toISOString(),
    periodEnd: dayAgo(today, n - 1).toISOString(),
    productCode: 'GAP',
    edition: 'PLT',
    licenseModel: 'user-device',
    installed: 10,
    inUse,
    peakInUse: inUse,
  });
  const file = path.join(server.stateDir, 'gaps.json');
  writeFileSync(file, JSON.stringify([record(3, 4), record(1, 0)]));
  const uploaded = await server.run('upload', '--file', file);
  expect(uploaded.code, uploaded.stdout + uploaded.stderr).toBe(0);

  await page.goto('/licensing/license-servers');
  await page
    .getByRole('row')
    .filter({ hasText: server.serverName })
    .getByRole('link', { name: server.serverName })
    .click();
  await expect(page.getByRole('heading', { name: server.serverName })).toBeVisible();

  // Lazy-loaded chunk: generous on a loaded 2-core machine.
  const chart = page.getByRole('img', { name: /^Usage chart.*no report on \d+ days, where the lines break/ });
  await expect(chart).toBeVisible({ timeout: 45_000 });
  await expect(chart.locator('canvas, svg').first()).toBeVisible();

  const table = page.getByRole('region', { name: 'Usage per day' });
  const gapDay = dayAgo(today, 2).toISOString().slice(0, 10);
  const gapRow = table.getByRole('row').filter({ hasText: gapDay });
  await expect(gapRow).toContainText('No report');
  await expect(gapRow).not.toContainText(/\b0\b/);
  // Yesterday is a report of zero use: 0, not "No report".
  const zeroRow = table.getByRole('row').filter({ hasText: dayAgo(today, 1).toISOString().slice(0, 10) });
  await expect(zeroRow).not.toContainText('No report');
  await expect(zeroRow.getByRole('cell').nth(5)).toHaveText('0');
  await shot('usage-gaps');

  // The overview: per day, how many servers reported of those registered, in words and marked on the chart.
  await page.goto('/licensing/usage');
  await expect(page.getByRole('heading', { name: 'License usage' })).toBeVisible();
  const coverage = page.getByRole('region', { name: 'Servers reporting per day' });
  const todayText = today.toISOString().slice(0, 10);
  // Registered today and silent so far today; three days ago it reported (a record counts it).
  await expect(coverage.getByRole('row').filter({ hasText: todayText })).toContainText('0 of 1');
  await expect(
    coverage.getByRole('row').filter({ hasText: dayAgo(today, 3).toISOString().slice(0, 10) }),
  ).toContainText('1 of 1');
  await expect(
    page.getByRole('img', { name: /fewer servers reported than were registered on \d+ days?, marked below the lines/ }),
  ).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole('definition').filter({ hasText: /^\d+ of \d+$/ })).toBeVisible();
});
