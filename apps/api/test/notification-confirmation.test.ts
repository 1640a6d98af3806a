import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { mailText, useSmtpServer, useWebhookReceiver } from './helpers/receivers.ts';

const HOUR = 3600_000;
let session: SignedIn;
let email: string;
const smtp = useSmtpServer();
const receiver = useWebhookReceiver();
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
beforeAll(async () => {
  const signedIn = await createSignedInAdmin(t.app, t.db);
  ({ session } = signedIn);
  email = signedIn.admin.email;
});

const post = (url: string, s: SignedIn = session, payload?: object) =>
  t.client.post(`/api/console/notification-channels${url}`, payload, { as: s });
const list = async (s: SignedIn = session) =>
  (await t.client.get('/api/console/notification-channels', { as: s })).json.items as {
    id: string;
    url?: string;
    confirmed: boolean;
  }[];
const auditOf = async (s: SignedIn = session) =>
  (await t.client.get('/api/console/audit-events?limit=200', { as: s })).json.items as {
    action: string;
    target: { id: string | null; label: string };
  }[];

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
/** The channel and token of the newest confirmation link mailed to `address`. */
function linkTo(address: string) {
  const mail = mailsTo(address)
    .filter((m) => mailText(m.raw).includes('/iam/notifications/confirm#'))
    .at(-1)!;
  const link = mailText(mail.raw).match(/^http:\/\/localhost:8080\/iam\/notifications\/confirm#(\S+)$/m)!;
  const hash = new URLSearchParams(link[1]);
  return { channel: hash.get('channel')!, token: hash.get('token')! };
}

async function emailChannel(address: string, s: SignedIn = session, events = ['registration.created']) {
  const created = await post('', s, { type: 'email', address, events });
  expect(created.status).toBe(201);
  return created.json as { id: string; confirmed: boolean };
}

describe('email channels are confirmed by someone at the address', () => {
  it('mails a single-use link; no events until it is followed; then events arrive', async () => {
    const { session: own } = await createSignedInAdmin(t.app, t.db);
    const channel = await emailChannel('new@example.com', own);
    expect(channel.confirmed).toBe(false);
    expect((await list(own)).find((c) => c.id === channel.id)!.confirmed).toBe(false);
    const { channel: id, token } = linkTo('new@example.com');
    expect(id).toBe(channel.id);
    // The token is stored hashed, never as sent.
    const row = await t.db.notificationChannel.findUniqueOrThrow({ where: { id } });
    expect(row.confirmTokenHash).not.toContain(token);
    expect(row.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);

    // Before confirmation: an event for the customer goes nowhere, a test is refused.
    await registerProduct(t.app, own);
    expect(await t.db.notificationDelivery.count({ where: { channelId: id } })).toBe(0);
    expect((await post(`/${id}/test`, own)).json).toMatchObject({ error: 'channel_not_confirmed' });

    // Another customer's admin with the token: not their channel.
    const { session: stranger } = await createSignedInAdmin(t.app, t.db);
    expect((await post(`/${id}/confirm`, stranger, { token })).status).toBe(404);
    expect((await post(`/${id}/confirm`, own, { token: 'A'.repeat(43) })).status).toBe(400);

    expect((await post(`/${id}/confirm`, own, { token })).status).toBe(204);
    expect((await list(own)).find((c) => c.id === id)!.confirmed).toBe(true);
    const reused = await post(`/${id}/confirm`, own, { token });
    expect(reused.status).toBe(400);
    expect(reused.json.details[0].path).toEqual(['token']);
    expect((await auditOf(own)).map((e) => e.action)).toContain('notification_channel.confirmed');

    await registerProduct(t.app, own, { serverName: 'After confirmation' });
    await t.app.services.notifications.deliverDue();
    const sent = mailsTo('new@example.com').map((m) => mailText(m.raw));
    expect(sent.filter((text) => text.includes('Event: registration.created'))).toHaveLength(1);
    expect(sent.at(-1)).toContain('"After confirmation"');
  });

  it('refuses an expired link; a resend mails a new one and the old one stops working; resends are limited', async () => {
    const channel = await emailChannel('late@example.com');
    const first = linkTo('late@example.com');
    t.clock.advance(73 * HOUR);
    session = await signIn(t.app, email); // the clock moved past the session's lifetime
    expect((await post(`/${channel.id}/confirm`, session, { token: first.token })).status).toBe(400);

    expect((await post(`/${channel.id}/resend-confirmation`)).status).toBe(204);
    const second = linkTo('late@example.com');
    expect(second.token).not.toBe(first.token);
    const again = await post(`/${channel.id}/resend-confirmation`);
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(linkTo('late@example.com').token).toBe(second.token);
    expect((await post(`/${channel.id}/confirm`, session, { token: second.token })).status).toBe(204);
  });

  it.each([
    ['no token', {}],
    ['a token that is not base64url', { token: 'a b<script>' }],
    ['an oversized token', { token: 'a'.repeat(5000) }],
    ['an extra field', { token: 'abc', admin: true }],
  ])('refuses %s with 400 invalid_request', async (_name, payload) => {
    const channel = await emailChannel('hostile@example.com');
    const response = await post(`/${channel.id}/confirm`, session, payload);
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
  });
});

describe('test sends', () => {
  it('allows five per channel per hour, then 429 with Retry-After; each is audited', async () => {
    const { session: own, admin } = await createSignedInAdmin(t.app, t.db);
    const created = await post('', own, { type: 'webhook', url: receiver.url, events: ['usage.deleted'] });
    const id = created.json.id as string;
    const answers = await Promise.all(Array.from({ length: 7 }, () => post(`/${id}/test`, own)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 202, 202, 202, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.json.error).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    const audited = (await auditOf(own)).filter((e) => e.action === 'notification_channel.test_sent');
    expect(audited).toHaveLength(5);
    expect(audited.every((e) => e.target.id === id)).toBe(true);

    t.clock.advance(HOUR + 1000);
    expect((await post(`/${id}/test`, await signIn(t.app, admin.email))).status).toBe(202);
  });
});

describe('webhook URLs with tokens', () => {
  it('are shown whole once, at creation, and masked in the list and the audit log', async () => {
    const { session: own } = await createSignedInAdmin(t.app, t.db);
    const url = 'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx?token=s3cr3t-value';
    const created = await post('', own, { type: 'webhook', url, events: ['usage.deleted'] });
    expect(created.status).toBe(201);
    expect(created.json.url).toBe(url);
    const listed = (await list(own)).find((c) => c.id === created.json.id)!;
    expect(listed.url).toBe('https://hooks.slack.com/services/…/…/…?…');
    await t.client.delete(`/api/console/notification-channels/${created.json.id}`, undefined, { as: own });
    const audit = await auditOf(own);
    const labels = audit.filter((e) => e.target.id === created.json.id).map((e) => e.target.label);
    expect(labels).toEqual(['https://hooks.slack.com/services/…/…/…?…', 'https://hooks.slack.com/services/…/…/…?…']);
    for (const secret of ['abcdefghijklmnopqrstuvwx', 's3cr3t-value', 'T0123ABCD', 'B0456EFGH'])
      expect(JSON.stringify(audit)).not.toContain(secret);
  });
});

describe('mail text', () => {
  it('quotes and escapes names so they cannot forge lines of the mail', async () => {
    const { session: own } = await createSignedInAdmin(t.app, t.db);
    const evil = 'Contoso\nCustomer: Evil Corp\nOpen: http://evil.example\r\nAt: never\u2028Server: x';
    await t.db.customer.update({ where: { id: own.customer.id }, data: { name: evil } });
    const channel = await emailChannel('escape@example.com', own, ['usage.deleted']);
    const { token } = linkTo('escape@example.com');
    expect((await post(`/${channel.id}/confirm`, own, { token })).status).toBe(204);
    await post(`/${channel.id}/test`, own);
    await t.app.services.notifications.deliverDue();
    const text = mailText(mailsTo('escape@example.com').at(-1)!.raw);
    const lines = text.split('\n');
    expect(lines.filter((line) => line.startsWith('Customer:'))).toEqual([
      'Customer: "Contoso\\nCustomer: Evil Corp\\nOpen: http://evil.example\\r\\nAt: never\\u2028Server: x"',
    ]);
    expect(lines.filter((line) => line.startsWith('Open:'))).toEqual(['Open: http://localhost:8080/iam/notifications']);
    expect(lines.filter((line) => line.startsWith('At:'))).toHaveLength(1);
    expect(text).not.toMatch(/^Server:/m);
  });
});
