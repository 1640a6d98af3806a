import { beforeAll, describe, expect, it, vi } from 'vitest';
import { commonPasswordCount, passwordWeaknesses } from '../src/lib/password-policy.ts';
import { adminsOver } from './helpers/admins.ts';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import {
  createAdmin,
  createSignedInAdmin,
  signIn,
  STRONG_PASSWORD,
  tokenOf,
  TEST_PASSWORD,
} from './helpers/factories.ts';
import { mailText, useSmtpServer } from './helpers/receivers.ts';

const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url, LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: 3 }));
let client: TestClient;
beforeAll(async () => {
  client = createClient(t.app).with({ prefix: '/api/console' });
});

const unique = () => crypto.randomUUID().slice(0, 8);

/** A customer whose first admin the operator made, with a temporary password unless `permanent`. */
async function operatorMade(permanent = false) {
  const email = `op-${unique()}@example.com`;
  await adminsOver(t.db).createCustomer(
    { type: 'operator', label: 'Test operator' },
    { name: `Operator ${unique()}`, email, password: TEST_PASSWORD, role: 'full', permanent },
  );
  return email;
}

async function resetLink(address: string): Promise<string> {
  const mail = await vi.waitFor(
    async () => {
      // The outbox's dispatcher sends it (the server's loop does this every second).
      await t.app.services.notifications.deliverDue();
      const found = smtp.mails.filter((m) => m.to.includes(address)).at(-1);
      if (!found) throw new Error(`no mail to ${address} yet`);
      return found;
    },
    { timeout: 30_000, interval: 50 },
  );
  return mailText(mail.raw).match(/^(http:\/\/localhost:8080\/reset-password#token=[\w-]{43})$/m)![1]!;
}

describe('the password policy', () => {
  it('ships at least 10,000 common passwords, compared case-insensitively, and the other rules', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
    expect(passwordWeaknesses('1q2w3e4r5t6y', 'a@example.com')).toEqual(['common']);
    expect(passwordWeaknesses('QWERTY123456', 'a@example.com')).toEqual(['common']);
    expect(passwordWeaknesses('Kx7v-Pq2m', 'a@example.com')).toEqual(['too_short']);
    expect(passwordWeaknesses('x'.repeat(257), 'a@example.com')).toEqual(['too_long']);
    expect(passwordWeaknesses('my name is Harriet!!', 'harriet@example.com')).toEqual(['contains_email']);
    // A short local part is not a rule: "bo" would refuse too much.
    expect(passwordWeaknesses('bo knows passwords', 'bo@example.com')).toEqual([]);
    expect(passwordWeaknesses(STRONG_PASSWORD, 'someone@example.com')).toEqual([]);
  });
});

describe('temporary passwords and restricted sessions', () => {
  it('an operator-made password must be changed first; then the session is free', async () => {
    const email = await operatorMade();
    const session = await signIn(t.app, email);
    const other = await signIn(t.app, email);
    expect(session.passwordChangeRequired).toBe(true);
    const refused = await client.get('/registrations', { as: session });
    expect([refused.status, refused.json.error]).toEqual([403, 'password_change_required']);
    expect((await client.get('/session', { as: session })).json.passwordChangeRequired).toBe(true);

    const wrong = await client.put(
      '/session/password',
      { currentPassword: 'nope', newPassword: STRONG_PASSWORD },
      {
        as: session,
      },
    );
    expect([wrong.status, wrong.json.error]).toEqual([403, 'password_incorrect']);
    const weak = await client.put(
      '/session/password',
      { currentPassword: TEST_PASSWORD, newPassword: 'Kx7v-Pq2m' },
      {
        as: session,
      },
    );
    expect([weak.status, weak.json.error, weak.json.reasons]).toEqual([400, 'weak_password', ['too_short']]);
    const changed = await client.put(
      '/session/password',
      { currentPassword: TEST_PASSWORD, newPassword: STRONG_PASSWORD },
      { as: session },
    );
    expect(changed.status).toBe(204);
    expect((await client.get('/session', { as: session })).json.passwordChangeRequired).toBe(false);
    expect((await client.get('/registrations', { as: session })).status).toBe(200);
    // The other session ended; this one stays.
    expect((await client.get('/session', { as: other })).status).toBe(401);
    expect((await signIn(t.app, email, STRONG_PASSWORD)).passwordChangeRequired).toBe(false);
  });

  it('--permanent-password (and SEED_ADMIN_PASSWORD_PERMANENT) sign in unrestricted', async () => {
    const session = await signIn(t.app, await operatorMade(true));
    expect(session.passwordChangeRequired).toBe(false);
  });

  it('a customer requiring two-step verification restricts a password session from its next request', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    expect((await client.get('/registrations', { as: session })).status).toBe(200);
    await t.db.customer.update({ where: { id: admin.customerId }, data: { requireMfa: true } });
    const refused = await client.get('/registrations', { as: session });
    expect([refused.status, refused.json.error]).toEqual([403, 'mfa_enrollment_required']);
    expect((await client.get('/session', { as: session })).json.mfaEnrollmentRequired).toBe(true);
    expect((await client.delete('/session', undefined, { as: session })).status).toBe(204);
  });

  it('409 password_not_set for a person without a password (made by single sign-on)', async () => {
    const customer = await t.db.customer.create({ data: { name: `SSO ${unique()}` } });
    const admin = await t.app.services.admins.createActiveWithoutPassword(t.db, {
      customerId: customer.id,
      email: `sso-${unique()}@example.com`,
      role: 'full',
    });
    const { token, session } = await t.app.services.sessions.startSession({
      adminId: admin.id,
      method: 'sso',
      client: { address: '127.0.0.1', userAgent: null },
    });
    const headers = { cookie: `session=${t.app.signCookie(token)}`, 'x-csrf-token': session.csrfToken };
    const refused = await client.put(
      '/session/password',
      { currentPassword: 'x', newPassword: STRONG_PASSWORD },
      {
        headers,
      },
    );
    expect([refused.status, refused.json.error]).toEqual([409, 'password_not_set']);
    expect((await client.get('/sessions', { headers })).json.items[0].method).toBe('sso');
  });

  it('a wrong current password counts as a failed sign-in (429 once the limit is reached)', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const attempt = () =>
      client.put('/session/password', { currentPassword: 'wrong', newPassword: STRONG_PASSWORD }, { as: session });
    for (let i = 0; i < 3; i++) expect((await attempt()).json.error).toBe('password_incorrect');
    const limited = await attempt();
    expect([limited.status, limited.json.error]).toEqual([429, 'rate_limited']);
    const signInToo = await client.post('/session', { email: admin.email, password: TEST_PASSWORD });
    expect(signInToo.status).toBe(429);
  });
});

describe('forgot password', () => {
  it('mails a single-use 30-minute link to an active admin; the same 202 for anyone', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const asked = await client.post('/password-reset', { email: admin.email.toUpperCase() });
    expect([asked.status, asked.body]).toEqual([202, '']);
    const unknown = await client.post('/password-reset', { email: `nobody-${unique()}@example.com` });
    expect([unknown.status, unknown.body]).toEqual([202, '']);
    const malformed = await client.post('/password-reset', { email: 'not an email' });
    expect([malformed.status, malformed.json.error]).toEqual([400, 'invalid_request']);
    const strict = await client.post('/password-reset', { email: admin.email, extra: 1 });
    expect(strict.status).toBe(400);

    const link = await resetLink(admin.email);
    const weak = await client.post('/password-reset/complete', { token: tokenOf(link), newPassword: 'password1234' });
    expect([weak.status, weak.json.error]).toEqual([400, 'weak_password']);
    const done = await client.post('/password-reset/complete', { token: tokenOf(link), newPassword: STRONG_PASSWORD });
    expect(done.status).toBe(204);
    // Every session ended; the new password signs in.
    expect((await client.get('/session', { as: session })).status).toBe(401);
    await signIn(t.app, admin.email, STRONG_PASSWORD);
    const used = await client.post('/password-reset/complete', { token: tokenOf(link), newPassword: STRONG_PASSWORD });
    expect([used.status, used.json.error]).toEqual([404, 'password_reset_not_found']);
    const audit = JSON.stringify(await t.db.auditEvent.findMany({ where: { customerId: admin.customerId } }));
    expect(audit).toContain('password.reset_requested');
    expect(audit).toContain('password.reset_completed');
    expect(audit).not.toContain(tokenOf(link));
  });

  it('a link expires after 30 minutes (410), and using one kills the others', async () => {
    const admin = await createAdmin(t.db);
    await client.post('/password-reset', { email: admin.email });
    const first = await resetLink(admin.email);
    await client.post('/password-reset', { email: admin.email });
    const second = await vi.waitFor(async () => {
      const link = await resetLink(admin.email);
      if (link === first) throw new Error('second mail not yet');
      return link;
    });
    expect(
      (await client.post('/password-reset/complete', { token: tokenOf(second), newPassword: STRONG_PASSWORD })).status,
    ).toBe(204);
    const killed = await client.post('/password-reset/complete', {
      token: tokenOf(first),
      newPassword: STRONG_PASSWORD,
    });
    expect([killed.status, killed.json.error]).toEqual([404, 'password_reset_not_found']);

    const later = await createAdmin(t.db);
    await client.post('/password-reset', { email: later.email });
    const old = await resetLink(later.email);
    t.clock.advance(31 * 60_000);
    const expired = await client.post('/password-reset/complete', {
      token: tokenOf(old),
      newPassword: STRONG_PASSWORD,
    });
    expect([expired.status, expired.json.error]).toEqual([410, 'password_reset_expired']);
  });

  it('limits requests per email (5 an hour), known or not, with Retry-After', async () => {
    const email = `limit-${unique()}@example.com`;
    for (let i = 0; i < 5; i++) expect((await client.post('/password-reset', { email })).status).toBe(202);
    const limited = await client.post('/password-reset', { email });
    expect([limited.status, limited.json.error]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('sessions', () => {
  it('lists the caller’s own sessions and ends one, or all others', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const long = 'Mozilla/5.0 '.padEnd(700, 'x');
    const second = await client.post(
      '/session',
      { email: admin.email, password: TEST_PASSWORD },
      {
        headers: { 'user-agent': long },
      },
    );
    const secondCookie = second.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const third = await signIn(t.app, admin.email);
    const listed = await client.get('/sessions', { as: session });
    expect(listed.headers['cache-control']).toBe('no-store');
    const items = listed.json.items as { id: string; current: boolean; userAgent: string | null; method: string }[];
    expect(items).toHaveLength(3);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.every((s) => s.method === 'password')).toBe(true);
    expect(items.find((s) => s.userAgent?.startsWith('Mozilla'))!.userAgent).toHaveLength(512);

    const { session: stranger } = await createSignedInAdmin(t.app, t.db);
    const theirs = await client.delete(`/sessions/${items[0]!.id}`, undefined, { as: stranger });
    expect([theirs.status, theirs.json.error]).toEqual([404, 'not_found']);
    const bogus = await client.delete('/sessions/not-a-uuid', undefined, { as: session });
    expect(bogus.status).toBe(404);

    const thirdId = (await client.get('/sessions', { as: third })).json.items.find(
      (s: { current: boolean }) => s.current,
    ).id;
    expect((await client.delete(`/sessions/${thirdId}`, undefined, { as: session })).status).toBe(204);
    expect((await client.get('/session', { as: third })).status).toBe(401);
    expect((await client.delete('/sessions', undefined, { as: session })).status).toBe(204);
    expect((await client.get('/session', { headers: { cookie: secondCookie } })).status).toBe(401);
    expect((await client.get('/sessions', { as: session })).json.items).toHaveLength(1);
    const revoked = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: 'session.revoked' },
    });
    expect(revoked).toHaveLength(2);
  });

  it('closes session routes to API clients', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const created = (await client.post('/api-clients', { name: 'Script' }, { as: session })).json;
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/token',
        payload: { grant_type: 'client_credentials', client_id: created.clientId, client_secret: created.clientSecret },
      })
    ).json().access_token as string;
    const refused = await client.get('/sessions', { headers: { authorization: `Bearer ${token}` } });
    expect([refused.status, refused.json.error]).toEqual([403, 'access_denied']);
  });
});
