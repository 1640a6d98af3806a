import { hostname } from 'node:os';
import { createDb } from '@reg/db/client';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/lib/clock.ts';
import { startNotificationLoop } from '../src/modules/notifications/notification-loop.ts';
import { RETRY_DELAYS_MS } from '../src/modules/notifications/notifications.service.ts';
import { buildTestApp, type TestApp, useTestApp } from './helpers/app.ts';
import { createClient } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, signIn } from './helpers/factories.ts';
import { startWebhookReceiver, useWebhookReceiver } from './helpers/receivers.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const HOUR = 3600_000;
const receiver = useWebhookReceiver();
const t = useTestApp();
const others: { close(): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const other of others) await other.close();
});

/** Another API instance over the same database, with its own connections and clock (set to the same time). */
async function anotherInstance(overrides: Partial<TestApp['config']> = {}) {
  const db = createDb(t.databaseUrl, { poolSize: 5 });
  const clock = new ManualClock(t.clock.now());
  const app = await buildTestApp({ config: { ...t.config, ...overrides }, db, clock });
  others.push({ close: () => app.close().then(() => db.$disconnect()) });
  return { app, clock, client: createClient(app) };
}

async function customerWithChannel(events: string[], url = receiver.url) {
  const { session, admin } = await createSignedInAdmin(t.app, t.db);
  return { session, admin, channel: await addWebhookChannel(t.client, session, url, events) };
}

/** Signs in afresh: the manual clock moves past session lifetimes. */
const deliveriesOf = async (admin: { email: string }, channelId: string) =>
  (
    await t.client.get(`/api/console/notification-channels/${channelId}/deliveries?limit=200`, {
      headers: (await signIn(t.app, admin.email)).headers,
    })
  ).json.items as {
    eventId: string;
    type: string;
    attempt: number;
    status: string;
    responseStatus: number | null;
    error: string | null;
    nextAttemptAt: string | null;
  }[];

const eventsOf = (customerId: string) =>
  t.db.notificationEvent.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } });

const received = (eventId: string) => receiver.received.filter((r) => r.headers['webhook-id'] === eventId);

describe('the not-reporting sweep', () => {
  it('announces each transition once, even with two instances sweeping at once, and nothing while unchanged', async () => {
    const { session, admin, channel } = await customerWithChannel(['server.not_reporting', 'server.reporting_again']);
    const product = await registerProduct(t.app, session, { serverName: 'Quiet server' });
    await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    const second = await anotherInstance();

    t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);
    second.clock.set(t.clock.now());
    const sweeps = await Promise.all([
      t.app.services.notifications.sweep(),
      second.app.services.notifications.sweep(),
      t.app.services.notifications.sweep(),
      second.app.services.notifications.sweep(),
    ]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    let events = await eventsOf(session.customer.id);
    expect(events.map((e) => e.type)).toEqual(['server.not_reporting']);
    expect(events[0]!.data).toMatchObject({
      server: { registrationId: product.registrationId, serverName: 'Quiet server' },
      lastContactAt: expect.any(String),
    });

    // Still not reporting: nothing more, sweep after sweep.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      await t.app.services.notifications.sweep();
    }
    expect(await eventsOf(session.customer.id)).toHaveLength(1);

    // It reports again: one server.reporting_again.
    await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    await Promise.all([t.app.services.notifications.sweep(), t.app.services.notifications.sweep()]);
    await t.app.services.notifications.sweep();
    events = await eventsOf(session.customer.id);
    expect(events.map((e) => e.type)).toEqual(['server.not_reporting', 'server.reporting_again']);

    await t.app.services.notifications.deliverDue();
    const log = await deliveriesOf(admin, channel.id);
    // Both sent in one pass (the same moment): in either order.
    expect(log.map((d) => [d.type, d.status]).sort()).toEqual([
      ['server.not_reporting', 'delivered'],
      ['server.reporting_again', 'delivered'],
    ]);
  }, 90_000); // two instances and many sweeps: headroom on a loaded 2-core machine
});

describe('events from changes', () => {
  it('writes registration.created, registration.removed (with reason), usage.overdraft once per key and day, usage.deleted', async () => {
    const { session } = await customerWithChannel([
      'registration.created',
      'registration.removed',
      'usage.overdraft',
      'usage.deleted',
    ]);
    // A second between changes, so the events' times give their order.
    const product = await registerProduct(t.app, session, { serverName: 'Busy server' });
    t.clock.advance(1000);
    const over = usageReport(t.clock.now(), { days: 1, installed: 10, inUse: 20 });
    expect((await sendUsage(t.client, product, over)).status).toBe(202);
    t.clock.advance(1000);
    // The same day in overdraft again (a later report): no second event.
    expect(
      (await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 1, installed: 10, inUse: 25 }))).status,
    ).toBe(202);
    const server = await t.db.licenseServer.findFirstOrThrow({ where: { customerId: session.customer.id } });
    const deleted = await t.client.delete(
      `/api/console/license-servers/${server.id}/usage`,
      { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
      { as: session },
    );
    expect(deleted.status).toBe(200);
    t.clock.advance(1000);
    await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { as: session });

    const events = await eventsOf(session.customer.id);
    expect(events.map((e) => e.type)).toEqual([
      'registration.created',
      'usage.overdraft',
      'usage.deleted',
      'registration.removed',
    ]);
    expect(events[1]!.data).toMatchObject({
      server: { licenseServerId: server.id, registrationId: product.registrationId },
      productCode: 'XDT',
      edition: 'PLT',
      licenseModel: 'user-device',
      installed: 10,
      peakInUse: 48,
    });
    expect(events[2]!.data).toMatchObject({ deletedRecords: 2 });
    expect(events[3]!.data).toMatchObject({ reason: 'admin', server: { registrationId: product.registrationId } });
  });
});

describe('webhook delivery', () => {
  it('retries a receiver that answers 500 with the same webhook-id, then delivers', async () => {
    const receiver = await startWebhookReceiver();
    others.push(receiver);
    const { session, admin, channel } = await customerWithChannel(['registration.created'], receiver.url);
    receiver.answer(500, 302);
    await registerProduct(t.app, session);
    const [event] = await eventsOf(session.customer.id);
    await t.app.services.notifications.deliverDue();
    t.clock.advance(RETRY_DELAYS_MS[0]! - 1000);
    expect(await t.app.services.notifications.deliverDue()).toBe(0); // not due yet
    t.clock.advance(1000);
    await t.app.services.notifications.deliverDue(); // answered with a redirect: not followed
    t.clock.advance(RETRY_DELAYS_MS[1]!);
    await t.app.services.notifications.deliverDue();

    const requests = receiver.received.filter((r) => r.headers['webhook-id'] === event!.id);
    expect(requests).toHaveLength(3);
    const bodies = new Set(requests.map((r) => r.body));
    expect(bodies.size).toBe(1);
    // An independent implementation of the spec checks each signature.
    const wh = new Webhook(channel.secret);
    for (const r of requests) {
      const at = new Date(Number(r.headers['webhook-timestamp']) * 1000);
      expect(r.headers['webhook-signature']).toBe(wh.sign(event!.id, at, r.body));
    }
    const log = await deliveriesOf(admin, channel.id);
    expect(log.map((d) => [d.attempt, d.status, d.responseStatus])).toEqual([
      [3, 'delivered', 200],
      [2, 'failed', 302],
      [1, 'failed', 500],
    ]);
    expect(log[1]!.error).toBe('HTTP 302 (a redirect, not followed)');
    expect(log[2]!.nextAttemptAt).not.toBeNull();
  });

  it('retries while the receiver is down, delivers once it is back, and fails after the last retry', async () => {
    const down = await startWebhookReceiver();
    const { port, url } = down;
    await down.close();
    const { session, admin, channel } = await customerWithChannel(['registration.created'], url);
    await registerProduct(t.app, session);
    await t.app.services.notifications.deliverDue();
    t.clock.advance(RETRY_DELAYS_MS[0]!);
    await t.app.services.notifications.deliverDue();
    let log = await deliveriesOf(admin, channel.id);
    expect(log.map((d) => [d.attempt, d.status])).toEqual([
      [3, 'pending'],
      [2, 'failed'],
      [1, 'failed'],
    ]);
    // Plain words: no errno code, address or port for admins to map the network with.
    expect(log[1]!.error).toBe('connection refused');
    expect(log[2]!.error).toBe('connection refused');

    const up = await startWebhookReceiver(port);
    try {
      t.clock.advance(RETRY_DELAYS_MS[1]!);
      await t.app.services.notifications.deliverDue();
      expect(up.received).toHaveLength(1);
      log = await deliveriesOf(admin, channel.id);
      expect(log[0]).toMatchObject({ attempt: 3, status: 'delivered', responseStatus: 200 });
    } finally {
      await up.close();
    }

    // Another event to a receiver that stays down: every retry, then failed.
    await registerProduct(t.app, session);
    const eventId = (await eventsOf(session.customer.id))[1]!.id;
    await t.app.services.notifications.deliverDue();
    for (const delay of RETRY_DELAYS_MS) {
      t.clock.advance(delay);
      await t.app.services.notifications.deliverDue();
    }
    t.clock.advance(24 * HOUR);
    expect(await t.app.services.notifications.deliverDue()).toBe(0);
    log = (await deliveriesOf(admin, channel.id)).filter((d) => d.eventId === eventId);
    expect(log).toHaveLength(RETRY_DELAYS_MS.length + 1);
    expect(log[0]).toMatchObject({ attempt: 7, status: 'failed', nextAttemptAt: null });
    expect(log.every((d) => d.status === 'failed')).toBe(true);
  });

  it('an event written by an instance that stopped before sending is sent by the next one to start', async () => {
    const first = await anotherInstance();
    const { session, admin, channel } = await customerWithChannel(['registration.removed']);
    const product = await registerProduct(first.app, session);
    await first.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { as: session });
    await first.app.close(); // stopped before any delivery pass
    const [event] = await eventsOf(session.customer.id);

    const restarted = await anotherInstance();
    restarted.clock.set(t.clock.now());
    const loop = startNotificationLoop(restarted.app.services.notifications, {
      sweepSeconds: 3600,
      log: () => undefined,
    });
    try {
      await vi.waitFor(() => expect(received(event!.id)).toHaveLength(1), { timeout: 10_000 });
    } finally {
      await loop.stop();
    }
    expect(JSON.parse(received(event!.id)[0]!.body)).toMatchObject({
      type: 'registration.removed',
      data: { reason: 'admin' },
    });
    expect((await deliveriesOf(admin, channel.id))[0]).toMatchObject({ status: 'delivered' });
  });

  it('keeps the deliveries log for 30 days, then purges what has nothing left to send', async () => {
    const { session, admin, channel } = await customerWithChannel(['registration.created']);
    await registerProduct(t.app, session);
    await t.app.services.notifications.deliverDue();
    t.clock.advance(29 * 24 * HOUR);
    await t.app.services.notifications.purgeOld();
    expect(await deliveriesOf(admin, channel.id)).toHaveLength(1);
    t.clock.advance(2 * 24 * HOUR);
    await t.app.services.notifications.purgeOld();
    expect(await deliveriesOf(admin, channel.id)).toHaveLength(0);
    expect(await eventsOf(session.customer.id)).toHaveLength(0);
  });

  it('refuses, at send time, a receiver whose name resolves to a private address when private receivers are not allowed', async () => {
    const { session, admin, channel } = await customerWithChannel(
      ['registration.created'],
      `http://${hostname()}:${receiver.port}/h`,
    );
    const strict = await anotherInstance({ WEBHOOK_ALLOW_PRIVATE: false });
    await registerProduct(t.app, session);
    const before = receiver.received.length;
    await strict.app.services.notifications.deliverDue();
    expect(receiver.received.length).toBe(before);
    const [retry, attempt] = await deliveriesOf(admin, channel.id);
    expect(retry).toMatchObject({ attempt: 2, status: 'pending' });
    expect(attempt).toMatchObject({
      status: 'failed',
      responseStatus: null,
      error: 'private address, not allowed',
    });
  });

  it('says "name not found" for a name that does not resolve, without the resolver\'s words', async () => {
    const { session, admin, channel } = await customerWithChannel(
      ['registration.created'],
      'http://no-such-host.invalid/hooks',
    );
    await registerProduct(t.app, session);
    await t.app.services.notifications.deliverDue();
    const [, attempt] = await deliveriesOf(admin, channel.id);
    expect(attempt).toMatchObject({ status: 'failed', responseStatus: null, error: 'name not found' });
  });

  it('says "HTTP 500" for a receiver that answers 500', async () => {
    const failing = await startWebhookReceiver();
    others.push(failing);
    failing.answer(500);
    const { session, admin, channel } = await customerWithChannel(['registration.created'], failing.url);
    await registerProduct(t.app, session);
    await t.app.services.notifications.deliverDue();
    const [, attempt] = await deliveriesOf(admin, channel.id);
    expect(attempt).toMatchObject({ status: 'failed', responseStatus: 500, error: 'HTTP 500' });
  });
});
