import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

/**
 * CSV exports (docs/protocol.md, "Exports (CSV)"), written once for every export: RFC 4180
 * with a header row, streamed so the server's memory does not grow with the rows.
 *
 * Rows come from an async iterable that pages through the database (see `everyPage`); it is
 * pulled only as fast as the client reads, because `Readable.from` asks for the next row only
 * when the stringifier wants one, and the stringifier only when the reply's socket drains.
 */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
}

/** Rows per database read while exporting: enough to keep round trips few, small enough to stay flat in memory. */
const PAGE_ROWS = 500;

/** Every row of a keyset-paginated list, one page (of `limit` rows) in memory at a time. */
export async function* everyPage<Item>(
  fetchPage: (cursor: string | undefined, limit: number) => Promise<{ items: Item[]; nextCursor: string | null }>,
): AsyncGenerator<Item> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor, PAGE_ROWS);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The rows as CSV text, a record at a time. */
export function csvStream<Row>(rows: AsyncIterable<Row> | Iterable<Row>, columns: readonly CsvColumn<Row>[]): Readable {
  const stringifier = stringify({
    header: true,
    columns: columns.map((column) => column.header),
    // RFC 4180 ends records with CRLF.
    record_delimiter: 'windows',
    // csv-stringify quotes a field holding the delimiter, a quote or the record delimiter (CRLF
    // as a whole); a lone CR or LF would go out bare, and spreadsheets and many parsers end the
    // row there, so the rest of the cell became a row of its own (its first cell "=2+5" not
    // escaped). Every field holding either is quoted.
    quoted_match: /[\r\n]/,
    // A cell starting with =, +, -, @, tab or CR (or their full-width forms) gets a leading '
    // so spreadsheets show it as text instead of running it as a formula (OWASP "CSV
    // injection"). Numbers are left alone: a negative count is no formula.
    escape_formulas: true,
  });
  const records = Readable.from(toRecords(rows, columns), { objectMode: true, highWaterMark: 16 });
  // pipeline, not pipe: a client that goes away stops the paging, and a failed page ends the reply.
  return pipeline(records, stringifier, () => {});
}

async function* toRecords<Row>(rows: AsyncIterable<Row> | Iterable<Row>, columns: readonly CsvColumn<Row>[]) {
  for await (const row of rows) yield columns.map((column) => column.value(row) ?? '');
}

/** `<what>-<YYYY-MM-DD>.csv`, the day in UTC. */
export const csvFileName = (what: string, now: Date) => `${what}-${now.toISOString().slice(0, 10)}.csv`;

/**
 * Sends rows as a CSV download. Anything that can fail for the request as a whole (a
 * foreign id, a bad range) must be checked before calling this: once the header row has
 * gone out, the status is 200. A database error later ends the download early.
 */
export function sendCsv<Row>(
  reply: FastifyReply,
  args: { what: string; now: Date; columns: readonly CsvColumn<Row>[]; rows: AsyncIterable<Row> | Iterable<Row> },
): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFileName(args.what, args.now)}"`)
    .header('cache-control', 'no-store')
    .send(csvStream(args.rows, args.columns));
}
