import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { allPages } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';

const t = useTestApp();

describe('the test client', () => {
  it('calls as a session or a bearer credential, and answers status, headers and the parsed body', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const me = await t.client.get('/api/console/session', { as: session });
    expect(me.status).toBe(200);
    expect(me.json.admin.email).toBe(admin.email);
    expect((await t.client.get('/api/console/session')).status).toBe(401);
    const product = await registerProduct(t.app, session);
    const heartbeat = await t.client.get('/api/product/v1/registration', { as: { credential: product.credential } });
    expect(heartbeat.status).toBe(200);
    expect(heartbeat.headers['x-request-id']).toBeTruthy();
  });

  it('reads every page of a list (allPages follows nextCursor), not just the first', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await registerProduct(t.app, session)).registrationId);
    const console = t.client.with({ prefix: '/api/console', as: session });
    expect((await console.get('/registrations', { query: { limit: 1 } })).json.items).toHaveLength(1);
    const all = await allPages<{ id: string }>(console, '/registrations', { query: { limit: 1 } });
    expect(all.map((r) => r.id).sort()).toEqual(ids.sort());
  });
});
