import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createSignedInAdmin, inviteAndAccept, signIn, type SignedIn } from './helpers/factories.ts';

let t: TestApp;
let full: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
});
afterAll(() => t.app.close());

const api = (method: string, url: string, s: SignedIn, payload?: unknown) =>
  t.app.inject({
    method: method as 'GET',
    url: `/api/console${url}`,
    headers: s.headers,
    ...(payload ? { payload } : {}),
  });
const email = () => `admin-${crypto.randomUUID().slice(0, 8)}@example.com`;

/** Invited and accepted: an active admin with the password they chose. */
const add = (role: 'full' | 'read-only', by: SignedIn = full) => inviteAndAccept(t.app, by, role, email());

describe('administrators', () => {
  it('invites one who accepts with their own password, lists it, and GET /session tells the role', async () => {
    const added = await add('read-only');
    expect(added.admin).toMatchObject({ role: 'read-only', status: 'invited', lastSignInAt: null });
    const session = await signIn(t.app, added.admin.email, added.password);
    expect((await api('GET', '/session', session)).json().admin.role).toBe('read-only');
    const list = (await api('GET', '/admins', full)).json().items as { id: string; lastSignInAt: string | null }[];
    expect(list.find((a) => a.id === added.admin.id)?.lastSignInAt).not.toBeNull();
    const again = await api('POST', '/admins', full, { email: added.admin.email.toUpperCase(), role: 'full' });
    expect([again.statusCode, again.json().error]).toEqual([409, 'admin_exists']);
  });

  it('refuses a taken email before hashing; every password accepted is hashed in the password queue', async () => {
    const queue = t.app.services.passwords;
    const taken = (await add('read-only')).admin.email;
    const before = queue.stats().hashed;
    const again = await api('POST', '/admins', full, { email: taken.toUpperCase(), role: 'full' });
    expect([again.statusCode, again.json().error]).toEqual([409, 'admin_exists']);
    expect(queue.stats().hashed).toBe(before);
    await add('full');
    expect(queue.stats().hashed).toBe(before + 1);
  });

  it('a role change applies to the next request', async () => {
    const added = await add('full');
    const session = await signIn(t.app, added.admin.email, added.password);
    expect((await api('PATCH', `/admins/${added.admin.id}`, full, { role: 'read-only' })).json().role).toBe(
      'read-only',
    );
    const refused = await api('POST', '/admins', session, { email: email(), role: 'full' });
    expect([refused.statusCode, refused.json().error]).toEqual([403, 'forbidden']);
    await api('PATCH', `/admins/${added.admin.id}`, full, { role: 'full' });
    expect((await api('POST', '/admins', session, { email: email(), role: 'read-only' })).statusCode).toBe(201);
  });

  it('keeps a full admin: last_full_admin and cannot_remove_self', async () => {
    const { session: alone, admin } = await createSignedInAdmin(t.app, t.db);
    const self = await api('DELETE', `/admins/${admin.id}`, alone);
    expect([self.statusCode, self.json().error]).toEqual([409, 'cannot_remove_self']);
    const demote = await api('PATCH', `/admins/${admin.id}`, alone, { role: 'read-only' });
    expect([demote.statusCode, demote.json().error]).toEqual([409, 'last_full_admin']);
    const other = await add('full', alone);
    expect((await api('PATCH', `/admins/${admin.id}`, alone, { role: 'read-only' })).statusCode).toBe(200);
    const otherSession = await signIn(t.app, other.admin.email, other.password);
    const last = await api('PATCH', `/admins/${other.admin.id}`, otherSession, { role: 'read-only' });
    expect([last.statusCode, last.json().error]).toEqual([409, 'last_full_admin']);
  });

  it('removing ends their sessions and deletes their API clients at once; audited', async () => {
    const added = await add('full');
    const session = await signIn(t.app, added.admin.email, added.password);
    const client = (await api('POST', '/api-clients', session, { name: 'Their script' })).json();
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/token',
        payload: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
      })
    ).json().access_token as string;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/console/registrations', headers: bearer })).statusCode).toBe(
      200,
    );
    expect((await api('DELETE', `/admins/${added.admin.id}`, full)).statusCode).toBe(204);
    expect((await api('GET', '/session', session)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/console/registrations', headers: bearer })).statusCode).toBe(
      401,
    );
    const events = (await api('GET', '/audit-events?limit=200', full)).json().items as {
      action: string;
      target: { id: string };
    }[];
    const about = events.filter((e) => e.target.id === added.admin.id).map((e) => e.action);
    expect(about).toEqual(expect.arrayContaining(['admin.invited', 'admin.invitation_accepted', 'admin.removed']));
  });

  it("answers 404 for another customer's admin", async () => {
    const { admin: stranger } = await createSignedInAdmin(t.app, t.db);
    expect((await api('PATCH', `/admins/${stranger.id}`, full, { role: 'read-only' })).statusCode).toBe(404);
    expect((await api('DELETE', `/admins/${stranger.id}`, full)).statusCode).toBe(404);
    expect((await api('DELETE', '/admins/not-a-uuid', full)).statusCode).toBe(404);
  });
});
