import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import {
  createAdmin,
  createSignedInAdmin,
  inviteAndAccept,
  signIn,
  STRONG_PASSWORD,
  tokenOf,
  type SignedIn,
} from './helpers/factories.ts';
import { mailText, useSmtpServer } from './helpers/receivers.ts';

const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
let client: TestClient;
let full: SignedIn;
beforeAll(async () => {
  client = createClient(t.app).with({ prefix: '/api/console' });
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
});

const email = (name = 'invitee') => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

interface Invited {
  admin: { id: string; email: string; role: string; status: string; invitationExpiresAt: string | null };
  invitationUrl: string;
  emailSent: boolean;
}
const invite = (address: string, by: SignedIn = full, role = 'full') =>
  client.post<Invited & { error?: string }>('/admins', { email: address, role }, { as: by });

/** The link on a line of its own in the newest mail to `address`, once the mail arrived (sent after the answer, by the outbox). */
async function mailedLink(address: string, path = '/accept-invitation'): Promise<{ link: string; text: string }> {
  const mail = await vi.waitFor(
    async () => {
      // The outbox's dispatcher sends it (the server's loop does this every second).
      await t.app.services.notifications.deliverDue();
      const found = smtp.mails
        .filter((m) => m.to.includes(address) && mailText(m.raw).includes(`${path}#token=`))
        .at(-1);
      if (!found) throw new Error(`no mail to ${address} yet`);
      return found;
    },
    { timeout: 30_000, interval: 50 },
  );
  const text = mailText(mail.raw);
  const link = text.match(new RegExp(`^(http://localhost:8080${path}#token=[A-Za-z0-9_-]{43})$`, 'm'))![1]!;
  return { link, text };
}

const accept = (body: object, headers: Record<string, string> = {}) =>
  client.post('/invitations/accept', body, { headers });

describe('invitations', () => {
  it('invites by mail with a single-use link; the invitee chooses a password and is signed in', async () => {
    const address = email();
    const invited = await invite(address.toUpperCase());
    expect(invited.status).toBe(201);
    expect(invited.headers['cache-control']).toBe('no-store');
    expect(invited.json).toMatchObject({ admin: { email: address, status: 'invited' }, emailSent: true });
    expect(invited.json).not.toHaveProperty('password');
    expect(invited.json.invitationUrl).toMatch(/^http:\/\/localhost:8080\/accept-invitation#token=[\w-]{43}$/);
    const { link } = await mailedLink(address);
    expect(link).toBe(invited.json.invitationUrl);

    // An invited admin can't sign in yet: the same answer as an unknown email.
    const early = await client.post('/session', { email: address, password: STRONG_PASSWORD });
    expect([early.status, early.json.error]).toEqual([401, 'invalid_credentials']);

    // A weak password is refused with its reasons, and the link stays usable.
    const weak = await accept({ token: tokenOf(link), password: 'qwerty123456' });
    expect([weak.status, weak.json.error]).toEqual([400, 'weak_password']);
    expect(weak.json.reasons).toEqual(['common']);

    const accepted = await accept({ token: tokenOf(link), password: STRONG_PASSWORD });
    expect(accepted.status).toBe(200);
    expect(accepted.headers['cache-control']).toBe('no-store');
    expect(accepted.json).toMatchObject({
      admin: { email: address, role: 'full' },
      passwordChangeRequired: false,
      mfaEnrollmentRequired: false,
    });
    expect(accepted.cookies.map((c) => c.name)).toContain('session');
    const listed = (await client.get('/admins', { as: full })).json.items.find(
      (a: { id: string }) => a.id === invited.json.admin.id,
    );
    expect(listed).toMatchObject({ status: 'active', invitationExpiresAt: null, mfaEnabled: false, breakGlass: false });
    // Single use.
    const again = await accept({ token: tokenOf(link), password: STRONG_PASSWORD });
    expect([again.status, again.json.error]).toEqual([404, 'invitation_not_found']);
    await signIn(t.app, address, STRONG_PASSWORD);
  });

  it('renewing kills the earlier link; expired links are 410; accepted ones 409 admin_active', async () => {
    const address = email();
    const first = (await invite(address)).json;
    const renewed = await client.post<Invited>(`/admins/${first.admin.id}/invitation`, undefined, { as: full });
    expect(renewed.status).toBe(200);
    expect(renewed.json.invitationUrl).not.toBe(first.invitationUrl);
    const old = await accept({ token: tokenOf(first.invitationUrl), password: STRONG_PASSWORD });
    expect([old.status, old.json.error]).toEqual([404, 'invitation_not_found']);

    // Time passes (every session signed in before idles out): a new session of the same customer renews.
    t.clock.advance(72 * 3_600_000 + 1_000);
    const late = await accept({ token: tokenOf(renewed.json.invitationUrl), password: STRONG_PASSWORD });
    expect([late.status, late.json.error]).toEqual([410, 'invitation_expired']);
    full = await signIn(t.app, (await createAdmin(t.db, full.customer.id)).email);
    const fresh = await client.post<Invited>(`/admins/${first.admin.id}/invitation`, undefined, { as: full });
    expect((await accept({ token: tokenOf(fresh.json.invitationUrl), password: STRONG_PASSWORD })).status).toBe(200);
    const active = await client.post(`/admins/${first.admin.id}/invitation`, undefined, { as: full });
    expect([active.status, active.json.error]).toEqual([409, 'admin_active']);
    const audit = (await client.get('/audit-events?limit=200', { as: full })).json.items as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['admin.invited', 'admin.invitation_renewed', 'admin.invitation_accepted']),
    );
    // Tokens never reach the audit log.
    expect(JSON.stringify(audit)).not.toContain(tokenOf(first.invitationUrl));
  });

  it('an invited admin does not count as a full admin, and removing one kills the link', async () => {
    const { session: alone, admin } = await createSignedInAdmin(t.app, t.db);
    const invited = (await invite(email(), alone)).json;
    const demote = await client.patch(`/admins/${admin.id}`, { role: 'read-only' }, { as: alone });
    expect([demote.status, demote.json.error]).toEqual([409, 'last_full_admin']);
    expect((await client.delete(`/admins/${invited.admin.id}`, undefined, { as: alone })).status).toBe(204);
    const dead = await accept({ token: tokenOf(invited.invitationUrl), password: STRONG_PASSWORD });
    expect([dead.status, dead.json.error]).toEqual([404, 'invitation_not_found']);
  });

  it('refuses unknown fields, oversized and malformed tokens, and a foreign Origin', async () => {
    const unknown = await accept({ token: 'x', password: STRONG_PASSWORD, role: 'full' });
    expect([unknown.status, unknown.json.error]).toEqual([400, 'invalid_request']);
    const huge = await accept({ token: 'x'.repeat(10_000), password: STRONG_PASSWORD });
    expect([huge.status, huge.json.error]).toEqual([400, 'invalid_request']);
    const wrong = await accept({ token: 'not-a-token', password: STRONG_PASSWORD });
    expect([wrong.status, wrong.json.error]).toEqual([404, 'invitation_not_found']);
    const foreign = await accept({ token: 'x', password: STRONG_PASSWORD }, { origin: 'https://evil.example' });
    expect([foreign.status, foreign.json.error]).toEqual([403, 'csrf_failed']);
  });
});

describe('one person, several customers', () => {
  it("never reveals another customer's admin: inviting their email answers as a new one (409 only for one's own)", async () => {
    // The leak this guards: 409 admin_exists for an email that only another customer has.
    const { admin: elsewhere } = await createSignedInAdmin(t.app, t.db);
    const { session: mine } = await createSignedInAdmin(t.app, t.db);
    const theirs = await invite(elsewhere.email, mine);
    const fresh = await invite(email(), mine);
    expect(theirs.status).toBe(201);
    expect(fresh.status).toBe(201);
    expect(Object.keys(theirs.json).sort()).toEqual(Object.keys(fresh.json).sort());
    expect(theirs.json.admin).toMatchObject({ status: 'invited', role: 'full', lastSignInAt: null, mfaEnabled: false });
    const twice = await invite(elsewhere.email.toUpperCase(), mine);
    expect([twice.status, twice.json.error]).toEqual([409, 'admin_exists']);
  });

  it('an existing person accepts from their own session, then switches between customers', async () => {
    const { admin: person, session: theirSession } = await createSignedInAdmin(t.app, t.db);
    const { session: other } = await createSignedInAdmin(t.app, t.db);
    const invited = (await invite(person.email, other, 'read-only')).json;
    const { text } = await mailedLink(person.email);
    expect(text).toContain('another customer');
    const token = tokenOf(invited.invitationUrl);

    const signedOut = await accept({ token });
    expect([signedOut.status, signedOut.json.error]).toEqual([403, 'sign_in_required']);
    expect(signedOut.json.email).toMatch(/^a\*+@example\.com$/);
    const asSomeoneElse = await accept({ token }, other.headers);
    expect([asSomeoneElse.status, asSomeoneElse.json.error]).toEqual([403, 'sign_in_required']);

    const accepted = await accept({ token }, theirSession.headers);
    expect(accepted.status).toBe(200);
    expect(accepted.json.customer.id).toBe(other.customer.id);
    expect(accepted.json.admin).toMatchObject({ id: invited.admin.id, role: 'read-only' });
    expect(accepted.json.customers.map((c: { id: string }) => c.id).sort()).toEqual(
      [person.customerId, other.customer.id].sort(),
    );
    // The session moved with a new CSRF token; the old one no longer works.
    const moved = { ...theirSession, headers: { ...theirSession.headers, 'x-csrf-token': accepted.json.csrfToken } };
    const back = await client.put('/session/customer', { customerId: person.customerId }, { as: moved });
    expect(back.status).toBe(200);
    expect(back.json.customer.id).toBe(person.customerId);
    expect(back.json.csrfToken).not.toBe(accepted.json.csrfToken);
    const stale = await client.put('/session/customer', { customerId: other.customer.id }, { as: moved });
    expect([stale.status, stale.json.error]).toEqual([403, 'csrf_failed']);
    const now = { ...moved, headers: { ...moved.headers, 'x-csrf-token': back.json.csrfToken } };
    const notMine = await client.put('/session/customer', { customerId: full.customer.id }, { as: now });
    expect([notMine.status, notMine.json.error]).toEqual([404, 'not_found']);

    // Sign-in enters the customer used last; removing one membership leaves the other.
    expect((await signIn(t.app, person.email)).customer.id).toBe(person.customerId);
    expect((await client.delete(`/admins/${invited.admin.id}`, undefined, { as: other })).status).toBe(204);
    expect((await signIn(t.app, person.email)).customers).toHaveLength(1);
  });

  it('invites through the console only with a full admin; read-only admins get 403', async () => {
    const readOnly = await inviteAndAccept(t.app, full, 'read-only', email('ro'));
    const session = await signIn(t.app, readOnly.admin.email, readOnly.password);
    const refused = await invite(email(), session);
    expect([refused.status, refused.json.error]).toEqual([403, 'forbidden']);
  });
});
