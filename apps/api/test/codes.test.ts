import { beforeAll, describe, expect, it } from 'vitest';
import { codeIdOf, createCodeService } from '../src/modules/codes/codes.service.ts';
import { sha256 } from '../src/lib/crypto.ts';
import { TEST_SECRETS, useTestApp } from './helpers/app.ts';
import { codeRequest, createSignedInAdmin, requestCode, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.client.post(url, payload, { headers });
const poll = (pollToken: string) => post('/api/product/v1/codes/poll', { pollToken });
const register = (code: string) => post('/api/console/registrations', { code }, session.headers);

describe('POST /api/product/v1/codes', () => {
  it('issues an 8-character code of the alphabet with a poll token and the verification link', async () => {
    const response = await post('/api/product/v1/codes', codeRequest());
    expect(response.status).toBe(201);
    const body = response.json;
    expect(body.code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(body.pollToken).toMatch(/^[\w-]{43}$/);
    expect(body).toMatchObject({ expiresIn: 900, interval: 5 });
    expect(Date.parse(body.expiresAt) - t.clock.now().getTime()).toBe(900_000);
    expect(body.verificationUri).toBe('http://localhost:8080/iam/api-access/product-registrations');
    expect(body.verificationUriComplete).toBe(`${body.verificationUri}?code=${body.code}`);
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('never stores the code or poll token in clear', async () => {
    const { code, pollToken } = await requestCode(t.app);
    const rows = await t.db.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM registration_codes WHERE code_hash = $1 OR poll_token_hash = $2 OR row_to_json(registration_codes)::text LIKE '%' || $1 || '%'`,
      code,
      pollToken,
    );
    expect(rows).toHaveLength(0);
  });

  it('makes a new independent code on each request of the same server', async () => {
    const instanceId = crypto.randomUUID();
    const a = await requestCode(t.app, { instanceId });
    const b = await requestCode(t.app, { instanceId });
    expect(a.code).not.toBe(b.code);
    await register(b.code);
    t.clock.advance(5_000);
    expect((await poll(a.pollToken)).status).toBe(202);
  });

  it.each([
    ['another product', { product: 'other-product' }, 'unsupported_product'],
    ['an old version', { productVersion: '11.14.9.9' }, 'unsupported_product_version'],
    ['usage sharing off', { usageSharing: false }, 'usage_sharing_required'],
  ])('refuses %s with 422', async (_name, overrides, error) => {
    const response = await post('/api/product/v1/codes', codeRequest(overrides));
    expect(response.status).toBe(422);
    expect(response.json.error).toBe(error);
    expect(response.json.message).toEqual(expect.any(String));
  });

  it('gives another code to a request whose code is taken, alone or in a batch of concurrent requests', async () => {
    // Codes are random; this generator makes them collide on purpose.
    const script = ['TAKEN222', 'TAKEN222', 'TAKEN222', 'FRESH333', 'FRESH444', 'FRESH555'];
    const codes = createCodeService({
      db: t.db,
      clock: t.clock,
      config: t.config,
      codeHmacSecret: TEST_SECRETS.codeHmacSecret,
      generateCode: () => script.shift() ?? crypto.randomUUID().slice(0, 8).toUpperCase(),
    });
    const input = (serverName: string) => ({ ...codeRequest(), serverName });
    const first = await codes.requestCode(input('first'), '192.0.2.1');
    expect(first.code).toBe('TAKEN222');
    // Two requests in one batch, both drawing the taken code: neither row is stored, both try again.
    const [second, third] = await Promise.all([
      codes.requestCode(input('second'), '192.0.2.1'),
      codes.requestCode(input('third'), '192.0.2.1'),
    ]);
    expect(new Set([second.code, third.code])).toEqual(new Set(['FRESH333', 'FRESH444']));
    const stored = await t.db.registrationCode.findMany({
      where: { serverName: { in: ['first', 'second', 'third'] } },
      select: { serverName: true },
    });
    expect(stored.map((row) => row.serverName).sort()).toEqual(['first', 'second', 'third']);
    // Each answer's poll token finds its own row.
    for (const [answer, name] of [
      [first, 'first'],
      [second, 'second'],
      [third, 'third'],
    ] as const) {
      t.clock.advance(5_000);
      const response = await poll(answer.pollToken);
      expect(response.status, name).toBe(202);
    }
  });

  it('makes the row id, a version-8 UUID, from the poll token hash, so a poll finds its row by primary key', async () => {
    const { pollToken } = await requestCode(t.app);
    const id = codeIdOf(sha256(pollToken));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await t.db.registrationCode.count({ where: { id, pollTokenHash: sha256(pollToken) } })).toBe(1);
    // A token one character off has another hash, hence another id: unknown.
    const other = pollToken.slice(0, -1) + (pollToken.endsWith('A') ? 'B' : 'A');
    expect((await poll(other)).json.error).toBe('invalid_poll_token');
  });

  it('compares versions numerically and names the minimum', async () => {
    const old = await post('/api/product/v1/codes', codeRequest({ productVersion: '9.99' }));
    expect(old.json).toMatchObject({ error: 'unsupported_product_version', minimumVersion: '11.15.0.0' });
    expect((await post('/api/product/v1/codes', codeRequest({ productVersion: '11.100.0.0' }))).status).toBe(201);
    expect((await post('/api/product/v1/codes', codeRequest({ productVersion: '11.15' }))).status).toBe(201);
  });

  it.each([
    ['an unknown field', { ...codeRequest(), extra: 1 }],
    ['a missing field', { ...codeRequest(), instanceId: undefined }],
    ['an instanceId that is not a UUID', codeRequest({ instanceId: 'abc' })],
    ['a server name of 256 characters', codeRequest({ serverName: 'x'.repeat(256) })],
    ['a host name of 254 characters', codeRequest({ hostname: 'h'.repeat(254) })],
    ['an os of 256 characters', codeRequest({ os: 'o'.repeat(256) })],
    ['a NUL character', codeRequest({ serverName: 'LS\u000001' })],
    ['a version that is not dotted numbers', codeRequest({ productVersion: '11.x' })],
    ['usageSharing as a string', { ...codeRequest(), usageSharing: 'true' }],
    ['an array body', [codeRequest()]],
  ])('answers 400 invalid_request for %s', async (_name, body) => {
    const response = await post('/api/product/v1/codes', body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
  });

  // Control characters and line breaks in names would start lines of their own in a mail or a log.
  it.each(['\n', '\r', '\u0000', '\u001b', '\u2028', '\u2029', '\t', '\u007f', '\u0085'])(
    'answers 400 invalid_request for %j in a server or host name',
    async (ch) => {
      for (const body of [
        codeRequest({ serverName: `Evil${ch}Customer: Evil Corp` }),
        codeRequest({ hostname: `evil${ch}.example.com` }),
      ]) {
        const response = await post('/api/product/v1/codes', body);
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
      }
    },
  );

  it('stores text at the limits exactly as sent', async () => {
    const serverName = `<b>${'é'.repeat(248)}</b>`;
    expect(serverName.length).toBe(255);
    const { code } = await requestCode(t.app, { serverName, hostname: 'h'.repeat(253) });
    const preview = await post('/api/console/registrations/preview', { code }, session.headers);
    expect(preview.json).toMatchObject({ serverName, hostname: 'h'.repeat(253) });
  });

  it('answers 400 for malformed JSON, 415 for another media type and 413 above 8 KiB', async () => {
    const bad = await t.client.post('/api/product/v1/codes', '{"product":', {
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_request');
    const xml = await t.client.post('/api/product/v1/codes', '<a/>', {
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.json.error).toBe('unsupported_media_type');
    const big = await post('/api/product/v1/codes', codeRequest({ os: 'x'.repeat(9_000) }));
    expect(big.status).toBe(413);
    expect(big.json.error).toBe('payload_too_large');
  });

  it('echoes a client request id', async () => {
    const response = await post('/api/product/v1/codes', codeRequest(), { 'x-request-id': 'abc-123' });
    expect(response.headers['x-request-id']).toBe('abc-123');
  });
});

describe('POST /api/product/v1/codes/poll', () => {
  it('answers 401 invalid_poll_token for an unknown token and 400 for a bad body', async () => {
    const unknown = await poll('not-a-real-token');
    expect(unknown.status).toBe(401);
    expect(unknown.json.error).toBe('invalid_poll_token');
    expect((await post('/api/product/v1/codes/poll', { pollToken: 'x', more: 1 })).status).toBe(400);
  });

  it('answers pending at the interval and slow_down, growing by 5 s, when polled too fast', async () => {
    const { pollToken } = await requestCode(t.app);
    t.clock.advance(5_000);
    expect((await poll(pollToken)).json).toEqual({ status: 'pending', interval: 5 });
    t.clock.advance(1_000);
    const tooFast = await poll(pollToken);
    expect(tooFast.status).toBe(429);
    expect(tooFast.json).toMatchObject({ error: 'slow_down', interval: 10, message: expect.any(String) });
    // Measured from the refused poll: 5 s later is now too soon for the 10 s interval.
    t.clock.advance(5_000);
    expect((await poll(pollToken)).json).toMatchObject({ error: 'slow_down', interval: 15 });
    t.clock.advance(15_000);
    expect((await poll(pollToken)).json).toEqual({ status: 'pending', interval: 15 });
  });

  it('tolerates jitter: a poll 80% of the interval after the last is not told to slow down', async () => {
    const { pollToken } = await requestCode(t.app);
    t.clock.advance(4_000);
    expect((await poll(pollToken)).status).toBe(202);
    t.clock.advance(3_999);
    expect((await poll(pollToken)).status).toBe(429);
  });

  it('answers 410 expired_code once a pending code expired', async () => {
    const { pollToken, code } = await requestCode(t.app);
    t.clock.advance(900_000);
    const response = await poll(pollToken);
    expect(response.status).toBe(410);
    expect(response.json.error).toBe('expired_code');
    expect((await register(code)).json.error).toBe('expired_code');
  });

  it('delivers the credential exactly once, then answers 410 code_consumed', async () => {
    const { pollToken, code } = await requestCode(t.app);
    expect((await register(code)).status).toBe(201);
    const first = await poll(pollToken);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      status: 'registered',
      registrationId: expect.any(String),
      credential: expect.stringMatching(/^[\w-]{43}$/),
      customer: { id: session.customer.id, name: session.customer.name },
    });
    const second = await poll(pollToken);
    expect(second.status).toBe(410);
    expect(second.json.error).toBe('code_consumed');
    // The credential works, and it is stored only as a hash.
    const credential = first.json.credential as string;
    const heartbeat = await t.client.get('/api/product/v1/registration', {
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(heartbeat.status).toBe(200);
    const clear = await t.db.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM registrations WHERE credential_hash = $1`,
      credential,
    );
    expect(clear).toHaveLength(0);
  });

  it('answers every poll at once, whatever the pace, once the code is no longer pending', async () => {
    const { pollToken, code } = await requestCode(t.app);
    expect((await poll(pollToken)).status).toBe(429);
    await register(code);
    expect((await poll(pollToken)).status).toBe(200);
    expect((await poll(pollToken)).status).toBe(410);
  });

  it('delivers a registration made in time even when polled after expiry', async () => {
    const { pollToken, code } = await requestCode(t.app);
    t.clock.advance(899_000);
    expect((await register(code)).status).toBe(201);
    t.clock.advance(60_000);
    expect((await poll(pollToken)).status).toBe(200);
  });

  it('answers 403 access_denied for a denied code', async () => {
    const { pollToken, code } = await requestCode(t.app);
    expect((await post('/api/console/registrations/deny', { code }, session.headers)).status).toBe(204);
    const response = await poll(pollToken);
    expect(response.status).toBe(403);
    expect(response.json.error).toBe('access_denied');
  });

  it('delivers one credential when the product polls concurrently', async () => {
    const { pollToken, code } = await requestCode(t.app);
    await register(code);
    t.clock.advance(5_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => poll(pollToken)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 410)).toHaveLength(9);
  });
});
