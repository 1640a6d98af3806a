// A minimal copy of the keyset helper's agreed API, so this branch compiles; helper h1 writes
// the real one and it wins on merge.
import { AppError } from './errors.ts';

export type KeyKind = 'uuid' | 'timestamp' | 'text' | 'text|null' | 'timestamp|null' | 'int';
export type KeyValue = string | number | Date | null;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(): AppError {
  return new AppError('invalid_request', 'The cursor is not one this API gave out.', {
    details: [{ path: ['cursor'], message: 'invalid cursor' }],
  });
}

function decodeOne(value: unknown, kind: KeyKind): KeyValue {
  if (value === null && kind.endsWith('|null')) return null;
  if (kind === 'int' && Number.isSafeInteger(value)) return value as number;
  if (typeof value !== 'string' || value.includes('\u0000')) throw invalid();
  if (kind === 'uuid' && UUID.test(value)) return value;
  if (kind.startsWith('timestamp')) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime()) && at.toISOString() === value) return at;
  }
  if (kind.startsWith('text')) return value;
  throw invalid();
}

/** Decodes and strictly validates a cursor; a bad one throws AppError 400 invalid_request (details path ['cursor']). */
export function decodeKeyset(cursor: string | undefined, kinds: readonly KeyKind[]): KeyValue[] | null {
  if (cursor === undefined) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw invalid();
  return values.map((value, i) => decodeOne(value, kinds[i]!));
}

function encodeKeyset(values: KeyValue[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString(
    'base64url',
  );
}

export async function keysetPage<Row, Item = Row>(args: {
  cursor: string | undefined;
  limit: number;
  kinds: readonly KeyKind[];
  fetch: (after: KeyValue[] | null, take: number) => Promise<Row[]>;
  keyOf: (row: Row) => KeyValue[];
  map?: (row: Row) => Item;
}): Promise<Page<Item>> {
  const after = decodeKeyset(args.cursor, args.kinds);
  const rows = await args.fetch(after, args.limit + 1);
  const page = rows.slice(0, args.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => (args.map ? args.map(row) : (row as unknown as Item))),
    nextCursor: rows.length > args.limit && last ? encodeKeyset(args.keyOf(last)) : null,
  };
}
