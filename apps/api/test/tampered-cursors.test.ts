/**
 * Every keyset-paginated list answers a cursor it did not give out with 400 invalid_request
 * (details on `cursor`), never a 500: random strings, random JSON, and real cursors with
 * bytes changed, through the real routes and PostgreSQL.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyset } from '../src/lib/keyset.ts';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const LISTS = [
  '/api/console/registrations',
  '/api/console/registrations?sort=registeredAt&order=desc',
  '/api/console/registrations?sort=lastContactAt',
  '/api/console/license-servers',
  '/api/console/audit-events',
];

const toBase64url = (text: string) => Buffer.from(text).toString('base64url');
const someKeyValue = fc.oneof(
  fc.string(),
  fc.uuid(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', 'a\u0000b', '\ud800', 'not a date'),
);
/** Real-looking cursors (right shape, wrong content), random JSON, and real cursors with bytes changed. */
const cursors = fc.oneof(
  fc.string({ minLength: 1 }),
  fc.array(someKeyValue, { maxLength: 3 }).map((values) => toBase64url(JSON.stringify(values))),
  fc.json().map(toBase64url),
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.uuid(), fc.nat(60), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([name, id, at, junk]) => {
      const cursor = encodeKeyset([name, id]);
      return cursor.slice(0, at) + junk + cursor.slice(at + junk.length);
    }),
);

async function list(url: string, cursor: string) {
  const sep = url.includes('?') ? '&' : '?';
  return t.client.get(`${url}${sep}cursor=${encodeURIComponent(cursor)}`, { as: session });
}

describe('tampered cursors', () => {
  it.each(LISTS)('%s answers 400 invalid_request on the cursor, never 500', async (url) => {
    await fc.assert(
      fc.asyncProperty(cursors, async (cursor) => {
        const response = await list(url, cursor);
        if (response.status === 200) return; // it happened to be a well-formed cursor: a page
        expect(response.status).toBe(400);
        const body = response.json;
        expect(body.error).toBe('invalid_request');
        // A cursor over the contracts' length limit is refused by the schema, with its own details.
        expect(body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['cursor'] })]));
      }),
      { numRuns: 60 },
    );
  });

  it.each(LISTS)('%s refuses the cursors that once slipped through', async (url) => {
    // A time that is no time was a 500 on the audit log (an invalid date reached Prisma).
    const timeFirst = !/license-servers|registrations$/.test(url);
    for (const values of [
      [timeFirst ? '2026-13-45T99:00:00.000Z' : 12345, '0b0f2a4e-8c1d-4f6e-9a3b-5d7c9e1f2a4b'],
      ['LS-1', 'not-a-uuid-but-36-characters-long!!'],
      ['a\u0000b', '0b0f2a4e-8c1d-4f6e-9a3b-5d7c9e1f2a4b'],
      ['x'],
    ]) {
      const response = await list(url, toBase64url(JSON.stringify(values)));
      expect(response.status, JSON.stringify(values)).toBe(400);
      expect(response.json).toMatchObject({ error: 'invalid_request', details: [{ path: ['cursor'] }] });
    }
  });
});
