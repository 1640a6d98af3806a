import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import type { TestClient } from './helpers/client.ts';
import { createSignedInAdmin, inviteAndAccept, signIn, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();
let full: SignedIn;
let consoleApi: TestClient;
beforeAll(async () => {
  consoleApi = t.client.with({ prefix: '/api/console' });
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
});

const email = () => `admin-${crypto.randomUUID().slice(0, 8)}@example.com`;

/** Invited and accepted: an active admin with the password they chose. */
const add = (role: 'full' | 'read-only', by: SignedIn = full) => inviteAndAccept(t.app, by, role, email());

describe('administrators', () => {
  it('invites one who accepts with their own password, lists it, and GET /session tells the role', async () => {
    const added = await add('read-only');
    expect(added.admin).toMatchObject({ role: 'read-only', status: 'invited', lastSignInAt: null });
    const session = await signIn(t.app, added.admin.email, added.password);
    expect((await consoleApi.get('/session', { as: session })).json.admin.role).toBe('read-only');
    const list = (await consoleApi.get('/admins', { as: full })).json.items as {
      id: string;
      lastSignInAt: string | null;
    }[];
    expect(list.find((a) => a.id === added.admin.id)?.lastSignInAt).not.toBeNull();
    const again = await consoleApi.post(
      '/admins',
      { email: added.admin.email.toUpperCase(), role: 'full' },
      { as: full },
    );
    expect([again.status, again.json.error]).toEqual([409, 'admin_exists']);
  });

  it('refuses a taken email before hashing; every password accepted is hashed in the password queue', async () => {
    const queue = t.app.services.passwords;
    const taken = (await add('read-only')).admin.email;
    const before = queue.stats().hashed;
    const again = await consoleApi.post('/admins', { email: taken.toUpperCase(), role: 'full' }, { as: full });
    expect([again.status, again.json.error]).toEqual([409, 'admin_exists']);
    expect(queue.stats().hashed).toBe(before);
    await add('full');
    expect(queue.stats().hashed).toBe(before + 1);
  });

  it('a role change applies to the next request', async () => {
    const added = await add('full');
    const session = await signIn(t.app, added.admin.email, added.password);
    expect((await consoleApi.patch(`/admins/${added.admin.id}`, { role: 'read-only' }, { as: full })).json.role).toBe(
      'read-only',
    );
    const refused = await consoleApi.post('/admins', { email: email(), role: 'full' }, { as: session });
    expect([refused.status, refused.json.error]).toEqual([403, 'forbidden']);
    await consoleApi.patch(`/admins/${added.admin.id}`, { role: 'full' }, { as: full });
    expect((await consoleApi.post('/admins', { email: email(), role: 'read-only' }, { as: session })).status).toBe(201);
  });

  it('keeps a full admin: last_full_admin and cannot_remove_self', async () => {
    const { session: alone, admin } = await createSignedInAdmin(t.app, t.db);
    const self = await consoleApi.delete(`/admins/${admin.id}`, undefined, { as: alone });
    expect([self.status, self.json.error]).toEqual([409, 'cannot_remove_self']);
    const demote = await consoleApi.patch(`/admins/${admin.id}`, { role: 'read-only' }, { as: alone });
    expect([demote.status, demote.json.error]).toEqual([409, 'last_full_admin']);
    const other = await add('full', alone);
    expect((await consoleApi.patch(`/admins/${admin.id}`, { role: 'read-only' }, { as: alone })).status).toBe(200);
    const otherSession = await signIn(t.app, other.admin.email, other.password);
    const last = await consoleApi.patch(`/admins/${other.admin.id}`, { role: 'read-only' }, { as: otherSession });
    expect([last.status, last.json.error]).toEqual([409, 'last_full_admin']);
  });

  it('removing ends their sessions and deletes their API clients at once; audited', async () => {
    const added = await add('full');
    const session = await signIn(t.app, added.admin.email, added.password);
    const client = (await consoleApi.post('/api-clients', { name: 'Their script' }, { as: session })).json;
    const token = (
      await t.client.post('/api/v1/token', {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      })
    ).json.access_token as string;
    expect((await consoleApi.get('/registrations', { as: { token } })).status).toBe(200);
    expect((await consoleApi.delete(`/admins/${added.admin.id}`, undefined, { as: full })).status).toBe(204);
    expect((await consoleApi.get('/session', { as: session })).status).toBe(401);
    expect((await consoleApi.get('/registrations', { as: { token } })).status).toBe(401);
    const events = (await consoleApi.get('/audit-events?limit=200', { as: full })).json.items as {
      action: string;
      target: { id: string };
    }[];
    const about = events.filter((e) => e.target.id === added.admin.id).map((e) => e.action);
    expect(about).toEqual(expect.arrayContaining(['admin.invited', 'admin.invitation_accepted', 'admin.removed']));
  });

  it("answers 404 for another customer's admin", async () => {
    const { admin: stranger } = await createSignedInAdmin(t.app, t.db);
    expect((await consoleApi.patch(`/admins/${stranger.id}`, { role: 'read-only' }, { as: full })).status).toBe(404);
    expect((await consoleApi.delete(`/admins/${stranger.id}`, undefined, { as: full })).status).toBe(404);
    expect((await consoleApi.delete('/admins/not-a-uuid', undefined, { as: full })).status).toBe(404);
  });
});
