import { beforeAll, describe, expect, it } from 'vitest';
import { acceptedStep, parseRecoveryCode, totpCode } from '../src/modules/mfa/totp.ts';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import { createSignedInAdmin } from './helpers/factories.ts';
import { codeAt, enrol, nextStep, startSignIn } from './helpers/mfa.ts';

const t = useTestApp();
let client: TestClient;
beforeAll(async () => {
  client = createClient(t.app).with({ prefix: '/api/console' });
});

/** RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890", the last six of the eight digits. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_VECTORS)('at %i s the code is %s, accepted for its step and its neighbours only', (seconds, code) => {
    const at = new Date(seconds * 1000);
    expect(totpCode(RFC_SECRET, at)).toBe(code);
    const step = Math.floor(seconds / 30);
    expect(acceptedStep(RFC_SECRET, code, at)).toBe(step);
    expect(acceptedStep(RFC_SECRET, code, new Date((seconds + 30) * 1000))).toBe(step);
    expect(acceptedStep(RFC_SECRET, code, new Date((seconds - 30) * 1000))).toBe(step);
    expect(acceptedStep(RFC_SECRET, code, new Date((seconds + 90) * 1000))).toBeNull();
    expect(acceptedStep(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, at)).toBe(step);
  });

  it('recovery codes read like short codes: case, spaces and dashes aside, O as 0, I and L as 1', () => {
    expect(parseRecoveryCode('abcde-fghjk')).toBe('ABCDEFGHJK');
    expect(parseRecoveryCode(' oilo1 23456 ')).toBe('0110123456');
    expect(parseRecoveryCode('ABCDE-FGHJ')).toBeNull();
    expect(parseRecoveryCode('ABCDE-FGHJU')).toBeNull();
  });
});

describe('enrolling', () => {
  it('gives a secret and its URL, turns on with a code, and shows ten recovery codes once', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const notStarted = await client.post('/session/mfa/totp/confirm', { code: '123456' }, { as: session });
    expect([notStarted.status, notStarted.json.error]).toEqual([409, 'mfa_enrollment_not_started']);

    const first = await client.post('/session/mfa/totp', undefined, { as: session });
    const started = await client.post('/session/mfa/totp', {}, { as: session });
    expect(started.status).toBe(200);
    expect(started.json.secret).not.toBe(first.json.secret);
    expect(started.json.secret).toMatch(/^[A-Z2-7]{32}$/);
    const email = encodeURIComponent(admin.email);
    expect(started.json.otpauthUrl).toBe(
      `otpauth://totp/Cloud%20Console:${email}?secret=${started.json.secret}&issuer=Cloud%20Console&algorithm=SHA1&digits=6&period=30`,
    );
    // Sealed at rest, as the single sign-on client secret is.
    const stored = await t.db.person.findUniqueOrThrow({ where: { id: admin.personId } });
    expect(stored.totpPendingSecret).toMatch(/^v1\./);
    expect(stored.totpPendingSecret).not.toContain(started.json.secret);

    // The first secret was replaced: its code does not confirm.
    const stale = await client.post(
      '/session/mfa/totp/confirm',
      { code: codeAt(first.json.secret, t.clock.now()) },
      { as: session },
    );
    expect([stale.status, stale.json.error]).toEqual([400, 'mfa_code_invalid']);
    for (const code of ['000000x', '12345', '']) {
      const wrong = await client.post('/session/mfa/totp/confirm', { code }, { as: session });
      expect(wrong.status).toBe(400);
    }
    const confirmed = await client.post(
      '/session/mfa/totp/confirm',
      { code: codeAt(started.json.secret, t.clock.now()) },
      { as: session },
    );
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.json.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const rows = await t.db.recoveryCode.findMany({ where: { personId: admin.personId } });
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(codes.join()).not.toContain(row.codeHash);

    const person = await t.db.person.findUniqueOrThrow({ where: { id: admin.personId } });
    expect(person.totpEnabledAt).not.toBeNull();
    expect(person.totpSecret).toMatch(/^v1\./);
    expect(person.totpPendingSecret).toBeNull();
    for (const again of [
      await client.post('/session/mfa/totp', undefined, { as: session }),
      await client.post('/session/mfa/totp/confirm', { code: '123456' }, { as: session }),
    ])
      expect([again.status, again.json.error]).toEqual([409, 'mfa_already_enabled']);
    const audit = await t.db.auditEvent.findMany({ where: { customerId: admin.customerId, action: 'mfa.enabled' } });
    expect(audit).toHaveLength(1);
  });

  it('refuses hostile and oversized input, a foreign Origin, and API clients', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const extra = await client.post('/session/mfa/totp', { secret: 'AAAA' }, { as: session });
    expect(extra.status).toBe(400);
    const unknown = await client.post('/session/mfa/totp/confirm', { code: '123456', x: 1 }, { as: session });
    expect(unknown.status).toBe(400);
    const long = await client.post('/session/mfa/totp/confirm', { code: '1'.repeat(65) }, { as: session });
    expect(long.status).toBe(400);
    const huge = await client.post('/session/mfa/totp/confirm', { code: 'x'.repeat(100_000) }, { as: session });
    expect([400, 413]).toContain(huge.status);
    const origin = await client.post('/session/mfa/totp', undefined, {
      as: session,
      headers: { ...session.headers, origin: 'https://evil.example' },
    });
    expect([origin.status, origin.json.error]).toEqual([403, 'csrf_failed']);
    const noCsrf = await client.post('/session/mfa/totp', undefined, { headers: { cookie: session.cookie } });
    expect(noCsrf.status).toBe(403);
    const signedOut = await client.post('/session/mfa/totp');
    expect(signedOut.status).toBe(401);
    const bearer = await client.post('/session/mfa/totp', undefined, { as: { token: 'not-a-session' } });
    expect([bearer.status, bearer.json.error]).toEqual([403, 'access_denied']);
  });
});

describe('signing in with two-step verification', () => {
  it('asks for the second step; until then the pending sign-in reaches nothing; a code works once', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const { secret } = await enrol(t, session);
    const confirmedCode = codeAt(secret, t.clock.now());

    const { response, cookie } = await startSignIn(t, admin.email);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    for (const [method, path] of [
      ['GET', '/session'],
      ['GET', '/registrations'],
      ['GET', '/sessions'],
      ['POST', '/session/mfa/totp'],
    ] as const) {
      const refused = await client.send(method, path, undefined, { headers: { cookie } });
      expect([method, path, refused.status, refused.json?.error]).toEqual([method, path, 401, 'unauthenticated']);
    }
    // The code that confirmed the enrolment was used: a code of that step (or before) is refused.
    const replayed = await client.post('/session/mfa', { code: confirmedCode }, { headers: { cookie } });
    expect([replayed.status, replayed.json.error]).toEqual([400, 'mfa_code_invalid']);

    nextStep(t);
    const code = codeAt(secret, t.clock.now());
    const done = await client.post('/session/mfa', { code }, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(done.json.admin.email).toBe(admin.email);
    const newCookie = done.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect(newCookie).not.toBe(cookie);
    const me = await client.get('/session', { headers: { cookie: newCookie } });
    expect(me.status).toBe(200);
    // The pending sign-in is spent.
    const again = await client.post('/session/mfa', { code }, { headers: { cookie } });
    expect(again.status).toBe(401);
    // The same code on another pending sign-in: used already.
    const other = await startSignIn(t, admin.email);
    const reused = await client.post('/session/mfa', { code }, { headers: { cookie: other.cookie } });
    expect([reused.status, reused.json.error]).toEqual([400, 'mfa_code_invalid']);

    const signedIn = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: 'session.signed_in' },
      orderBy: { at: 'desc' },
    });
    expect(signedIn[0]!.details).toMatchObject({ method: 'password', mfa: 'totp' });
    const failed = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: 'session.sign_in_failed' },
    });
    expect(failed.map((f) => (f.details as { reason?: string }).reason)).toEqual(['mfa_code', 'mfa_code']);
  });

  it('takes a recovery code once, however it is typed, and audits how many are left', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const { recoveryCodes } = await enrol(t, session);
    const typed = ` ${recoveryCodes[3]!.toLowerCase().replace('-', ' ')} `;
    const first = await startSignIn(t, admin.email);
    const done = await client.post('/session/mfa', { recoveryCode: typed }, { headers: { cookie: first.cookie } });
    expect(done.status).toBe(200);
    const used = await t.db.auditEvent.findFirstOrThrow({
      where: { customerId: admin.customerId, action: 'mfa.recovery_code_used' },
    });
    expect(used.details).toEqual({ remaining: 9 });
    const signedIn = await t.db.auditEvent.findFirstOrThrow({
      where: {
        customerId: admin.customerId,
        action: 'session.signed_in',
        details: { path: ['mfa'], equals: 'recovery_code' },
      },
    });
    expect(signedIn).toBeTruthy();
    const second = await startSignIn(t, admin.email);
    const reused = await client.post(
      '/session/mfa',
      { recoveryCode: recoveryCodes[3] },
      { headers: { cookie: second.cookie } },
    );
    expect([reused.status, reused.json.error]).toEqual([400, 'mfa_code_invalid']);
  });

  it('two requests with the same code at once: one session', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const { secret } = await enrol(t, session);
    const a = await startSignIn(t, admin.email);
    const b = await startSignIn(t, admin.email);
    nextStep(t);
    const code = codeAt(secret, t.clock.now());
    const answers = await Promise.all(
      [a, b].map((p) => client.post('/session/mfa', { code }, { headers: { cookie: p.cookie } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});
