import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, PRODUCT_REGISTRATIONS, test } from './support/fixtures.ts';
import { registerThroughApi } from './support/setup.ts';

/**
 * The console's page budgets (docs/design.md), as the browser sees them: every script the page fetches until the
 * network is quiet, gzipped here (the bench reads Vite's manifest; this checks that nothing
 * else, such as a chunk loaded on first paint, comes along).
 */
function scriptsFetched(page: Page): () => Promise<{ kb: number; files: string[] }> {
  const bodies: Promise<{ url: string; bytes: number }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    bodies.push(
      response.body().then((body) => ({ url: new URL(response.url()).pathname, bytes: gzipSync(body).length })),
    );
  });
  return async () => {
    await page.waitForLoadState('networkidle');
    const all = await Promise.all(bodies);
    return { kb: all.reduce((sum, body) => sum + body.bytes, 0) / 1024, files: all.map((body) => body.url) };
  };
}

test('the sign-in page fetches at most 150 KB of gzipped JavaScript, and no zod', async ({ page }) => {
  const fetched = scriptsFetched(page);
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const { kb, files } = await fetched();
  expect(kb, files.join('\n')).toBeLessThanOrEqual(150);
  // zod's chunk is named after the contracts' common module it sits with.
  expect(files.filter((file) => /\/common-/.test(file))).toEqual([]);
});

test('Product Registrations fetches at most 150 KB; its row menu loads on demand and works by keyboard', async ({
  page,
  api,
  licenseServer,
}) => {
  const server = licenseServer('weight');
  await registerThroughApi(api, server);
  const fetched = scriptsFetched(page);
  await page.goto(PRODUCT_REGISTRATIONS);
  const actions = page.getByRole('button', { name: `Actions for ${server.serverName}` });
  await expect(actions).toBeVisible();
  const { kb, files } = await fetched();
  expect(kb, files.join('\n')).toBeLessThanOrEqual(150);

  await actions.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Remove registration' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menuitem', { name: 'Remove registration' })).toHaveCount(0);
  await expect(actions).toBeFocused();
  // Open again, now from the loaded menu: ArrowDown, then Enter on the item opens the confirmation.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Edit tags' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Remove registration' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog')).toContainText(server.serverName);
});
