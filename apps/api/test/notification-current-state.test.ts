import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, signIn } from './helpers/factories.ts';
import { mailText, useSmtpServer, useWebhookReceiver, type WebhookReceiver } from './helpers/receivers.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const HOUR = 3600_000;
const smtp = useSmtpServer();
const receivers = [useWebhookReceiver(), useWebhookReceiver(), useWebhookReceiver(), useWebhookReceiver()];
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
let api: TestClient;
beforeAll(async () => {
  api = createClient(t.app, { prefix: '/api/console' });
});

interface Sent {
  type: string;
  data: { server: { registrationId: string; serverName: string }; lastContactAt: string | null };
}
const sentTo = (receiver: WebhookReceiver) => receiver.received.map((r) => JSON.parse(r.body) as Sent);

const contact = (product: { bearer: Record<string, string> }) =>
  t.app.inject({ method: 'GET', url: '/api/product/v1/registration', headers: product.bearer });
const sweep = () => t.app.services.notifications.sweep();
/** Sends everything due, then again (a retry would be due later, none is expected). */
const deliver = async () => {
  await t.app.services.notifications.deliverDue();
  await t.app.services.notifications.deliverDue();
};
/** Past the not-reporting window from now. */
const goSilent = () => t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);

describe('a channel added while a server is silent is told the current state', () => {
  it('sends each new channel one server.not_reporting per silent server, never old transitions, once', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const customerId = session.customer.id;
    const a = await registerProduct(t.app, session, { serverName: 'Server A' });
    const b = await registerProduct(t.app, session, { serverName: 'Server B' });
    await contact(a);
    await contact(b);

    // With no channel at all: A and B go silent, come back, then A goes silent again.
    goSilent();
    await sweep();
    await contact(a);
    await contact(b);
    await sweep();
    goSilent();
    await contact(b);
    // Registered now and never in contact: silent once the window has passed (lastContactAt null).
    const c = await registerProduct(t.app, await signIn(t.app, admin.email), {
      serverName: 'Server C',
    });
    await sweep();
    goSilent();
    await contact(b);
    await sweep();
    const states = await t.db.$queryRaw<{ registration_id: string; not_reporting: boolean }[]>`
      SELECT registration_id, not_reporting FROM notification_server_states
      WHERE registration_id IN (${a.registrationId}::uuid, ${b.registrationId}::uuid, ${c.registrationId}::uuid)`;
    expect(Object.fromEntries(states.map((s) => [s.registration_id, s.not_reporting]))).toEqual({
      [a.registrationId]: true,
      [b.registrationId]: false,
      [c.registrationId]: true,
    });
    // Nothing was written for those transitions: no channel wanted them.
    expect(await t.db.notificationEvent.count({ where: { customerId } })).toBe(0);

    const [first, second, other] = receivers as [WebhookReceiver, WebhookReceiver, WebhookReceiver];
    const addWebhook = async (url: string, events: string[]) =>
      addWebhookChannel(t.client, await signIn(t.app, admin.email), url, events);

    const one = await addWebhook(first.url, ['server.not_reporting', 'server.reporting_again']);
    await deliver();
    const toFirst = sentTo(first);
    expect(toFirst.map((e) => e.type)).toEqual(['server.not_reporting', 'server.not_reporting']);
    expect(toFirst.map((e) => e.data.server.serverName).sort()).toEqual(['Server A', 'Server C']);
    expect(toFirst.find((e) => e.data.server.registrationId === a.registrationId)!.data.lastContactAt).toEqual(
      expect.any(String),
    );
    expect(toFirst.find((e) => e.data.server.registrationId === c.registrationId)!.data.lastContactAt).toBeNull();

    // A second channel gets its own; the first gets nothing more. One that does not subscribe gets nothing.
    const two = await addWebhook(second.url, ['server.not_reporting']);
    const three = await addWebhook(other.url, ['server.reporting_again', 'registration.created']);
    await deliver();
    expect(
      sentTo(second)
        .map((e) => [e.type, e.data.server.serverName])
        .sort(),
    ).toEqual([
      ['server.not_reporting', 'Server A'],
      ['server.not_reporting', 'Server C'],
    ]);
    expect(first.received).toHaveLength(2);
    expect(other.received).toHaveLength(0);
    // Each went to its own channel alone.
    const deliveries = await t.db.notificationDelivery.findMany({ include: { event: true } });
    const of = (channelId: string) => deliveries.filter((d) => d.channelId === channelId);
    expect(of(one.id)).toHaveLength(2);
    expect(of(two.id)).toHaveLength(2);
    expect(of(three.id)).toHaveLength(0);
    expect(new Set([...of(one.id), ...of(two.id)].map((d) => d.eventId)).size).toBe(4);

    // The next sweeps send nothing more while nothing changes.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      await contact(b);
      expect(await sweep()).toBe(0);
    }
    await deliver();
    expect(first.received).toHaveLength(2);
    expect(second.received).toHaveLength(2);

    // The next transition reaches both, as usual: A reports again.
    await contact(a);
    await sweep();
    await deliver();
    expect(sentTo(first).map((e) => e.type)).toEqual([
      'server.not_reporting',
      'server.not_reporting',
      'server.reporting_again',
    ]);
    expect(second.received).toHaveLength(2);
    expect(sentTo(other).map((e) => [e.type, e.data.server.serverName])).toEqual([
      ['server.reporting_again', 'Server A'],
    ]);
  });

  it('tells an email channel once it is confirmed, once', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const quiet = await registerProduct(t.app, session, { serverName: 'Mail room server' });
    await contact(quiet);
    goSilent();
    await sweep();

    const address = `ops-${session.customer.id}@example.com`;
    const created = await api.post(
      '/notification-channels',
      { type: 'email', address, events: ['server.not_reporting'] },
      { as: await signIn(t.app, admin.email) },
    );
    expect(created.status).toBe(201);
    const id = (created.json as { id: string }).id;
    await deliver();
    const mailsTo = () => smtp.mails.filter((m) => m.to.includes(address));
    // Only the confirmation link: an unconfirmed address gets no events.
    expect(mailsTo()).toHaveLength(1);
    expect(await t.db.notificationDelivery.count({ where: { channelId: id } })).toBe(0);
    const link = mailText(mailsTo()[0]!.raw).match(/confirm#(\S+)$/m)!;
    const token = new URLSearchParams(link[1]).get('token')!;

    const confirm = async () =>
      api.post(`/notification-channels/${id}/confirm`, { token }, { as: await signIn(t.app, admin.email) });
    expect((await confirm()).status).toBe(204);
    // A retried confirmation is refused (the link works once) and sends nothing again.
    expect((await confirm()).status).toBe(400);
    await deliver();
    await sweep();
    await deliver();
    const mails = mailsTo();
    expect(mails).toHaveLength(2);
    expect(mails[1]!.raw).toMatch(/^Subject: .*Mail room server stopped reporting/m);
    expect(await t.db.notificationDelivery.count({ where: { channelId: id } })).toBe(1);
  });

  it('is muted by a maintenance window like any event', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const quiet = await registerProduct(t.app, session, { serverName: 'Under maintenance' });
    await contact(quiet);
    goSilent();
    await sweep();
    const as = await signIn(t.app, admin.email);
    const from = t.clock.now();
    const mute = await api.post(
      '/mutes',
      {
        scope: { registrationId: quiet.registrationId },
        from: from.toISOString(),
        to: new Date(from.getTime() + 2 * HOUR).toISOString(),
        reason: 'Upgrading',
      },
      { as },
    );
    expect(mute.status).toBe(201);
    const receiver = receivers[3]!;
    const created = await api.post(
      '/notification-channels',
      { type: 'webhook', url: receiver.url, events: ['server.not_reporting'] },
      { as },
    );
    expect(created.status).toBe(201);
    await deliver();
    expect(receiver.received).toHaveLength(0);
    const log = await api.get(`/notification-channels/${(created.json as { id: string }).id}/deliveries`, { as });
    expect((log.json as { items: { type: string; status: string }[] }).items).toEqual([
      expect.objectContaining({ type: 'server.not_reporting', status: 'muted' }),
    ]);
  });

  it('a channel added while the sweep announces the change hears it once, whichever commits first', async () => {
    const receiver = receivers[3]!;
    for (let round = 0; round < 4; round++) {
      const { admin, session } = await createSignedInAdmin(t.app, t.db);
      const product = await registerProduct(t.app, session, { serverName: `Racing server ${round}` });
      await contact(product);
      goSilent();
      const as = await signIn(t.app, admin.email);
      const [created] = await Promise.all([
        api.post(
          '/notification-channels',
          { type: 'webhook', url: receiver.url, events: ['server.not_reporting'] },
          { as },
        ),
        sweep(),
        sweep(),
      ]);
      expect(created.status).toBe(201);
      const events = await t.db.notificationDelivery.findMany({
        where: { channelId: (created.json as { id: string }).id },
        include: { event: true },
      });
      expect(events.map((d) => [d.event.type, (d.event.data as Sent['data']).server.registrationId])).toEqual([
        ['server.not_reporting', product.registrationId],
      ]);
    }
  });
});
