import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, type SignedIn } from '../helpers/factories.ts';
import { createKey, registerByKey } from './fleet-helpers.ts';
import { addWebhookChannel } from '../helpers/channels.ts';

/**
 * A bulk decision writes its events in one statement (outbox.enqueueMany): each event still
 * goes to exactly the channels that want it, and a customer without channels gets none.
 */
const t = useTestApp();

const address = () => `192.0.2.${Math.floor(Math.random() * 250) + 1}`;

async function pendingRequests(session: SignedIn, count: number): Promise<string[]> {
  const key = await createKey(t, session, { approval: 'manual', maxUses: null });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await registerByKey(t, key.secret, {}, address());
    expect(response.status, response.body).toBe(202);
    ids.push((response.json as { registrationId: string }).registrationId);
  }
  return ids;
}

async function addWebhook(session: SignedIn, events: string[]): Promise<string> {
  return (await addWebhookChannel(t.client, session, 'http://127.0.0.1:9/hook', events)).id;
}

const eventsOf = (customerId: string, type: string) =>
  t.db.notificationEvent.findMany({ where: { customerId, type }, include: { deliveries: true } });

describe('bulk approval and removal write one event per registration, to the channels that want it', () => {
  it('approves 30 and removes them: 30 events each, one delivery each to the subscribed channel only', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const wanted = await addWebhook(session, ['registration.created', 'registration.removed']);
    await addWebhook(session, ['usage.overdraft']);
    const ids = await pendingRequests(session, 30);

    const approved = await t.client.post('/api/console/registrations/approve', { ids }, { as: session });
    expect(approved.status, approved.body).toBe(200);
    const created = await eventsOf(session.customer.id, 'registration.created');
    expect(created).toHaveLength(30);
    expect(
      new Set(created.map((e) => (e.data as { server: { registrationId: string } }).server.registrationId)),
    ).toEqual(new Set(ids));
    for (const event of created) expect(event.deliveries.map((d) => d.channelId)).toEqual([wanted]);

    const removed = await t.client.post('/api/console/registrations/bulk-remove', { ids }, { as: session });
    expect(removed.status, removed.body).toBe(200);
    const gone = await eventsOf(session.customer.id, 'registration.removed');
    expect(gone).toHaveLength(30);
    expect(gone.every((e) => (e.data as { reason: string }).reason === 'admin')).toBe(true);
    for (const event of gone) expect(event.deliveries.map((d) => d.channelId)).toEqual([wanted]);
  });

  it('writes no event for a customer without channels, and none to another customer', async () => {
    const { session: quiet } = await createSignedInAdmin(t.app, t.db);
    const { session: other } = await createSignedInAdmin(t.app, t.db);
    await addWebhook(other, ['registration.created']);
    const ids = await pendingRequests(quiet, 5);
    const approved = await t.client.post('/api/console/registrations/approve', { ids }, { as: quiet });
    expect(approved.json).toMatchObject({ notFound: [] });
    expect(await eventsOf(quiet.customer.id, 'registration.created')).toHaveLength(0);
    expect(await eventsOf(other.customer.id, 'registration.created')).toHaveLength(0);
  });
});
