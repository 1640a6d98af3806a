import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { mailText, useSmtpServer, useWebhookReceiver } from './helpers/receivers.ts';
import { upload, usageReport } from './helpers/usage.ts';

const HOUR = 3600_000;
const receiver = useWebhookReceiver();
const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));

const api = () => t.client.with({ prefix: '/api/console' });

async function addChannel(session: SignedIn, payload: object) {
  const created = await api().post('/notification-channels', payload, { as: session });
  expect(created.status, created.body).toBe(201);
  return created.json as { id: string };
}

/** Webhook bodies received for one customer, parsed. */
const webhooksOf = (customerId: string) =>
  receiver.received
    .map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> & { customer: { id: string } } })
    .filter((b) => b.data.customer.id === customerId);

/** The Subject header, unfolded (nodemailer folds long headers). */
const subjectOf = (raw: string) =>
  (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]/g, ' ').match(/^Subject: (.*)$/m)?.[1] ?? '';

/** Follows the confirmation mail's link as the console does. */
async function confirmFromMail(session: SignedIn, address: string) {
  const mail = smtp.mails.filter((m) => m.to.includes(address) && m.raw.includes('Confirm this address')).at(-1)!;
  const link = mailText(mail.raw).match(/^http:\/\/localhost:8080\/iam\/notifications\/confirm#\S+$/m)![0];
  const hash = new URLSearchParams(new URL(link).hash.slice(1));
  const reply = await api().post(
    `/notification-channels/${hash.get('channel')}/confirm`,
    { token: hash.get('token') },
    { as: session },
  );
  expect(reply.status).toBe(204);
}

describe('audit streaming', () => {
  it('streams each audit record once to each channel that lists audit.event, its own creation included', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    // A channel without audit.event hears none of it.
    await addChannel(session, { type: 'webhook', url: receiver.url, events: ['registration.created'] });
    t.clock.advance(1000);
    const hookAt = t.clock.now().toISOString();
    const hook = await addChannel(session, { type: 'webhook', url: receiver.url, events: ['audit.event'] });
    const address = `audit-${Date.now().toString(36)}@example.com`;
    await addChannel(session, { type: 'email', address, events: ['audit.event'] });
    await confirmFromMail(session, address);
    await registerProduct(t.app, session, { serverName: 'Audited server' });
    await t.app.services.notifications.deliverDue();
    await t.app.services.notifications.deliverDue();

    const records = (await api().get('/audit-events', { as: session, query: { limit: 200 } })).json.items as {
      id: string;
      at: string;
      action: string;
      target: { id: string | null };
    }[];
    const streamed = webhooksOf(session.customer.id).filter((b) => b.type === 'audit.event');
    const streamedIds = streamed.map((b) => (b.data.audit as { id: string }).id);
    // Every record from the webhook channel's creation on (the clock moved on just before it), each exactly once.
    const hookRecord = records.find((r) => r.action === 'notification_channel.created' && r.target.id === hook.id)!;
    expect(hookRecord).toBeDefined();
    const expected = records.filter((r) => r.at >= hookAt).map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect([...streamedIds].sort()).toEqual([...expected].sort());
    // Exactly as the audit log shows it.
    const created = streamed.find((b) => (b.data.audit as { id: string }).id === hookRecord.id)!;
    expect(created.data.audit).toEqual(records.find((r) => r.id === hookRecord.id));
    expect(records.map((r) => r.action)).toContain('registration.created');
    // The channel without audit.event got only its one event.
    expect(
      webhooksOf(session.customer.id)
        .filter((b) => b.type !== 'audit.event')
        .map((b) => b.type),
    ).toEqual(['registration.created']);

    // The email channel hears from its own confirmation on, once each, with a summary in words.
    const mails = smtp.mails.filter((m) => m.to.includes(address) && !m.raw.includes('Confirm this address'));
    const texts = mails.map((m) => mailText(m.raw));
    const subjects = mails.map((m) => subjectOf(m.raw));
    expect(subjects.filter((x) => x.startsWith('[License Registration] Confirmed an email channel by '))).toHaveLength(
      1,
    );
    expect(subjects.filter((x) => x.startsWith('[License Registration] Registered by '))).toHaveLength(1);
    expect(texts.filter((text) => /^Action: "Registered"$/m.test(text))).toHaveLength(1);
    // Nothing streamed to it twice: one mail per audit record since its confirmation.
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.every((text) => text.includes('Open: http://localhost:8080/audit'))).toBe(true);
  });
});

describe('the not-reporting sweep', () => {
  it('announces once a registration that never made contact, with lastContactAt null, then its first contact', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addChannel(session, {
      type: 'webhook',
      url: receiver.url,
      events: ['server.not_reporting', 'server.reporting_again'],
    });
    const product = await registerProduct(t.app, session, { serverName: 'Never connected' });
    await t.app.services.notifications.sweep();
    expect(webhooksOf(session.customer.id)).toEqual([]);

    t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);
    await Promise.all([t.app.services.notifications.sweep(), t.app.services.notifications.sweep()]);
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();
    let bodies = webhooksOf(session.customer.id);
    expect(bodies.map((b) => b.type)).toEqual(['server.not_reporting']);
    expect(bodies[0]!.data).toMatchObject({
      server: { registrationId: product.registrationId, serverName: 'Never connected' },
      lastContactAt: null,
    });

    await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();
    bodies = webhooksOf(session.customer.id);
    expect(bodies.map((b) => b.type)).toEqual(['server.not_reporting', 'server.reporting_again']);
  }, 60_000);

  it('claims a transition with no channel; a channel added later is told the current state, then hears the next ones', async () => {
    const { session: first, admin } = await createSignedInAdmin(t.app, t.db);
    const session = first;
    const product = await registerProduct(t.app, session, { serverName: 'Silent before the channel' });
    await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);
    await t.app.services.notifications.sweep();

    // Signed in afresh: the clock moved past the session's lifetime.
    await addChannel(await signIn(t.app, admin.email), {
      type: 'webhook',
      url: receiver.url,
      events: ['server.not_reporting', 'server.reporting_again'],
    });
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();
    // Not the old transition replayed: one server.not_reporting saying the server is silent now.
    expect(webhooksOf(session.customer.id).map((b) => b.type)).toEqual(['server.not_reporting']);

    // It comes back, then goes silent again: the channel hears both, once each.
    await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    await t.app.services.notifications.sweep();
    t.clock.advance(t.config.NOT_REPORTING_AFTER_HOURS * HOUR + 60_000);
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();
    expect(webhooksOf(session.customer.id).map((b) => b.type)).toEqual([
      'server.not_reporting',
      'server.reporting_again',
      'server.not_reporting',
    ]);
  }, 60_000);
});

describe('mail words', () => {
  it('names the product key and labels the facts in words, never raw field names', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const address = `words-${Date.now().toString(36)}@example.com`;
    await addChannel(session, { type: 'email', address, events: ['usage.overdraft'] });
    await confirmFromMail(session, address);
    const product = await registerProduct(t.app, session, { serverName: 'Worded server' });
    const over = usageReport(t.clock.now(), { days: 1, installed: 10, inUse: 20 });
    expect((await upload(t.app, product.bearer, over)).statusCode).toBe(202);
    await t.app.services.notifications.deliverDue();
    const mails = smtp.mails.filter((m) => m.to.includes(address) && !m.raw.includes('Confirm this address'));
    expect(mails).toHaveLength(1);
    const text = mailText(mails[0]!.raw);
    expect(text).toMatch(/^Product: "XDT PLT \(user-device\)"$/m);
    expect(text).toMatch(/^Installed: "10"$/m);
    expect(text).toMatch(/^Peak in use: "\d+"$/m);
    expect(text).not.toMatch(/productCode|licenseModel|peakInUse/);
  });
});
