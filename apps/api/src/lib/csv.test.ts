import { Writable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvFileName, csvStream, everyPage, type CsvColumn } from './csv.ts';

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
/** What a spreadsheet user reads back: the text, with a ' before formula-like text. */
const expected = (cell: string) => (cell !== '' && FORMULA_STARTS.includes(cell[0]!) ? `'${cell}` : cell);

const columns: CsvColumn<string[]>[] = [0, 1, 2].map((i) => ({ header: `c${i}`, value: (row) => row[i] }));

/** Cells mixing the hard parts: quotes, commas, line breaks, formula starts, any unicode. */
const cell = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', '\t', '=', '+', '-', '@', 'a', ' ', 'é', '😀', "'") }),
  fc.tuple(fc.constantFrom(...FORMULA_STARTS), fc.string()).map(([start, rest]) => start + rest),
);

describe('csvStream', () => {
  it('round-trips any cells through a real CSV parser, formula-like ones prefixed with a quote', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { maxLength: 20 }), async (rows) => {
        const csv = await text(csvStream(rows, columns));
        // A lone CR or LF ends a row for many readers: it must only ever be inside quotes.
        const parsed: string[][] = parse(csv, { relax_column_count: false, record_delimiter: ['\r\n', '\n', '\r'] });
        expect(parsed[0]).toEqual(['c0', 'c1', 'c2']);
        expect(parsed.slice(1)).toEqual(rows.map((row) => row.map(expected)));
      }),
      { numRuns: 300 },
    );
  });

  it('writes RFC 4180: CRLF after every record, quotes doubled, numbers and empty cells as they are', async () => {
    const csv = await text(
      csvStream(
        [{ name: 'say "hi", then\nleave', count: -3, none: null }],
        [
          { header: 'name', value: (row: { name: string }) => row.name },
          { header: 'count', value: (row: { count: number }) => row.count },
          { header: 'none', value: (row: { none: null }) => row.none },
        ],
      ),
    );
    expect(csv).toBe('name,count,none\r\n"say ""hi"", then\nleave",-3,\r\n');
  });

  it('writes the header row even when there are no rows', async () => {
    expect(await text(csvStream([], columns))).toBe('c0,c1,c2\r\n');
  });

  it('pulls rows only as fast as the reader takes them (memory does not grow with the rows)', async () => {
    const total = 1_000_000;
    let pulled = 0;
    async function* rows() {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield [`row ${i}`, 'x'.repeat(50), String(i)];
      }
    }
    // A reader that takes one chunk and then never asks for more, like a stalled client.
    const stalled = new Writable({ highWaterMark: 1024, write: () => {} });
    csvStream(rows(), columns).pipe(stalled);
    let before = -1;
    while (pulled !== before) {
      before = pulled;
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(2_000);
  });
});

describe('everyPage', () => {
  it('follows the cursor to the last page, one page at a time', async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
      first: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: 'c' },
      c: { items: [], nextCursor: null },
    };
    const items: number[] = [];
    for await (const item of everyPage(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'first']!;
    }))
      items.push(item);
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });
});

it('names the file <what>-<YYYY-MM-DD>.csv by the UTC day', () => {
  expect(csvFileName('registrations', new Date('2026-03-01T23:30:00-05:00'))).toBe('registrations-2026-03-02.csv');
});
