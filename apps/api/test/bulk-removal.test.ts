import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { startWebhookReceiver } from './helpers/receivers.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const t = useTestApp();
let session: SignedIn;
let stranger: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
  ({ session: stranger } = await createSignedInAdmin(t.app, t.db));
});

const registered = (s: SignedIn = session) => registerProduct(t.app, s, {}, () => t.clock.advance(5_000));
const bulkRemove = (ids: unknown, s: SignedIn = session) =>
  t.client.post('/api/console/registrations/bulk-remove', { ids }, { as: s });
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
const removalsOf = async (s: SignedIn) =>
  (await t.client.get('/api/console/audit-events?limit=200', { as: s })).json.items.filter(
    (e: { action: string }) => e.action === 'registration.removed',
  ) as {
    actor: { type: string };
    target: { id: string };
    details: { reason: string };
  }[];

describe('POST /registrations/bulk-remove', () => {
  it("removes the customer's ones, answers another customer's and unknown ids as notFound, counts a repeat once", async () => {
    const [a, b] = [await registered(), await registered()];
    const theirs = await registered(stranger);
    const unknown = crypto.randomUUID();
    const response = await bulkRemove([
      a.registrationId,
      theirs.registrationId,
      b.registrationId,
      a.registrationId,
      unknown,
    ]);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      removed: [a.registrationId, b.registrationId],
      notFound: [theirs.registrationId, unknown],
    });
    expect((await heartbeat(a)).json.error).toBe('registration_removed');
    expect((await heartbeat(b)).json.error).toBe('registration_removed');
    expect((await heartbeat(theirs)).status).toBe(200);
    const removals = (await removalsOf(session)).filter((e) =>
      [a.registrationId, b.registrationId].includes(e.target.id),
    );
    expect(removals).toHaveLength(2);
    expect(removals.every((e) => e.details.reason === 'admin' && e.actor.type === 'admin')).toBe(true);
    expect((await removalsOf(stranger)).some((e) => e.target.id === theirs.registrationId)).toBe(false);
  });

  it('answers an already removed registration as notFound and audits it once', async () => {
    const a = await registered();
    expect((await bulkRemove([a.registrationId])).json).toEqual({ removed: [a.registrationId], notFound: [] });
    expect((await bulkRemove([a.registrationId])).json).toEqual({ removed: [], notFound: [a.registrationId] });
    expect((await removalsOf(session)).filter((e) => e.target.id === a.registrationId)).toHaveLength(1);
  });

  it('sends one registration.removed event per registration to a real webhook receiver', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const { session: owner } = await createSignedInAdmin(t.app, t.db);
      await addWebhookChannel(t.client, owner, receiver.url, ['registration.removed']);
      const products = [await registered(owner), await registered(owner), await registered(owner)];
      const ids = products.map((p) => p.registrationId);
      expect((await bulkRemove(ids, owner)).json).toEqual({ removed: ids, notFound: [] });
      while ((await t.app.services.notifications.deliverDue()) > 0);

      const bodies = receiver.received.map((r) => JSON.parse(r.body));
      expect(bodies.map((b) => b.type)).toEqual([
        'registration.removed',
        'registration.removed',
        'registration.removed',
      ]);
      expect(bodies.map((b) => b.data.server.registrationId).sort()).toEqual([...ids].sort());
      expect(bodies.every((b) => b.data.reason === 'admin')).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuses an empty list, more than 200 ids and a non-UUID', async () => {
    for (const ids of [[], Array.from({ length: 201 }, () => crypto.randomUUID()), ['../etc'], 'x']) {
      const response = await bulkRemove(ids);
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
    expect((await bulkRemove(Array.from({ length: 200 }, () => crypto.randomUUID()))).status).toBe(200);
  });

  it('needs a session and the CSRF token', async () => {
    const response = await t.client.post('/api/console/registrations/bulk-remove', { ids: [crypto.randomUUID()] });
    expect(response.status).toBe(401);
  });
});
