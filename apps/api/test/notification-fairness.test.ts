import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startNotificationLoop } from '../src/modules/notifications/notification-loop.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { mailText, startSmtpServer, startWebhookReceiver } from './helpers/receivers.ts';
import { addWebhookChannel } from './helpers/channels.ts';

/** A receiver that accepts TCP connections and never answers, keeping count of what it holds. */
async function startHungServer() {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let closedByPeer = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => {
      closedByPeer++;
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/hung`,
    accepted: () => accepted,
    closed: () => closedByPeer,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const HOUR = 3600_000;

describe('one hung receiver', () => {
  let t: TestApp;
  let hung: Awaited<ReturnType<typeof startHungServer>>;
  let good: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    hung = await startHungServer();
    good = await startWebhookReceiver();
    // Attempts are given up only after ten minutes: the hung ones stay hung for the whole test.
    t = await createTestApp({ WEBHOOK_TIMEOUT_MS: 600_000 });
  });
  afterAll(async () => {
    await t.app.close();
    await hung.close();
    await good.close();
  });

  const addWebhook = (session: SignedIn, url: string, events: string[]) =>
    addWebhookChannel(t.client, session, url, events);
  const receivedTypes = () => good.received.map((r) => (JSON.parse(r.body) as { type: string }).type);

  it("holds up neither another customer's events nor the not-reporting sweep", async () => {
    // The sweep's customer: a server that reported once, then fell silent.
    const silent = await createSignedInAdmin(t.app, t.db);
    await addWebhook(silent.session, good.url, ['server.not_reporting']);
    const product = await registerProduct(t.app, silent.session, { serverName: 'Silent' });
    await t.client.get('/api/product/v1/registration', { headers: product.bearer });

    // The customer with the hung receiver and a backlog larger than any batch: 5 events × 5 channels.
    const stuck = await createSignedInAdmin(t.app, t.db);
    for (let i = 0; i < 5; i++) await addWebhook(stuck.session, hung.url, ['registration.created']);
    for (let i = 0; i < 5; i++) await registerProduct(t.app, stuck.session);

    const loop = startNotificationLoop(t.app.services.notifications, { sweepSeconds: 1, log: () => undefined });
    try {
      await vi.waitFor(() => expect(hung.accepted()).toBeGreaterThan(0), { timeout: 20_000 });

      // Another customer's event, written while the hung receiver holds its requests.
      const other = await createSignedInAdmin(t.app, t.db);
      await addWebhook(other.session, good.url, ['registration.created']);
      await registerProduct(t.app, other.session, { serverName: 'Other customer' });
      await vi.waitFor(() => expect(receivedTypes()).toContain('registration.created'), { timeout: 20_000 });
      expect(hung.closed()).toBe(0);

      // The silent server crosses the not-reporting line: the sweep runs and its event arrives.
      t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);
      await vi.waitFor(() => expect(receivedTypes()).toContain('server.not_reporting'), { timeout: 20_000 });
      expect(hung.closed()).toBe(0);
      // The hung customer holds no more than its share of sends.
      expect(hung.accepted()).toBeLessThanOrEqual(4);
    } finally {
      await loop.stop();
      // The hung deliveries stay pending past this test: other tests on this database must not claim them.
      await t.db.notificationChannel.deleteMany({ where: { customerId: stuck.session.customer.id } });
    }
  }, 120_000);
});

describe('SMTP timeouts', () => {
  it('a mail server that accepts and never greets fails the attempt; the retry sends the mail once', async () => {
    const mute = await startHungServer();
    const smtp = await startSmtpServer();
    const t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${mute.port}`, WEBHOOK_TIMEOUT_MS: 1_000 });
    const later = await createTestApp({ SMTP_URL: smtp.url });
    try {
      const { session } = await createSignedInAdmin(t.app, t.db);
      const channel = await t.db.notificationChannel.create({
        data: {
          customerId: session.customer.id,
          type: 'email',
          address: 'ops@example.com',
          events: ['registration.created'],
          createdAt: t.clock.now(),
          confirmedAt: t.clock.now(),
        },
      });
      await registerProduct(t.app, session, { serverName: 'Mailed once' });
      // The attempt's own timeout (1 s here), not nodemailer's 30 s greeting or 2 min connection
      // defaults: 20 s is generous for the one and short of the other.
      await Promise.race([
        t.app.services.notifications.deliverDue(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the attempt still waited for a greeting after 20 s')), 20_000).unref(),
        ),
      ]);
      expect(mute.accepted()).toBeGreaterThan(0);
      let log = await t.db.notificationDelivery.findMany({
        where: { channelId: channel.id },
        orderBy: { attempt: 'asc' },
      });
      expect(log.map((d) => [d.attempt, d.status, d.error])).toEqual([
        [1, 'failed', 'timed out'],
        [2, 'pending', null],
      ]);

      later.clock.set(new Date(t.clock.now().getTime() + 5_000));
      await later.app.services.notifications.deliverDue();
      await later.app.services.notifications.deliverDue();
      const mails = smtp.mails.filter((m) => m.to.includes('ops@example.com'));
      expect(mails).toHaveLength(1);
      expect(mailText(mails[0]!.raw)).toContain('Server: "Mailed once"');
      log = await t.db.notificationDelivery.findMany({ where: { channelId: channel.id }, orderBy: { attempt: 'asc' } });
      expect(log.map((d) => [d.attempt, d.status])).toEqual([
        [1, 'failed'],
        [2, 'delivered'],
      ]);
    } finally {
      await t.app.close();
      await later.app.close();
      await mute.close();
      await smtp.close();
    }
  }, 60_000);
});
