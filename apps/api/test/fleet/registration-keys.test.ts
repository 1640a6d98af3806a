import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, signIn, type SignedIn } from '../helpers/factories.ts';
import { addAdmin, apiClientToken, auditOf, createKey, registerByKey } from './fleet-helpers.ts';

const t = useTestApp();
let full: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
  ({ session: stranger } = await createSignedInAdmin(t.app, t.db));
});

const list = (query: Record<string, string | number> = {}, as: SignedIn | { token: string } = full) =>
  t.client.get('/api/console/registration-keys', { as, query });
const valid = { description: 'Wave 1', maxUses: 5, expiresInDays: 7, approval: 'manual', tags: ['eu', 'berlin'] };

describe('registration keys', () => {
  it('creates a key whose secret is shown once, then lists it without the secret', async () => {
    const response = await t.client.post('/api/console/registration-keys', valid, { as: full });
    expect(response.status).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const { key, secret } = response.json;
    expect(secret).toMatch(/^lsreg_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      description: 'Wave 1',
      maxUses: 5,
      uses: 0,
      approval: 'manual',
      tags: ['eu', 'berlin'],
      status: 'active',
      createdBy: full.admin.email,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(Date.parse(key.expiresAt) - Date.parse(key.createdAt)).toBe(7 * 24 * 3600_000);
    const listed = await list();
    expect(listed.json.items[0]).toEqual(key);
    expect(listed.body).not.toContain(secret);
    const audit = await auditOf(t, full, 'registration_key.created');
    expect(audit[0]).toMatchObject({
      target: { type: 'registration_key', id: key.id, label: 'Wave 1' },
      details: { description: 'Wave 1', maxUses: 5, approval: 'manual', tags: ['eu', 'berlin'] },
    });
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('refuses every value outside the limits with 400 invalid_request', async () => {
    const bad: Record<string, unknown>[] = [
      { maxUses: 0 },
      { maxUses: 100_001 },
      { maxUses: 1.5 },
      { maxUses: '5' },
      { expiresInDays: 0 },
      { expiresInDays: 366 },
      { expiresInDays: '7' },
      { approval: 'auto' },
      { tags: ['EU'] },
      { tags: ['-eu'] },
      { tags: [' eu'] },
      { tags: ['eu', 'eu'] },
      { tags: ['x'.repeat(33)] },
      { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      { description: '' },
      { description: 'x'.repeat(101) },
      { description: 'a\u0000b' },
      { extra: true },
    ];
    for (const change of bad) {
      const response = await t.client.post('/api/console/registration-keys', { ...valid, ...change }, { as: full });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
    for (const missing of ['description', 'maxUses', 'expiresInDays', 'approval']) {
      const body: Record<string, unknown> = { ...valid };
      delete body[missing];
      expect((await t.client.post('/api/console/registration-keys', body, { as: full })).status).toBe(400);
    }
    const unlimited = await t.client.post(
      '/api/console/registration-keys',
      { ...valid, maxUses: null, tags: undefined },
      { as: full },
    );
    expect(unlimited.status).toBe(201);
    expect(unlimited.json.key).toMatchObject({ maxUses: null, tags: [] });
    const huge = await t.client.post(
      '/api/console/registration-keys',
      { ...valid, description: 'x'.repeat(20_000) },
      { as: full },
    );
    expect(huge.status).toBe(413);
  });

  it('revokes once (204 again, audited once); a revoked key registers nothing; 404 for unknown and foreign ids', async () => {
    const { key, secret } = await createKey(t, full);
    expect(
      (await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, { as: stranger })).status,
    ).toBe(404);
    expect(
      (await t.client.delete(`/api/console/registration-keys/${crypto.randomUUID()}`, undefined, { as: full })).status,
    ).toBe(404);
    expect((await t.client.delete('/api/console/registration-keys/not-a-uuid', undefined, { as: full })).status).toBe(
      404,
    );
    expect((await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, { as: full })).status).toBe(
      204,
    );
    expect((await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, { as: full })).status).toBe(
      204,
    );
    const revocations = (await auditOf(t, full, 'registration_key.revoked')).filter((e) => e.target.id === key.id);
    expect(revocations).toHaveLength(1);
    expect(revocations[0]!.details).toEqual({ uses: 0, reason: 'admin' });
    const refused = await registerByKey(t, secret, {}, '203.0.113.50');
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('invalid_registration_key');
    const listed = (await list({ status: 'revoked', limit: 200 })).json.items;
    expect(listed.find((k: { id: string }) => k.id === key.id)).toMatchObject({ status: 'revoked' });
    expect(listed[0].revokedAt).not.toBeNull();
  });

  it('filters by status, pages newest first with a strict cursor, and keeps customers apart', async () => {
    const { admin, session: signedIn } = await createSignedInAdmin(t.app, t.db);
    let session = signedIn;
    const used = await createKey(t, session, { maxUses: 1 });
    expect((await registerByKey(t, used.secret)).status).toBe(201);
    t.clock.advance(1_000);
    const old = await createKey(t, session, { expiresInDays: 1 });
    t.clock.advance(25 * 3600_000);
    // Sessions end after a day without use: sign in again.
    session = await signIn(t.app, admin.email);
    full = await signIn(t.app, full.admin.email);
    stranger = await signIn(t.app, stranger.admin.email);
    const revoked = await createKey(t, session);
    await t.client.delete(`/api/console/registration-keys/${revoked.key.id}`, undefined, { as: session });
    t.clock.advance(1_000);
    const active = await createKey(t, session);
    const ids = (query: Record<string, string | number>) =>
      list(query, session).then((r) => r.json.items.map((k: { id: string }) => k.id));
    expect(await ids({})).toEqual([active.key.id, revoked.key.id, old.key.id, used.key.id]);
    expect(await ids({ status: 'exhausted' })).toEqual([used.key.id]);
    expect(await ids({ status: 'expired' })).toEqual([old.key.id]);
    expect(await ids({ status: 'revoked' })).toEqual([revoked.key.id]);
    expect(await ids({ status: 'active' })).toEqual([active.key.id]);
    const first = (await list({ limit: 3 }, session)).json;
    expect(first.items).toHaveLength(3);
    const second = (await list({ limit: 3, cursor: first.nextCursor }, session)).json;
    expect(second.items.map((k: { id: string }) => k.id)).toEqual([used.key.id]);
    expect(second.nextCursor).toBeNull();
    const badQueries: Record<string, string | number>[] = [
      { status: 'gone' },
      { limit: 0 },
      { limit: 201 },
      { cursor: 'bad!' },
      { other: 1 },
    ];
    for (const query of badQueries) {
      expect((await list(query, session)).status, JSON.stringify(query)).toBe(400);
    }
    expect((await list({}, stranger)).json.items.map((k: { id: string }) => k.id)).not.toContain(active.key.id);
  });

  it('lets read-only admins and API clients list, never create or revoke', async () => {
    const { key } = await createKey(t, full);
    const readOnly = await addAdmin(t, full, 'read-only');
    expect((await list({}, readOnly.session)).status).toBe(200);
    const create = await t.client.post('/api/console/registration-keys', valid, { as: readOnly.session });
    expect([create.status, create.json.error]).toEqual([403, 'forbidden']);
    const revoke = await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, {
      as: readOnly.session,
    });
    expect([revoke.status, revoke.json.error]).toEqual([403, 'forbidden']);
    const token = await apiClientToken(t, full);
    expect((await list({}, { token })).status).toBe(200);
    const byClient = await t.client.post('/api/console/registration-keys', valid, { as: { token } });
    expect([byClient.status, byClient.json.error]).toEqual([403, 'access_denied']);
    const revokeByClient = await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, {
      as: { token },
    });
    expect([revokeByClient.status, revokeByClient.json.error]).toEqual([403, 'access_denied']);
    const foreignOrigin = await t.client.post('/api/console/registration-keys', valid, {
      as: full,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    const noCsrf = await t.client.post('/api/console/registration-keys', valid, { headers: { cookie: full.cookie } });
    expect(noCsrf.json.error).toBe('csrf_failed');
  });

  it('revokes the keys of an admin who is removed (reason creator_removed); their registrations stay', async () => {
    const other = await addAdmin(t, full, 'full');
    const { key, secret } = await createKey(t, other.session);
    const registered = await registerByKey(t, secret);
    expect(registered.status).toBe(201);
    expect((await t.client.delete(`/api/console/admins/${other.id}`, undefined, { as: full })).status).toBe(204);
    const listed = (await list({ limit: 200 })).json.items.find((k: { id: string }) => k.id === key.id);
    expect(listed.status).toBe('revoked');
    const audit = (await auditOf(t, full, 'registration_key.revoked')).find((e) => e.target.id === key.id);
    expect(audit!.details).toEqual({ uses: 1, reason: 'creator_removed' });
    expect((await registerByKey(t, secret)).status).toBe(401);
    const heartbeat = await t.client.get('/api/product/v1/registration', {
      as: { credential: registered.json.credential },
    });
    expect(heartbeat.status).toBe(200);
  });
});
