import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, type SignedIn } from './helpers/factories.ts';
import { mailText, useSmtpServer, useWebhookReceiver } from './helpers/receivers.ts';

let session: SignedIn;
const receiver = useWebhookReceiver();
const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url, MAIL_FROM: 'Registration <alerts@example.com>' }));
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const addChannel = (payload: object, s: SignedIn = session, client = t.client) =>
  client.post('/api/console/notification-channels', payload, { as: s });
const deliveries = (id: string, s: SignedIn = session, query = '') =>
  t.client.get(`/api/console/notification-channels/${id}/deliveries${query}`, { as: s });
const sendTest = (id: string, s: SignedIn = session) =>
  t.client.post(`/api/console/notification-channels/${id}/test`, undefined, { as: s });
const confirm = (id: string, token: string, s: SignedIn = session) =>
  t.client.post(`/api/console/notification-channels/${id}/confirm`, { token }, { as: s });

/** The link in the newest confirmation mail to `address`: what someone at it would open. */
function linkInMail(address: string) {
  const mail = smtp.mails.filter((m) => m.to.includes(address) && m.raw.includes('Confirm this address')).at(-1);
  const link = mailText(mail!.raw).match(/^http:\/\/localhost:8080\/iam\/notifications\/confirm#\S+$/m)![0];
  const hash = new URLSearchParams(new URL(link).hash.slice(1));
  return { link, channel: hash.get('channel')!, token: hash.get('token')! };
}
/** Follows the link as the console page does: the signed-in admin posts the token. */
const confirmFromMail = (address: string, s: SignedIn = session) => {
  const { channel, token } = linkInMail(address);
  return confirm(channel, token, s);
};

describe('notification channels', () => {
  it('adds a webhook channel, shows its secret once, lists it and audits it', async () => {
    const created = await addChannel({ type: 'webhook', url: receiver.url, events: ['server.not_reporting'] });
    expect(created.status).toBe(201);
    const channel = created.json;
    expect(channel.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(channel.secret.slice(6), 'base64')).toHaveLength(32);
    const list = await t.client.get('/api/console/notification-channels', { as: session });
    expect(list.json.items).toContainEqual({
      id: channel.id,
      type: 'webhook',
      url: receiver.url,
      events: ['server.not_reporting'],
      createdAt: channel.createdAt,
      confirmed: true,
      lastDelivery: null,
    });
    expect(list.body).not.toContain(channel.secret);
    const audit = await t.client.get('/api/console/audit-events', { as: session });
    expect(audit.json.items).toContainEqual(
      expect.objectContaining({
        action: 'notification_channel.created',
        target: expect.objectContaining({ type: 'notification_channel', id: channel.id }),
      }),
    );
  });

  it.each([
    ['a non-http(s) URL', { type: 'webhook', url: 'ftp://example.com/hook', events: ['usage.deleted'] }, 'url'],
    ['javascript:', { type: 'webhook', url: 'javascript:alert(1)', events: ['usage.deleted'] }, 'url'],
    [
      'an URL over 2,048 characters',
      { type: 'webhook', url: `https://example.com/${'a'.repeat(2040)}`, events: ['usage.deleted'] },
      'url',
    ],
    ['an unknown event', { type: 'webhook', url: 'https://example.com/h', events: ['server.exploded'] }, 'events'],
    ['no event', { type: 'webhook', url: 'https://example.com/h', events: [] }, 'events'],
    ['a malformed email', { type: 'email', address: 'not an address', events: ['usage.deleted'] }, 'address'],
    ['an unknown type', { type: 'pager', url: 'https://example.com/h', events: ['usage.deleted'] }, 'type'],
  ])('refuses %s with 400 naming the field', async (_name, payload, field) => {
    const response = await addChannel(payload);
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
    expect(JSON.stringify(response.json.details)).toContain(`"${field}"`);
  });

  it('refuses an email channel with 422 email_not_configured when SMTP_URL is not set', async () => {
    const bare = await createTestApp();
    try {
      const other = await createSignedInAdmin(bare.app, bare.db);
      const response = await addChannel(
        { type: 'email', address: 'ops@example.com', events: ['usage.deleted'] },
        other.session,
        bare.client,
      );
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({
        error: 'email_not_configured',
        message: expect.stringContaining('SMTP_URL'),
      });
    } finally {
      await bare.app.close();
    }
  });

  it('with SMTP_URL=log (development) writes mails to the log instead of sending them', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const dev = await createTestApp({ NODE_ENV: 'development', SMTP_URL: 'log' });
    try {
      const other = await createSignedInAdmin(dev.app, dev.db);
      const channel = (
        await addChannel(
          { type: 'email', address: 'dev@example.com', events: ['usage.deleted'] },
          other.session,
          dev.client,
        )
      ).json;
      await dev.client.post(`/api/console/notification-channels/${channel.id}/test`, undefined, { as: other.session });
      expect(logged.mock.calls.flat().join('\n')).toMatch(
        /Mail \(SMTP_URL=log\) to dev@example.com[\s\S]*\/iam\/notifications\/confirm#channel=/,
      );
    } finally {
      logged.mockRestore();
      await dev.app.close();
    }
  });

  it('refuses a loopback or private receiver in production unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const production = await createTestApp({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: false });
    try {
      const other = await createSignedInAdmin(production.app, production.db);
      for (const url of [
        'http://127.0.0.1:8080/h',
        'http://localhost/h',
        'http://10.1.2.3/h',
        'http://[::1]/h',
        'http://169.254.169.254/latest',
      ]) {
        const response = await addChannel(
          { type: 'webhook', url, events: ['usage.deleted'] },
          other.session,
          production.client,
        );
        expect(response.status, url).toBe(400);
        expect(response.json.details[0].path).toEqual(['url']);
      }
    } finally {
      await production.app.close();
    }
  });

  it('sends a test to a webhook, signed per Standard Webhooks, and logs the delivery', async () => {
    const channel = (await addChannel({ type: 'webhook', url: receiver.url, events: ['usage.deleted'] })).json;
    const accepted = await sendTest(channel.id);
    expect(accepted.status).toBe(202);
    const before = receiver.received.length;
    expect(await t.app.services.notifications.deliverDue()).toBe(1);
    const request = receiver.received[before]!;
    const payload = new Webhook(channel.secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });
    expect(request.headers['webhook-id']).toBe(accepted.json.eventId);
    expect(payload).toMatchObject({
      type: 'test',
      data: { customer: { id: session.customer.id, name: session.customer.name } },
    });
    const log = (await deliveries(channel.id)).json;
    expect(log).toEqual({
      items: [
        {
          id: expect.any(String),
          eventId: accepted.json.eventId,
          type: 'test',
          attempt: 1,
          status: 'delivered',
          responseStatus: 200,
          error: null,
          at: expect.any(String),
          nextAttemptAt: null,
          muteId: null,
        },
      ],
      nextCursor: null,
    });
    const list = await t.client.get('/api/console/notification-channels', { as: session });
    expect(list.json.items.find((c: { id: string }) => c.id === channel.id).lastDelivery).toMatchObject({
      status: 'delivered',
    });
  });

  it('sends email through SMTP_URL from MAIL_FROM, in plain text with a link to the page, once confirmed', async () => {
    const channel = (await addChannel({ type: 'email', address: 'ops@example.com', events: ['server.not_reporting'] }))
      .json;
    expect(channel.secret).toBeUndefined();
    expect(channel.confirmed).toBe(false);
    expect((await confirmFromMail('ops@example.com')).status).toBe(204);
    await sendTest(channel.id);
    await t.app.services.notifications.deliverDue();
    const mail = smtp.mails.filter((m) => m.to.includes('ops@example.com')).at(-1)!;
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/i);
    expect(mail.raw).toContain('Subject: [License Registration] Test notification');
    expect(mailText(mail.raw)).toContain('http://localhost:8080/iam/notifications');
    expect((await deliveries(channel.id)).json.items[0]).toMatchObject({ status: 'delivered', attempt: 1 });
  });

  it("pages the deliveries with a cursor, refuses a bad one, and hides another customer's channel", async () => {
    const channel = (await addChannel({ type: 'webhook', url: receiver.url, events: ['usage.deleted'] })).json;
    for (let i = 0; i < 3; i++) {
      await sendTest(channel.id);
      t.clock.advance(1000);
    }
    await t.app.services.notifications.deliverDue();
    const first = (await deliveries(channel.id, session, '?limit=2')).json;
    expect(first.items).toHaveLength(2);
    const second = (await deliveries(channel.id, session, `?limit=2&cursor=${first.nextCursor}`)).json;
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await deliveries(channel.id, session, '?cursor=bm9wZQ')).status).toBe(400);
    const stranger = await createSignedInAdmin(t.app, t.db);
    expect((await deliveries(channel.id, stranger.session)).status).toBe(404);
    expect((await sendTest(channel.id, stranger.session)).status).toBe(404);
    const del = () =>
      t.client.delete(`/api/console/notification-channels/${channel.id}`, undefined, { as: stranger.session });
    expect((await del()).status).toBe(404);
  });

  it('deletes a channel with its pending deliveries, audited', async () => {
    const channel = (await addChannel({ type: 'webhook', url: receiver.url, events: ['usage.deleted'] })).json;
    await sendTest(channel.id);
    const removed = await t.client.delete(`/api/console/notification-channels/${channel.id}`, undefined, {
      as: session,
    });
    expect(removed.status).toBe(204);
    const pending = await t.db.notificationDelivery.count({ where: { channelId: channel.id } });
    expect(pending).toBe(0);
    const audit = await t.client.get('/api/console/audit-events', { as: session });
    expect(audit.json.items).toContainEqual(
      expect.objectContaining({
        action: 'notification_channel.deleted',
        target: expect.objectContaining({ id: channel.id }),
      }),
    );
  });
});
