import { AppError } from './errors.ts';

/** Keyset cursors: the last row's sort values, as base64url JSON. Opaque to clients. */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

type Kind = 'string' | 'number' | 'string|null';

export function decodeCursor<T extends (string | number | null)[]>(cursor: string, kinds: Kind[]): T {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === kinds.length &&
      values.every((value, i) =>
        kinds[i] === 'string|null' ? value === null || typeof value === 'string' : typeof value === kinds[i],
      )
    ) {
      return values as T;
    }
  } catch {
    // fall through
  }
  throw new AppError('invalid_request', 'The cursor is not one this API gave out.', {
    details: [{ path: ['cursor'], message: 'invalid cursor' }],
  });
}
