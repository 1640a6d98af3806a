import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/**
 * The narrow screenshots kept in the repo (docs/screenshots) to show the pages at phone width:
 * written only when asked (E2E_DOCS_SCREENSHOTS=1), so a test run leaves the working tree as it was.
 */
const DOCS_SCREENSHOTS = process.env.E2E_DOCS_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : null;

/** The page at 1280 and at 390 px: it never scrolls sideways (tables scroll in their own box). */
export async function atBothWidths(page: Page, name: string, shot: (name: string) => Promise<void>) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // Two frames: the page is laid out again at the new width before it is measured and shot.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    await shot(`${name}-${width}`);
    if (width === 390 && DOCS_SCREENSHOTS) {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${name}-390.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
