import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, requestCode, type SignedIn } from '../helpers/factories.ts';
import { usageReport } from '../helpers/usage.ts';
import { expectCleanError, randomCode } from './support.ts';

// Real password hashing and many requests on a machine shared with other test files: room to finish.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Random and hostile JSON, headers and encodings at every product endpoint and the console
 * API: never a 500, never a stack trace or an internal name, never a partial write.
 * Seeded, so a failure can be replayed; runs are bounded so the file stays under a minute.
 */
const t = useTestApp({
  // The limits are tested elsewhere; here they would only cut the inputs short.
  LIMIT_CODE_REQUESTS_PER_MINUTE: 1_000_000,
  LIMIT_CODE_LOOKUP_FAILURES_PER_ADMIN: 1_000_000,
  LIMIT_CODE_LOOKUP_FAILURES_PER_CUSTOMER: 1_000_000,
});
let session: SignedIn;
let product: Awaited<ReturnType<typeof registerProduct>>;
let licenseServerId: string;
let tried = 0;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
  product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
  licenseServerId = (await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } }))
    .licenseServerId;
});
afterAll(() => {
  console.info(`hostile inputs tried: ${tried}`);
});

const RUNS = 200;
const params = (numRuns = RUNS) => ({ numRuns, seed: 20261127, endOnFailure: true });

// ---------------------------------------------------------------------------------------
// Hostile values

const controlChars = fc.string({
  unit: fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const markup = fc.constantFrom(
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("x")()}}',
  '${7*7}',
  "'; DROP TABLE registrations; --",
  '\u202Egnp.exe',
  '../../etc/passwd',
  '%00',
  '\\u0000',
);
const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  controlChars,
  markup,
  fc.string({ unit: 'grapheme', minLength: 250, maxLength: 300 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x'.repeat(70_000), '\uFEFF{}'),
);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 1e-320, -0, 0.1, 10_000_001, -1);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  weirdString,
  hugeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
);
const POLLUTING_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'isAdmin',
  'customerId',
  'status',
  'registrationId',
  'credentialHash',
];

/** A valid body with one field replaced, removed, or one key added; as JSON text, so `__proto__` stays a key. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc
      .record({ key: fc.constantFrom(...keys), value: hostileValue })
      .map(({ key, value }) => JSON.stringify({ ...valid, [key]: value })),
    fc
      .constantFrom(...keys)
      .map((key) => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)))),
    fc
      .record({ key: fc.constantFrom(...POLLUTING_KEYS), value: hostileValue })
      .map(
        ({ key, value }) =>
          `${JSON.stringify(valid).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`,
      ),
    fc
      .constantFrom(...POLLUTING_KEYS)
      .map((key) => `{${JSON.stringify(key)}:{"polluted":true},${JSON.stringify(valid).slice(1)}`),
  );
}

/** Raw bodies no JSON serialiser would make: numbers past any range, deep nesting, broken text. */
const rawBody = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
  fc.nat({ max: 50_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.nat({ max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.nat({ max: 2_000 }).map((digits) => `{"installed":1${'0'.repeat(digits)},"code":1${'0'.repeat(digits)}}`),
  fc.constantFrom(
    '',
    'null',
    'true',
    '0',
    '"string"',
    '[]',
    '{',
    '{"a":1,}',
    "{'a':1}",
    '{"a":NaN}',
    '{"a":Infinity}',
    '\uFEFF{}',
    '{"a":"\\ud800"}',
    '{"a":1}{"b":2}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
  ),
  weirdString,
);

// ---------------------------------------------------------------------------------------
// Asserting

/** A request as sent, headers and body verbatim (hostile ones included), through the typed client. */
interface Attempt {
  method: string;
  url: string;
  payload?: InjectOptions['payload'];
  headers?: Record<string, string>;
  remoteAddress?: string;
}

async function send(options: Attempt, context: string, sent = '') {
  tried++;
  const { method, url, payload, headers, remoteAddress } = options;
  const response = await t.client.send(method, url, payload, {
    ...(headers && { headers }),
    ...(remoteAddress && { remoteAddress }),
  });
  expect(response.status, `${context}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400 && options.method !== 'HEAD') expectCleanError(response, context, sent);
  const requestId = response.headers['x-request-id'];
  expect(String(requestId)).toMatch(/^[\w.:-]{1,128}$/);
  return response;
}

const counts = async () => ({
  codes: await t.db.registrationCode.count(),
  registrations: await t.db.registration.count(),
  removed: await t.db.registration.count({ where: { removedAt: { not: null } } }),
  servers: await t.db.licenseServer.count(),
  reports: await t.db.usageReport.count(),
  records: await t.db.usageRecord.count(),
  audit: await t.db.auditEvent.count(),
  admins: await t.db.admin.count(),
});

function expectUnpolluted() {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

const json = { 'content-type': 'application/json' };

// ---------------------------------------------------------------------------------------

describe('hostile JSON at the product API', () => {
  it('POST /codes: mutated and raw bodies never 500, and only a 201 writes', async () => {
    const before = await counts();
    let created = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated(codeRequest() as unknown as Record<string, unknown>), rawBody),
        async (body) => {
          const response = await send(
            { method: 'POST', url: '/api/product/v1/codes', payload: body, headers: json },
            `codes ${body.slice(0, 200)}`,
            body,
          );
          if (response.status === 201) created++;
          else expect([400, 413, 422]).toContain(response.status);
        },
      ),
      params(),
    );
    expect(await counts()).toEqual({ ...before, codes: before.codes + created });
    expectUnpolluted();
  });

  it('POST /codes/poll, GET and DELETE /registration: hostile bodies and credentials never 500 or remove anything', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated({ pollToken: 'x'.repeat(43) }), rawBody),
        fc.oneof(
          weirdString,
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'bearer x y',
            'Basic dXNlcjpwYXNz',
            `Bearer ${'A'.repeat(10_000)}`,
            'Bearer ../../',
            'Bearer \t x',
          ),
        ),
        async (body, authorization) => {
          const auth = authorization.replace(/[^\t\x20-\x7e]/g, '');
          await send(
            { method: 'POST', url: '/api/product/v1/codes/poll', payload: body, headers: json },
            `poll ${body.slice(0, 200)}`,
            body,
          );
          await send(
            { method: 'GET', url: '/api/product/v1/registration', headers: { authorization: auth } },
            `heartbeat ${auth.slice(0, 100)}`,
            auth,
          );
          await send(
            { method: 'DELETE', url: '/api/product/v1/registration', headers: { authorization: auth } },
            `deregister ${auth.slice(0, 100)}`,
            auth,
          );
        },
      ),
      params(),
    );
    expect(await counts()).toEqual(before);
    expect((await t.client.get('/api/product/v1/registration', { as: product })).status).toBe(200);
  });

  it('POST /usage: mutated reports, records and raw bodies, plain or gzip, never 500 and never half stored', async () => {
    const valid = usageReport(t.clock.now(), { days: 2 });
    const record = valid.records[0]! as unknown as Record<string, unknown>;
    const reportBody = fc.oneof(
      mutated(valid as unknown as Record<string, unknown>),
      mutated(record).map((r) => JSON.stringify({ ...valid, records: [valid.records[1], JSON.parse(r) as unknown] })),
      mutated({ productVersion: '11.17.2.0' }).map((s) =>
        JSON.stringify({ ...valid, server: JSON.parse(s) as unknown }),
      ),
      rawBody,
    );
    let before = await counts();
    await fc.assert(
      fc.asyncProperty(reportBody, fc.boolean(), fc.uuid(), async (text, gzip, reportId) => {
        // A fresh report id each time, so an accepted report is not just a duplicate.
        const body = text.replace(valid.reportId, reportId);
        const payload = gzip ? gzipSync(body) : body;
        const response = await send(
          {
            method: 'POST',
            url: '/api/product/v1/usage',
            payload,
            headers: { ...json, ...product.bearer, ...(gzip && { 'content-encoding': 'gzip' }) },
          },
          `usage gzip=${gzip} ${body.slice(0, 200)}`,
          body,
        );
        const after = await counts();
        if (response.status === 202) {
          // All of the report or nothing: exactly the records it had.
          const accepted = response.json.accepted as number;
          expect(after).toEqual({ ...before, reports: before.reports + 1, records: before.records + accepted });
          expect(accepted).toBe((JSON.parse(body) as { records: unknown[] }).records.length);
        } else {
          expect([400, 409, 413, 415]).toContain(response.status);
          expect(after).toEqual(before);
        }
        before = after;
      }),
      params(),
    );
    expectUnpolluted();
  });
});

describe('hostile JSON at the console API (signed in)', () => {
  it('code look-ups, Delete data and sign-in take hostile bodies without a 500 or a write', async () => {
    const live = await requestCode(t.app);
    const before = await counts();
    const routes = [
      ['POST', '/api/console/registrations/preview', { code: randomCode() }],
      ['POST', '/api/console/registrations', { code: randomCode() }],
      ['POST', '/api/console/registrations/deny', { code: randomCode() }],
      [
        'DELETE',
        `/api/console/license-servers/${licenseServerId}/usage`,
        { acknowledgePermanent: false, acknowledgeCollectionContinues: true },
      ],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.option(
          fc.constantFrom(...routes).chain(([, , valid]) => mutated(valid)),
          { nil: undefined },
        ),
        rawBody,
        fc.boolean(),
        async ([method, url, valid], mutation, raw, useRaw) => {
          const body = useRaw ? raw : (mutation ?? JSON.stringify(valid));
          await send(
            { method, url, payload: body, headers: { ...json, ...session.headers } },
            `${method} ${url} ${body.slice(0, 200)}`,
            body,
          );
        },
      ),
      params(),
    );
    // Sign-in costs a password hash per try: fewer runs.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutated({ email: 'nobody@example.com', password: 'wrong password' }), rawBody),
        async (body) => {
          const response = await send(
            {
              method: 'POST',
              url: '/api/console/session',
              payload: body,
              headers: json,
              remoteAddress: `10.9.${tried % 250}.${tried % 200}`,
            },
            `sign-in ${body.slice(0, 200)}`,
            body,
          );
          expect(response.status).not.toBe(200);
        },
      ),
      params(60),
    );
    expect(await counts()).toEqual(before);
    expect(
      (await t.db.registrationCode.findFirstOrThrow({ where: { expiresAt: new Date(live.expiresAt) } })).status,
    ).toBe('pending');
    expectUnpolluted();
  });

  it('query strings and path ids: random, repeated, encoded and oversized never 500', async () => {
    const segment = fc.oneof(
      weirdString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 3000)))),
      fc.uuid(),
      fc.constantFrom(
        '..',
        '%2e%2e',
        '%00',
        '%ZZ',
        '%',
        '%c0%ae',
        '%EF%BF%BF',
        ';',
        '*',
        '00000000-0000-0000-0000-000000000000',
      ),
    );
    const queryValue = fc.oneof(
      weirdString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 3000)))),
      fc.constantFrom(
        '-1',
        '0',
        '201',
        '1e9',
        'NaN',
        '50.5',
        '%00',
        '2026-02-30',
        '9999-12-31',
        '0000-01-01',
        'eyJ4IjoxfQ',
        '%',
      ),
    );
    const queryKey = fc.constantFrom(
      'query',
      'status',
      'sort',
      'order',
      'cursor',
      'limit',
      'from',
      'to',
      '__proto__',
      'constructor',
      'query[]',
      'limit[0]',
      'a',
    );
    const query = fc
      .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
    const path = fc.constantFrom(
      '/api/console/registrations?',
      '/api/console/license-servers?',
      '/api/console/audit-events?',
      '/api/console/license-servers/:id?',
      '/api/console/license-servers/:id/usage?',
      '/api/console/registrations/:id?',
      '/api/console/api-clients?',
    );
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(path, segment, query, fc.constantFrom('GET', 'DELETE', 'HEAD'), async (route, id, q, method) => {
        const url = route.replace(':id', id) + q;
        // DELETE of a registration id is a real removal when the id is ours: only GET/HEAD there.
        const m = method === 'DELETE' && !route.includes(':id') ? 'GET' : method;
        await send(
          { method: m, url, headers: session.headers },
          `${m} ${url.slice(0, 300)}`,
          decodeURIComponentSafe(url),
        );
      }),
      params(),
    );
    const after = await counts();
    expect(after).toEqual(before);
  });
});

/** Lone surrogates can't be percent-encoded as UTF-8: they become U+FFFD, as a browser would send them. */
function wellFormed(value: string) {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

describe('text PostgreSQL cannot hold', () => {
  it.each([
    ['a NUL', 'LS\u000001'],
    ['a lone high surrogate', 'LS\uD80001'],
    ['a lone low surrogate', '\uDC00LS'],
  ])(
    'refuses %s in a server name with 400 and stores nothing (it could not be stored as sent)',
    async (_name, serverName) => {
      const before = await counts();
      const response = await send(
        {
          method: 'POST',
          url: '/api/product/v1/codes',
          payload: JSON.stringify(codeRequest({ serverName })),
          headers: json,
        },
        serverName,
      );
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('invalid_request');
      expect(await counts()).toEqual(before);
    },
  );

  it.each(['%00', '%ED%A0%80', '%F0%9F', '%25%5F%5C'])('searches with query=%s without a 500', async (value) => {
    for (const list of ['registrations', 'license-servers']) {
      const response = await send(
        { method: 'GET', url: `/api/console/${list}?query=${value}`, headers: session.headers },
        `${list} ${value}`,
      );
      expect([200, 400]).toContain(response.status);
    }
  });
});

describe('paths the router cannot read', () => {
  it.each([
    ['broken percent-encoding', '/api/console/registrations/%c0%ae'],
    ['a lone percent sign', '/api/console/license-servers/%/usage'],
    ['an id longer than any', `/api/console/registrations/${'a'.repeat(500)}`],
    ['a long id on the product API', `/api/product/v1/${'b'.repeat(5_000)}`],
  ])('answers %s with 404 not_found in the error body and a request id', async (_name, url) => {
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await send({ method, url, headers: session.headers }, `${method} ${url.slice(0, 80)}`);
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ error: 'not_found', message: expect.any(String) });
    }
  });
});

function decodeURIComponentSafe(value: string) {
  try {
    return `${value} ${decodeURIComponent(value)}`;
  } catch {
    return value;
  }
}

describe('hostile headers and encodings', () => {
  it('content types, encodings, bogus authorization and odd request ids at every POST never 500', async () => {
    const targets = [
      ['/api/product/v1/codes', JSON.stringify(codeRequest()), {}],
      ['/api/product/v1/codes/poll', JSON.stringify({ pollToken: 'x' }), {}],
      ['/api/product/v1/usage', JSON.stringify(usageReport(t.clock.now())), product.bearer],
      ['/api/console/registrations/preview', JSON.stringify({ code: randomCode() }), session.headers],
      ['/api/console/session', JSON.stringify({ email: 'x@example.com', password: 'wrong password' }), {}],
    ] as const;
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'APPLICATION/JSON',
        'application/json;;;',
        'application/jsonx',
        'application/vnd.api+json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'text/plain',
        'text/html',
        '*/*',
        '',
      ),
      fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
    );
    const encoding = fc.constantFrom(
      undefined,
      'gzip',
      'GZIP',
      'deflate',
      'br',
      'identity',
      'gzip, gzip',
      'x-gzip',
      'compress',
      '*',
      '',
    );
    const requestId = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 300 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, '')),
      fc.constantFrom('x'.repeat(10_000), '../../', '<script>', 'a b', 'ok-id.1:2'),
    );
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('Bearer', 'Bearer x', 'Basic Og==', `Bearer ${'A'.repeat(8_000)}`, 'Negotiate abc', 'bearer   '),
    );
    const bytes = fc.oneof(
      fc.constant(null),
      fc.uint8Array({ maxLength: 2_000 }),
      fc.constantFrom(
        Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
        Buffer.from('{"a":"\xff"}', 'latin1'),
        gzipSync('{}'),
        gzipSync(Buffer.alloc(0)),
      ),
    );
    const before = await counts();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        contentType,
        encoding,
        requestId,
        authorization,
        bytes,
        fc.boolean(),
        async ([url, body, auth], type, enc, id, bogus, raw, gzip) => {
          const payload = raw ?? (gzip || enc?.toLowerCase().includes('gzip') ? gzipSync(body) : body);
          const headers: Record<string, string> = { ...auth, 'x-request-id': id };
          if (type !== '') headers['content-type'] = type;
          if (enc !== undefined) headers['content-encoding'] = enc;
          if (bogus !== undefined) headers.authorization = bogus;
          const response = await send(
            { method: 'POST', url, payload, headers },
            `${url} type=${type} enc=${enc} auth=${bogus?.slice(0, 20)} raw=${raw ? raw.length : 'no'}`,
            `${body} ${type} ${id} ${bogus ?? ''}`,
          );
          if (response.status < 300) accepted++;
          if (/^[\w.:-]{1,128}$/.test(id)) expect(response.headers['x-request-id']).toBe(id);
          else expect(response.headers['x-request-id']).not.toBe(id);
        },
      ),
      params(),
    );
    const after = await counts();
    // Only code requests (one row each) and whole usage reports may have been accepted.
    expect(after.registrations).toBe(before.registrations);
    expect(after.audit).toBe(before.audit);
    expect(after.records - before.records).toBe((after.reports - before.reports) * 1);
    expect(after.codes - before.codes + (after.reports - before.reports)).toBeLessThanOrEqual(accepted);
    expectUnpolluted();
  });
});

describe('text stored exactly as sent', () => {
  it('keeps long strings and markup in server names verbatim, refuses control characters and line breaks, and the console API returns names as they are', async () => {
    const serverName = fc
      .oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }),
        controlChars.filter((s) => s.length > 0),
        markup,
        fc.string({
          unit: fc.constantFrom('<', '>', '&', '"', "'", '\\', '/', '\u2028', '\u202E', '\t', '\r', '\n', 'é', '😀'),
          minLength: 1,
          maxLength: 120,
        }),
        fc.constant('<b>'.padEnd(255, 'x')),
      )
      .filter((s) => !s.includes('\u0000') && s.length <= 255 && s.trim().length > 0);
    await fc.assert(
      fc.asyncProperty(serverName, async (name) => {
        tried++;
        const issued = await t.client.post(
          '/api/product/v1/codes',
          codeRequest({ serverName: name, hostname: name.slice(0, 253) }),
        );
        // A name is one line of printable text (docs/protocol.md): a control character or a line
        // or paragraph separator is refused; anything else within the limits is stored as sent.
        if (/[\p{Cc}\u2028\u2029]/u.test(name)) {
          expect([issued.status, issued.json.error], JSON.stringify(name)).toEqual([400, 'invalid_request']);
          return;
        }
        expect(issued.status, `${JSON.stringify(name)}: ${issued.body}`).toBe(201);
        const { code } = issued.json as { code: string };
        const preview = await t.client.post('/api/console/registrations/preview', { code }, { as: session });
        expect(preview.json).toMatchObject({ serverName: name, hostname: name.slice(0, 253) });
        const registered = await t.client.post('/api/console/registrations', { code }, { as: session });
        expect(registered.status).toBe(201);
        expect(registered.json.serverName).toBe(name);
        expect(String(registered.headers['content-type'])).toMatch(/^application\/json/);
        const row = await t.db.registration.findUniqueOrThrow({ where: { id: registered.json.id as string } });
        expect(row.serverName).toBe(name);
        const listed = await t.client.get(`/api/console/registrations?query=${encodeURIComponent(name)}&limit=200`, {
          as: session,
        });
        expect(listed.status).toBe(200);
        expect(
          (listed.json.items as { id: string; serverName: string }[]).find((r) => r.id === row.id)?.serverName,
        ).toBe(name);
        // Removed again so the list stays small.
        await t.client.delete(`/api/console/registrations/${row.id}`, undefined, { as: session });
      }),
      params(60),
    );
  });
});

describe('product keys stored exactly as sent', () => {
  it('keeps quotes, backslashes, braces, commas, "NULL" and markup in product codes and editions verbatim', async () => {
    // The records travel to PostgreSQL as array literals (usage.repository.ts): these are its special characters.
    const key = fc
      .oneof(
        fc.string({
          unit: fc.constantFrom('"', '\\', '{', '}', ',', ' ', "'", 'N', 'U', 'L', '\t', '\n', 'é', '😀', 'x'),
          minLength: 1,
          maxLength: 64,
        }),
        fc.constantFrom('NULL', 'null', '{}', '""', '\\"', '{"a","b"}', ' padded '),
        markup,
      )
      .filter((s) => s.trim().length > 0 && s.length <= 64);
    await fc.assert(
      fc.asyncProperty(key, key, async (productCode, edition) => {
        tried++;
        const report = usageReport(t.clock.now(), { products: [[productCode, edition]] });
        const response = await t.client.post('/api/product/v1/usage', report, { as: product });
        expect(response.status, response.body).toBe(202);
        const stored = await t.db.usageRecord.findMany({
          where: { licenseServerId, productCode, edition },
          select: { productCode: true, edition: true },
        });
        expect(stored.length).toBeGreaterThan(0);
        const [rollup] = await t.db.$queryRaw<{ product_code: string; edition: string }[]>`
          SELECT product_code, edition FROM usage_latest
          WHERE license_server_id = ${licenseServerId}::uuid AND product_code = ${productCode} AND edition = ${edition}`;
        expect(rollup).toEqual({ product_code: productCode, edition });
      }),
      params(60),
    );
  });
});
