import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { TEST_PASSWORD, createAdmin, signIn, type SignedIn } from './helpers/factories.ts';

// A small sign-in failure limit: each failure is a real scrypt, and ten of them took most of the
// 30 s timeout on a loaded two-core machine. Three prove the same rule.
const FAILURES_PER_EMAIL_ADDRESS = 3;
const t = useTestApp({ LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: FAILURES_PER_EMAIL_ADDRESS });

/** What GET /session answers a full admin of one customer, who need do nothing before working. */
const sessionBodyOf = (session: SignedIn) => ({
  admin: session.admin,
  customer: session.customer,
  csrfToken: session.csrfToken,
  passwordChangeRequired: false,
  mfaEnrollmentRequired: false,
  customers: [{ ...session.customer, role: 'full' }],
});
const signInRaw = (payload: unknown, headers: Record<string, string> = {}) =>
  t.client.post('/api/console/session', payload, { headers });

describe('console sessions', () => {
  it('signs in with a case-insensitive email, sets a protected cookie and returns the CSRF token', async () => {
    const admin = await createAdmin(t.db);
    const response = await signInRaw({ email: admin.email.toUpperCase(), password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      admin: { id: admin.id, email: admin.email },
      customer: { id: admin.customerId, name: admin.customer.name },
      csrfToken: expect.any(String),
    });
    const cookie = response.cookies[0]!;
    expect(cookie).toMatchObject({ name: 'session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const admin = await createAdmin(t.db);
    const wrong = await signInRaw({ email: admin.email, password: 'wrong password' });
    const unknown = await signInRaw({ email: 'nobody@example.com', password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error).toBe('invalid_credentials');
  });

  it('restores the session body on GET and ends it on sign-out', async () => {
    const admin = await createAdmin(t.db);
    const session = await signIn(t.app, admin.email);
    const restored = await t.client.get('/api/console/session', { headers: { cookie: session.cookie } });
    expect(restored.json).toEqual(sessionBodyOf(session));
    const out = await t.client.delete('/api/console/session', undefined, { as: session });
    expect(out.status).toBe(204);
    const after = await t.client.get('/api/console/session', { headers: { cookie: session.cookie } });
    expect(after.status).toBe(401);
    expect(after.json.error).toBe('unauthenticated');
  });

  it('answers the console probe (?probe=1) 204 when signed out, the session when signed in, and 401 without it', async () => {
    const probe = (headers: Record<string, string> = {}) => t.client.get('/api/console/session?probe=1', { headers });
    const signedOut = await probe({ cookie: 'session=abc.def' });
    expect(signedOut.status).toBe(204);
    expect(signedOut.body).toBe('');
    expect((await probe()).status).toBe(204);
    // Without the probe, API clients keep the 401 they know.
    const plain = await t.client.get('/api/console/session');
    expect(plain.status).toBe(401);
    expect(plain.json.error).toBe('unauthenticated');
    // A bearer token is still refused as before (API clients have no console session): only a browser is told 204.
    expect((await probe({ authorization: 'Bearer nope' })).status).toBe(403);

    const admin = await createAdmin(t.db);
    const session = await signIn(t.app, admin.email);
    const signedIn = await probe({ cookie: session.cookie });
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toEqual(sessionBodyOf(session));
  });

  it('refuses a forged or unsigned cookie', async () => {
    const response = await t.client.get('/api/console/session', { headers: { cookie: 'session=abc.def' } });
    expect(response.status).toBe(401);
  });

  it('ends a session after 30 idle minutes and after 12 hours in all', async () => {
    const admin = await createAdmin(t.db);
    const idle = await signIn(t.app, admin.email);
    t.clock.advance(29 * 60_000);
    expect((await t.client.get('/api/console/session', { as: idle })).status).toBe(200);
    t.clock.advance(30 * 60_000);
    expect((await t.client.get('/api/console/session', { as: idle })).status).toBe(401);

    const busy = await signIn(t.app, admin.email);
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      t.clock.advance(20 * 60_000);
      expect((await t.client.get('/api/console/session', { as: busy })).status).toBe(200);
    }
    t.clock.advance(20 * 60_000);
    expect((await t.client.get('/api/console/session', { as: busy })).status).toBe(401);
  });

  it('requires the CSRF token on changes and refuses another Origin', async () => {
    const admin = await createAdmin(t.db);
    const session = await signIn(t.app, admin.email);
    const noToken = await t.client.post(
      '/api/console/registrations/preview',
      { code: 'ABCDEFGH' },
      { headers: { cookie: session.cookie } },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.json.error).toBe('csrf_failed');
    const otherSite = await t.client.post(
      '/api/console/registrations/preview',
      { code: 'ABCDEFGH' },
      { headers: { ...session.headers, origin: 'https://evil.example' } },
    );
    expect(otherSite.status).toBe(403);
    const signInFromElsewhere = await signInRaw(
      { email: admin.email, password: TEST_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(signInFromElsewhere.status).toBe(403);
    const sameSite = await signInRaw(
      { email: admin.email, password: TEST_PASSWORD },
      { origin: 'http://localhost:8080' },
    );
    expect(sameSite.status).toBe(200);
  });

  it('answers 401 unauthenticated on console routes without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/console/registrations'],
      ['GET', '/api/console/audit-events'],
      ['POST', '/api/console/registrations/preview'],
    ] as const) {
      const response = method === 'POST' ? await t.client.post(url, { code: 'ABCDEFGH' }) : await t.client.get(url);
      expect(response.status).toBe(401);
      expect(response.json.error).toBe('unauthenticated');
    }
  });

  it('limits sign-in failures per email and address, with Retry-After', async () => {
    const admin = await createAdmin(t.db);
    for (let i = 0; i < FAILURES_PER_EMAIL_ADDRESS; i++)
      expect((await signInRaw({ email: admin.email, password: 'wrong password' })).status).toBe(401);
    const limited = await signInRaw({ email: admin.email, password: TEST_PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.json.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1_000);
    expect((await signInRaw({ email: admin.email, password: TEST_PASSWORD })).status).toBe(200);
  }, 90_000);

  it('validates the sign-in body', async () => {
    expect((await signInRaw({ email: 'not-an-email', password: 'x' })).status).toBe(400);
    expect((await signInRaw({ email: 'a@example.com', password: 'x'.repeat(257) })).status).toBe(400);
    expect((await signInRaw({ email: 'a@example.com', password: 'password1', remember: true })).status).toBe(400);
  });
});
