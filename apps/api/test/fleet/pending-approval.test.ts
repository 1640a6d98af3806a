import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from '../helpers/factories.ts';
import { addAdmin, apiClientToken, auditOf, createKey, registerByKey } from './fleet-helpers.ts';
import { addWebhookChannel } from '../helpers/channels.ts';

const t = useTestApp();
let full: SignedIn;
let stranger: SignedIn;
let manualKey: { key: { id: string }; secret: string };
beforeAll(async () => {
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
  ({ session: stranger } = await createSignedInAdmin(t.app, t.db));
  manualKey = await createKey(t, full, { approval: 'manual', maxUses: null, tags: ['lab'] });
});

const address = () => `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
const poll = (pollToken: string) => t.client.post('/api/product/v1/codes/poll', { pollToken });
const approve = (ids: unknown, as: SignedIn | { token: string } = full) =>
  t.client.post('/api/console/registrations/approve', { ids }, { as });
const deny = (body: unknown, as: SignedIn | { token: string } = full) =>
  t.client.post('/api/console/registrations/deny', body, { as });
const request = async (overrides: Record<string, unknown> = {}) => {
  const response = await registerByKey(t, manualKey.secret, overrides, address());
  expect(response.status, response.body).toBe(202);
  return response.json as { registrationId: string; pollToken: string; interval: number };
};
const statusOf = async (id: string) =>
  (await t.client.get('/api/console/registrations', { as: full, query: { limit: 200 } })).json.items.find(
    (r: { id: string }) => r.id === id,
  )?.status;

describe('registration by a manual key', () => {
  it('waits for approval, then the poll gets the credential once', async () => {
    const response = await registerByKey(t, manualKey.secret, {}, '192.0.2.77');
    expect(response.status).toBe(202);
    const pending = response.json;
    expect(pending).toMatchObject({
      status: 'pending-approval',
      interval: t.config.POLL_INTERVAL_SECONDS,
      customer: { id: full.customer.id, name: full.customer.name },
      verificationUri: 'http://localhost:8080/iam/api-access/product-registrations?status=pending-approval',
    });
    // Polled too soon: slow_down, as in the code flow; at the interval: still pending.
    expect((await poll(pending.pollToken)).json.error).toBe('slow_down');
    t.clock.advance(30_000);
    expect((await poll(pending.pollToken)).status).toBe(202);
    expect(await statusOf(pending.registrationId)).toBe('pending-approval');
    const onlyPending = await t.client.get('/api/console/registrations', {
      as: full,
      query: { status: 'pending-approval' },
    });
    expect(onlyPending.json.items.map((r: { id: string }) => r.id)).toContain(pending.registrationId);
    expect(onlyPending.json.items.every((r: { status: string }) => r.status === 'pending-approval')).toBe(true);
    const servers = (await t.client.get('/api/console/license-servers', { as: full, query: { limit: 200 } })).json;
    expect(JSON.stringify(servers)).not.toContain(pending.registrationId);
    const requested = (await auditOf(t, full, 'registration.requested')).find(
      (e) => e.target.id === pending.registrationId,
    )!;
    expect(requested.actor.type).toBe('product');
    expect(requested.details).toMatchObject({
      via: 'registration-key',
      keyId: manualKey.key.id,
      requestedFrom: '192.0.2.77',
    });
    // A day later it still waits: a pending request never expires.
    t.clock.advance(2 * 24 * 3600_000);
    full = await signIn(t.app, full.admin.email);
    stranger = await signIn(t.app, stranger.admin.email);
    expect((await poll(pending.pollToken)).status).toBe(202);
    const approved = await approve([pending.registrationId, pending.registrationId]);
    expect(approved.json).toEqual({ approved: [pending.registrationId], notFound: [] });
    const collected = await poll(pending.pollToken);
    expect(collected.status).toBe(200);
    expect(collected.json).toMatchObject({ status: 'registered', registrationId: pending.registrationId });
    expect((await poll(pending.pollToken)).json.error).toBe('code_consumed');
    const heartbeat = await t.client.get('/api/product/v1/registration', {
      as: { credential: collected.json.credential },
    });
    expect(heartbeat.status).toBe(200);
    expect(await statusOf(pending.registrationId)).toBe('reporting');
    const created = (await auditOf(t, full, 'registration.created')).find(
      (e) => e.target.id === pending.registrationId,
    )!;
    expect(created.actor).toMatchObject({ type: 'admin', id: full.admin.id });
    expect(created.details).toMatchObject({ via: 'registration-key', approval: 'manual', requestedFrom: '192.0.2.77' });
  });

  it('never replaces a working registration before approval; at approval it does', async () => {
    const instanceId = crypto.randomUUID();
    const working = await registerProduct(t.app, full, { instanceId }, () => t.clock.advance(5_000));
    const first = await request({ instanceId });
    const second = await request({ instanceId });
    // The newer request drops the earlier one: its poll token matches nothing.
    expect((await poll(first.pollToken)).json.error).toBe('invalid_poll_token');
    expect(await statusOf(first.registrationId)).toBeUndefined();
    const bearer = { credential: working.credential };
    expect((await t.client.get('/api/product/v1/registration', { as: bearer })).status).toBe(200);
    expect((await approve([second.registrationId])).json.approved).toEqual([second.registrationId]);
    expect((await t.client.get('/api/product/v1/registration', { as: bearer })).json.error).toBe(
      'registration_removed',
    );
    expect((await poll(second.pollToken)).status).toBe(200);
  });

  it('denies by ids: the poll answers 403, the row leaves the lists, audited; removal while pending is a denial too', async () => {
    const a = await request();
    const b = await request();
    const theirs = await registerByKey(t, (await createKey(t, stranger, { approval: 'manual' })).secret, {}, address());
    const unknown = crypto.randomUUID();
    const denied = await deny({ ids: [a.registrationId, theirs.json.registrationId, unknown] });
    expect(denied.status).toBe(200);
    expect(denied.json).toEqual({ denied: [a.registrationId], notFound: [theirs.json.registrationId, unknown] });
    expect((await poll(a.pollToken)).json.error).toBe('access_denied');
    expect(await statusOf(a.registrationId)).toBeUndefined();
    const audit = (await auditOf(t, full, 'registration.denied')).find((e) => e.target.id === a.registrationId)!;
    expect(audit.details).toMatchObject({ via: 'registration-key', keyId: manualKey.key.id });
    expect(
      (await t.client.delete(`/api/console/registrations/${b.registrationId}`, undefined, { as: full })).status,
    ).toBe(204);
    expect((await poll(b.pollToken)).json.error).toBe('access_denied');
    expect((await approve([a.registrationId, b.registrationId])).json).toEqual({
      approved: [],
      notFound: [a.registrationId, b.registrationId],
    });
  });

  it('decides a registration once when approve and deny race', async () => {
    for (let round = 0; round < 3; round++) {
      const pending = await request();
      const [approved, denied] = await Promise.all([
        approve([pending.registrationId]),
        deny({ ids: [pending.registrationId] }),
      ]);
      const winners = approved.json.approved.length + denied.json.denied.length;
      expect(winners).toBe(1);
    }
  });

  it("validates the bodies and keeps approval a person's act", async () => {
    const pending = await request();
    for (const ids of [[], ['not-a-uuid'], Array.from({ length: 1001 }, () => crypto.randomUUID()), 'x']) {
      expect((await approve(ids)).status).toBe(400);
      expect((await deny({ ids })).status).toBe(400);
    }
    expect((await deny({ ids: [pending.registrationId], code: 'ABCD-EFGH' })).status).toBe(400);
    expect((await deny({})).status).toBe(400);
    expect(
      (await t.client.post('/api/console/registrations/approve', { ids: [pending.registrationId], x: 1 }, { as: full }))
        .status,
    ).toBe(400);
    const thousand = Array.from({ length: 1000 }, () => crypto.randomUUID());
    expect((await approve(thousand)).json.notFound).toHaveLength(1000);
    const readOnly = await addAdmin(t, full, 'read-only');
    expect((await approve([pending.registrationId], readOnly.session)).json.error).toBe('forbidden');
    expect((await deny({ ids: [pending.registrationId] }, readOnly.session)).json.error).toBe('forbidden');
    const token = await apiClientToken(t, full);
    expect((await approve([pending.registrationId], { token })).json.error).toBe('access_denied');
    expect((await deny({ ids: [pending.registrationId] }, { token })).json.error).toBe('access_denied');
    expect(await statusOf(pending.registrationId)).toBe('pending-approval');
  });

  it('sends registration.pending_approval and, at approval, registration.created through the outbox', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addWebhookChannel(t.client, session, 'http://127.0.0.1:9/hook', [
      'registration.pending_approval',
      'registration.created',
    ]);
    const key = await createKey(t, session, { approval: 'manual', description: 'Lab' });
    const pending = await registerByKey(t, key.secret, {}, '192.0.2.200');
    await approve([pending.json.registrationId], session);
    const events = await t.db.notificationEvent.findMany({
      where: { customerId: session.customer.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((e) => e.type)).toEqual(['registration.pending_approval', 'registration.created']);
    expect(events[0]!.data).toMatchObject({
      requestedFrom: '192.0.2.200',
      registrationKey: { id: key.key.id, description: 'Lab' },
    });
    expect(JSON.stringify(events)).not.toContain(key.secret);
  });
});
