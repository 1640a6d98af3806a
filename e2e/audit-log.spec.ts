import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

/**
 * Where the text of a cell starts each line it is laid out on: a line starts after a hyphen or
 * at an email's "@" or a dot, never inside a word.
 */
async function lineStarts(cell: Locator): Promise<string[]> {
  return cell.evaluate((element) => {
    const starts: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let top: number | null = null;
    let before = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let index = 0; index < text.length; index++) {
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        const rect = range.getBoundingClientRect();
        if (top !== null && rect.top > top + rect.height / 2) starts.push(`${before}|${text.slice(index)}`);
        top = rect.top;
        before = text[index] ?? '';
      }
    }
    return starts;
  });
}

test('the audit log wraps an email between its name and its @domain, never mid-word', async ({
  page,
  api,
  account,
}) => {
  void api; // signing in through the API records "Signed in" with the admin as Who and Target
  await page.goto('/audit');
  const row = page.getByRole('row').filter({ hasText: 'Signed in' }).first();
  const target = row.getByRole('cell').nth(3);
  await expect(target).toHaveText(account.email);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    for (const starts of [await lineStarts(target), await lineStarts(row.getByRole('cell').nth(1))]) {
      for (const start of starts) expect(start, `a line at ${width} px`).toMatch(/^(-\|.|.\|[@.])/);
    }
  }
});
