import { text } from '@reg/contracts/common';
import { AppError } from './errors.ts';

/**
 * Keyset pagination, written once for every list: a page is the rows after the last row
 * of the page before, by the list's sort key and id, so pages neither skip nor repeat rows
 * while rows are added, and any page costs the same as the first.
 *
 * A cursor is the last row's key values as base64url JSON. It is opaque to clients, but a
 * client can send anything, so it is decoded strictly: the right number of values, each of
 * its kind, within limits. Anything else is 400 invalid_request, never a database error.
 */
export type KeyKind = 'uuid' | 'timestamp' | 'text' | 'text|null' | 'timestamp|null' | 'int';
export type KeyValue = string | number | Date | null;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The contracts cap a cursor at 2048 characters; decoded text keys stay well below. */
const MAX_CURSOR_LENGTH = 2048;
/** Text keys as the contracts take text: no NUL, no lone surrogate, a length limit. */
const TEXT_KEY = text(1000);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Exactly what Date.prototype.toISOString writes (four-digit years), so it round-trips. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function badCursor(message: string): AppError {
  return new AppError('invalid_request', 'The cursor is not one this API gave out.', {
    details: [{ path: ['cursor'], message }],
  });
}

function decodeValue(value: unknown, kind: KeyKind): KeyValue | undefined {
  if (value === null) return kind.endsWith('|null') ? null : undefined;
  switch (kind) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'text':
    case 'text|null':
      return TEXT_KEY.safeParse(value).success ? (value as string) : undefined;
    case 'timestamp':
    case 'timestamp|null': {
      if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined;
      const time = new Date(value);
      return !Number.isNaN(time.getTime()) && time.toISOString() === value ? time : undefined;
    }
  }
}

export function encodeKeyset(values: readonly KeyValue[]): string {
  const json = values.map((value) => (value instanceof Date ? value.toISOString() : value));
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/** Decodes and strictly validates a cursor; a bad one throws AppError 400 invalid_request (details path ['cursor']). */
export function decodeKeyset(cursor: string | undefined, kinds: readonly KeyKind[]): KeyValue[] | null {
  if (cursor === undefined || cursor === '') return null;
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw badCursor('not base64url');
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not JSON');
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw badCursor(`must hold ${kinds.length} values`);
  return kinds.map((kind, i) => {
    const value = decodeValue(values[i], kind);
    if (value === undefined) throw badCursor(`value ${i + 1} is not a ${kind}`);
    return value;
  });
}

/** Runs one page: fetches one row more than the limit to learn whether another page follows. */
export async function keysetPage<Row, Item = Row>(args: {
  cursor: string | undefined;
  limit: number;
  kinds: readonly KeyKind[];
  fetch: (after: KeyValue[] | null, take: number) => Promise<Row[]>; // take = limit + 1
  keyOf: (row: Row) => KeyValue[];
  map?: (row: Row) => Item;
}): Promise<Page<Item>> {
  const after = decodeKeyset(args.cursor, args.kinds);
  const rows = await args.fetch(after, args.limit + 1);
  const more = rows.length > args.limit;
  const page = more ? rows.slice(0, args.limit) : rows;
  const last = page[page.length - 1];
  const items = args.map ? page.map(args.map) : (page as unknown as Item[]);
  return { items, nextCursor: more && last !== undefined ? encodeKeyset(args.keyOf(last)) : null };
}
