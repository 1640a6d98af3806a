import type { RouteOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, inviteAndAccept, signIn, type SignedIn } from './helpers/factories.ts';

/**
 * Every role x every console endpoint, from the routes the app really registered: a new
 * endpoint is in this table the day it is added. Read-only (a session, or an API client made
 * by a read-only admin) is refused every change with 403 forbidden and allowed every read.
 */
const routes: { method: string; url: string; clients: boolean }[] = [];
const collect = (route: RouteOptions) => {
  if (!route.url.startsWith('/api/console/')) return;
  for (const method of [route.method].flat()) {
    if (method === 'HEAD') continue;
    routes.push({ method, url: route.url, clients: route.config?.allowApiClients === true });
  }
};

/** Changes a read-only admin may make anyway: signing in and out. */
/** Signing in and out, the routes open to signed-out visitors, and the own-account routes (the caller's own account only). */
const ALWAYS_ALLOWED = new Set([
  'POST /api/console/session',
  'DELETE /api/console/session',
  'POST /api/console/invitations/accept',
  'PUT /api/console/session/customer',
  'PUT /api/console/session/password',
  'POST /api/console/password-reset',
  'POST /api/console/password-reset/complete',
  'DELETE /api/console/sessions',
  'DELETE /api/console/sessions/:id',
  'POST /api/console/session/mfa',
  'POST /api/console/session/mfa/totp',
  'POST /api/console/session/mfa/totp/confirm',
  'DELETE /api/console/session/mfa/totp',
  'POST /api/console/session/mfa/recovery-codes',
]);
const isChange = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);
const concrete = (url: string) => url.replace(/:[a-zA-Z]+/g, crypto.randomUUID());

const t = useTestApp({}, collect);
let full: SignedIn;
const readOnly = { email: '', password: '' };
let readOnlyClientToken = '';

/** Invited and accepted: an active admin with the password they chose. */
const addAdmin = (role: 'full' | 'read-only') =>
  inviteAndAccept(t.app, full, role, `${role}-${crypto.randomUUID().slice(0, 8)}@example.com`);

beforeAll(async () => {
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
  const added = await addAdmin('read-only');
  Object.assign(readOnly, { email: added.admin.email, password: added.password });
  // A client made while its admin had full access acts read-only once the admin is demoted.
  const maker = await addAdmin('full');
  const makerSession = await signIn(t.app, maker.admin.email, maker.password);
  const client = (await t.client.post('/api/console/api-clients', { name: 'Reporting script' }, { as: makerSession }))
    .json;
  const demoted = await t.client.patch(`/api/console/admins/${maker.admin.id}`, { role: 'read-only' }, { as: full });
  expect(demoted.status).toBe(200);
  readOnlyClientToken = (
    await t.client.post('/api/v1/token', {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    })
  ).json.access_token;
});

const send = (route: { method: string; url: string }, headers: Record<string, string>) =>
  t.client.send(route.method, concrete(route.url), isChange(route.method) ? {} : undefined, { headers });

// One real request per route and role: generous on a busy machine.
describe('roles', { timeout: 120_000 }, () => {
  it('found the console routes', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toContainEqual(expect.objectContaining({ method: 'POST', url: '/api/console/admins' }));
  });

  it('read-only admin: every change refused with 403 forbidden, every read allowed', async () => {
    let session = await signIn(t.app, readOnly.email, readOnly.password);
    for (const route of routes) {
      const response = await send(route, session.headers);
      // Signing out is one of the changes allowed: sign in again for the next route.
      if (response.status === 204 && route.url === '/api/console/session') {
        session = await signIn(t.app, readOnly.email, readOnly.password);
      }
      const key = `${route.method} ${route.url}`;
      if (isChange(route.method) && !ALWAYS_ALLOWED.has(key)) {
        expect({ key, status: response.status, error: response.json.error }).toEqual({
          key,
          status: 403,
          error: 'forbidden',
        });
      } else {
        expect({ key, status: response.status }).not.toMatchObject({ status: 403 });
      }
    }
  });

  it('an API client of a read-only admin: refused every change, allowed every read it may make', async () => {
    for (const route of routes.filter((r) => r.clients)) {
      const response = await send(route, { authorization: `Bearer ${readOnlyClientToken}` });
      const key = `${route.method} ${route.url}`;
      if (isChange(route.method)) {
        expect({ key, error: response.json.error }).toEqual({ key, error: 'forbidden' });
      } else {
        expect({ key, status: response.status }).not.toMatchObject({ status: 403 });
      }
    }
  });

  it('full admin: no endpoint answers forbidden', async () => {
    const { admin } = await createSignedInAdmin(t.app, t.db, full.customer.id);
    let session = await signIn(t.app, admin.email);
    for (const route of routes) {
      const response = await send(route, session.headers);
      if (response.status === 204 && route.url === '/api/console/session') session = await signIn(t.app, admin.email);
      expect({ key: `${route.method} ${route.url}`, status: response.status }).not.toMatchObject({ status: 403 });
    }
  });
});
