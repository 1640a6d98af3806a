import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { decodeKeyset, encodeKeyset, keysetPage, type KeyKind, type KeyValue } from './keyset.ts';

const ID = '0b0f2a4e-8c1d-4f6e-9a3b-5d7c9e1f2a4b';
const cursorOf = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');

function refusal(cursor: string, kinds: readonly KeyKind[]) {
  try {
    decodeKeyset(cursor, kinds);
  } catch (error) {
    return error;
  }
  return null;
}

describe('keyset cursors', () => {
  it('round-trips every kind of key value', () => {
    const time = new Date('2026-11-29T10:00:00.123Z');
    const kinds: KeyKind[] = ['text', 'timestamp', 'uuid', 'int', 'text|null', 'timestamp|null'];
    const values: KeyValue[] = ['LS-01 "Ōsaka" 50%', time, ID, 42, null, null];
    expect(decodeKeyset(encodeKeyset(values), kinds)).toEqual(values);
    expect(decodeKeyset(encodeKeyset(['x', time]), ['text|null', 'timestamp|null'])).toEqual(['x', time]);
  });

  it('reads no cursor as the first page', () => {
    expect(decodeKeyset(undefined, ['uuid'])).toBeNull();
    expect(decodeKeyset('', ['uuid'])).toBeNull();
  });

  it.each<[string, string, readonly KeyKind[]]>([
    ['not base64url', '!!!', ['text']],
    ['not JSON', Buffer.from('[1,').toString('base64url'), ['int']],
    ['not an array', cursorOf({ a: 1 }), ['int']],
    ['too few values', cursorOf(['a']), ['text', 'uuid']],
    ['too many values', cursorOf(['a', ID, 1]), ['text', 'uuid']],
    ['a UUID that is not one', cursorOf(['a', `${ID}x`]), ['text', 'uuid']],
    ['a UUID of the wrong shape', cursorOf(['a', '0b0f2a4e8c1d4f6e9a3b5d7c9e1f2a4b']), ['text', 'uuid']],
    ['an impossible date', cursorOf(['2026-02-30T00:00:00.000Z', ID]), ['timestamp', 'uuid']],
    ['a date not in ISO form', cursorOf(['Nov 29 2026', ID]), ['timestamp', 'uuid']],
    ['a date without milliseconds', cursorOf(['2026-11-29T00:00:00Z', ID]), ['timestamp', 'uuid']],
    ['a number for a date', cursorOf([0, ID]), ['timestamp', 'uuid']],
    ['a null where none may be', cursorOf([null, ID]), ['text', 'uuid']],
    ['a NUL in text', cursorOf(['a\u0000b', ID]), ['text', 'uuid']],
    ['a lone surrogate in text', cursorOf(['\ud800', ID]), ['text', 'uuid']],
    ['text over the limit', cursorOf(['a'.repeat(1001), ID]), ['text', 'uuid']],
    ['a fraction for an int', cursorOf([1.5]), ['int']],
    ['an unsafe int', cursorOf([2 ** 60]), ['int']],
    ['an object for text', cursorOf([{}, ID]), ['text', 'uuid']],
  ])('refuses %s with 400 invalid_request on the cursor', (_name, cursor, kinds) => {
    const error = refusal(cursor, kinds);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_request');
    expect((error as AppError).extra.details).toEqual([{ path: ['cursor'], message: expect.any(String) }]);
  });

  it('refuses any random string or tampered cursor as an AppError, never anything else', () => {
    const tampered = fc
      .tuple(fc.string(), fc.uuid(), fc.nat(40), fc.string({ maxLength: 2 }))
      .map(([name, id, at, junk]) => {
        const cursor = encodeKeyset([name, id]);
        return cursor.slice(0, at) + junk + cursor.slice(at + junk.length);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), tampered), (cursor) => {
        const error = refusal(cursor, ['text', 'uuid']);
        // A tampered cursor may still decode to a valid (name, id): then it is one.
        if (error === null) return;
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('invalid_request');
      }),
    );
  });
});

describe('keysetPage', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ n: i }));
  const fetch = async (after: KeyValue[] | null, take: number) =>
    rows.filter((row) => after === null || row.n > (after[0] as number)).slice(0, take);

  it('asks for one row more than the limit and pages to the end without gaps', async () => {
    const seen: number[] = [];
    const takes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await keysetPage({
        cursor,
        limit: 3,
        kinds: ['int'],
        fetch: (after, take) => (takes.push(take), fetch(after, take)),
        keyOf: (row) => [row.n],
        map: (row) => row.n,
      });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(takes).toEqual([4, 4, 4]);
  });

  it('gives no next cursor when the page is exactly the rest', async () => {
    const page = await keysetPage({ cursor: undefined, limit: 7, kinds: ['int'], fetch, keyOf: (row) => [row.n] });
    expect(page.items).toHaveLength(7);
    expect(page.nextCursor).toBeNull();
  });
});
