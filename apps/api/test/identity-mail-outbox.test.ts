import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createDb } from '@reg/db/client';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/config.ts';
import { ManualClock } from '../src/lib/clock.ts';
import { RETRY_DELAYS_MS } from '../src/modules/notifications/notifications.service.ts';
import { buildTestApp, useTestApp } from './helpers/app.ts';
import { createClient } from './helpers/client.ts';
import { forTheFile } from './helpers/fixture.ts';
import { createAdmin, createSignedInAdmin, STRONG_PASSWORD, tokenOf, type SignedIn } from './helpers/factories.ts';
import { mailText } from './helpers/receivers.ts';

/**
 * A real SMTP server (npm smtp-server) that can be told to refuse every recipient with a
 * temporary error (451), as a mail server that is overloaded or greylisting does.
 */
async function startSwitchableSmtpServer() {
  const state = { refusing: false, mails: [] as { to: string[]; text: string }[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refusing) return callback();
      callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        state.mails.push({ to, text: mailText(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const smtp = forTheFile(startSwitchableSmtpServer, (s) => s.close());
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
let owner: SignedIn;
const others: { close(): Promise<unknown> }[] = [];
beforeAll(async () => {
  ({ session: owner } = await createSignedInAdmin(t.app, t.db));
}, 60_000);
afterAll(async () => {
  for (const other of others) await other.close();
});

const client = () => createClient(t.app).with({ prefix: '/api/console' });
const address = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const mailsTo = (to: string) => smtp.state.mails.filter((mail) => mail.to.includes(to));
const deliver = () => t.app.services.notifications.deliverDue();

/** The link on a line of its own in a mail. */
const linkIn = (text: string, path: string) =>
  text.match(new RegExp(`^(http://localhost:8080${path}#token=[A-Za-z0-9_-]{43})$`, 'm'))?.[1] ?? null;

/** The outbox's events (with their deliveries) of a system mail to `to`. */
const mailEvents = (to: string) =>
  t.db.notificationEvent.findMany({
    where: { type: { startsWith: 'mail.' }, data: { path: ['to'], equals: to } },
    include: { deliveries: { orderBy: { attempt: 'asc' } } },
    orderBy: { createdAt: 'asc' },
  });

/** Another API instance over the same database, with its own connections and clock. */
async function anotherApp(overrides: Partial<Config> = {}) {
  const db = createDb(t.databaseUrl, { poolSize: 3 });
  const app = await buildTestApp({ config: { ...t.config, ...overrides }, db, clock: new ManualClock(t.clock.now()) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await db.$disconnect();
  };
  others.push({ close });
  return { app, close };
}

describe('identity mails through the notifications outbox', () => {
  it('queues the invitation with the link sealed; the dispatcher sends it exactly once and the link works', async () => {
    const to = address('invitee');
    const invited = await client().post('/admins', { email: to, role: 'full' }, { as: owner });
    expect(invited.status).toBe(201);
    expect(invited.json.emailSent).toBe(true);
    const token = tokenOf(invited.json.invitationUrl);
    // Queued in the invitation's transaction, not sent yet (nothing has run the dispatcher).
    expect(mailsTo(to)).toHaveLength(0);
    const [event, ...more] = await mailEvents(to);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ type: 'mail.invitation', customerId: owner.customer.id });
    expect(event!.deliveries).toMatchObject([{ channelId: null, status: 'pending', attempt: 1 }]);
    // The token is in the outbox only sealed.
    expect(JSON.stringify(event)).not.toContain(token);

    await deliver();
    await deliver();
    expect(mailsTo(to)).toHaveLength(1);
    expect(linkIn(mailsTo(to)[0]!.text, '/accept-invitation')).toBe(invited.json.invitationUrl);
    expect(mailsTo(to)[0]!.text).toContain(owner.customer.name);
    expect((await mailEvents(to))[0]!.deliveries).toMatchObject([{ status: 'delivered', error: null }]);
    const accepted = await client().post('/invitations/accept', { token, password: STRONG_PASSWORD });
    expect(accepted.status).toBe(200);
  });

  it('retries a reset mail the mail server refused, and it arrives once, later', async () => {
    const admin = await createAdmin(t.db);
    smtp.state.refusing = true;
    try {
      expect((await client().post('/password-reset', { email: admin.email })).status).toBe(202);
      await deliver();
      expect(mailsTo(admin.email)).toHaveLength(0);
      const [failed, retry] = (await mailEvents(admin.email))[0]!.deliveries;
      expect(failed).toMatchObject({ status: 'failed', attempt: 1 });
      expect(failed!.error).toMatch(/.+/);
      expect(retry).toMatchObject({ status: 'pending', attempt: 2 });
    } finally {
      smtp.state.refusing = false;
    }
    // Not due before its retry time.
    await deliver();
    expect(mailsTo(admin.email)).toHaveLength(0);
    t.clock.advance(RETRY_DELAYS_MS[0]!);
    await deliver();
    await deliver();
    expect(mailsTo(admin.email)).toHaveLength(1);
    const link = linkIn(mailsTo(admin.email)[0]!.text, '/reset-password');
    expect(link).not.toBeNull();
    const done = await client().post('/password-reset/complete', {
      token: tokenOf(link!),
      newPassword: STRONG_PASSWORD,
    });
    expect(done.status).toBe(204);
  });

  it('a mail server that accepts and never answers fails the attempt at its deadline; the retry arrives once', async () => {
    // Connections are taken and never greeted.
    const sockets = new Set<Socket>();
    const mute = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    try {
      const port = (mute.address() as AddressInfo).port;
      const stuck = await anotherApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, WEBHOOK_TIMEOUT_MS: 500 });
      const admin = await createAdmin(t.db);
      const asked = await createClient(stuck.app).post('/api/console/password-reset', { email: admin.email });
      expect(asked.status).toBe(202);
      await stuck.app.services.notifications.deliverDue();
      const [failed, retry] = (await mailEvents(admin.email))[0]!.deliveries;
      expect(failed).toMatchObject({ status: 'failed', error: 'timed out' });
      expect(retry).toMatchObject({ status: 'pending', attempt: 2 });
      await stuck.close();

      // The retry is sent by whichever instance polls once it is due (here one with a working server).
      t.clock.advance(RETRY_DELAYS_MS[0]!);
      await deliver();
      await deliver();
      expect(mailsTo(admin.email)).toHaveLength(1);
      expect(linkIn(mailsTo(admin.email)[0]!.text, '/reset-password')).not.toBeNull();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('a mail queued by a process that stopped right after the commit is sent by the next one', async () => {
    const first = await anotherApp();
    const { session } = await createSignedInAdmin(first.app, t.db);
    const to = address('survivor');
    const invited = await createClient(first.app).post(
      '/api/console/admins',
      { email: to, role: 'read-only' },
      {
        as: session,
      },
    );
    expect(invited.status).toBe(201);
    // The process goes away before its dispatcher ran: the mail is in the database only.
    await first.close();
    expect(mailsTo(to)).toHaveLength(0);

    await deliver();
    expect(mailsTo(to)).toHaveLength(1);
    expect(linkIn(mailsTo(to)[0]!.text, '/accept-invitation')).toBe(invited.json.invitationUrl);
  });

  it('never mails a link that died while its mail waited: a renewed invitation, an expired reset link', async () => {
    const to = address('renewed');
    const invited = await client().post('/admins', { email: to, role: 'full' }, { as: owner });
    const renewed = await client().post(`/admins/${invited.json.admin.id}/invitation`, {}, { as: owner });
    expect(renewed.status).toBe(200);
    expect(renewed.json.emailSent).toBe(true);
    await deliver();
    // One mail, with the new link; the one queued for the old link was not sent and is not retried.
    expect(mailsTo(to)).toHaveLength(1);
    expect(linkIn(mailsTo(to)[0]!.text, '/accept-invitation')).toBe(renewed.json.invitationUrl);
    const [old, current] = await mailEvents(to);
    expect(old!.deliveries).toHaveLength(1);
    expect(old!.deliveries[0]).toMatchObject({ status: 'failed', nextAttemptAt: null });
    expect(old!.deliveries[0]!.error).toMatch(/^not sent: /);
    expect(current!.deliveries).toMatchObject([{ status: 'delivered' }]);
    const stale = await client().post('/invitations/accept', {
      token: tokenOf(invited.json.invitationUrl),
      password: STRONG_PASSWORD,
    });
    expect([stale.status, stale.json.error]).toEqual([404, 'invitation_not_found']);

    const admin = await createAdmin(t.db);
    await client().post('/password-reset', { email: admin.email });
    t.clock.advance(31 * 60_000);
    await deliver();
    expect(mailsTo(admin.email)).toHaveLength(0);
    expect((await mailEvents(admin.email))[0]!.deliveries).toMatchObject([{ status: 'failed', nextAttemptAt: null }]);
  });

  it('queues nothing for an unknown or invited address (the same 202), nor anything without SMTP_URL', async () => {
    const unknown = address('nobody');
    expect((await client().post('/password-reset', { email: unknown })).status).toBe(202);
    const invitee = address('not-yet');
    // Signed in afresh: the clock has moved past the first session's idle time.
    const { session: inviter } = await createSignedInAdmin(t.app, t.db);
    expect((await client().post('/admins', { email: invitee, role: 'full' }, { as: inviter })).status).toBe(201);
    expect((await client().post('/password-reset', { email: invitee })).status).toBe(202);
    expect(await mailEvents(unknown)).toHaveLength(0);
    expect((await mailEvents(invitee)).map((e) => e.type)).toEqual(['mail.invitation']);

    // No mail server: the link is shown once to the inviting admin, and nothing waits in the outbox.
    const mailless = await anotherApp({ SMTP_URL: undefined });
    const { session, admin } = await createSignedInAdmin(mailless.app, t.db);
    const to = address('unmailed');
    const invited = await createClient(mailless.app).post(
      '/api/console/admins',
      { email: to, role: 'full' },
      {
        as: session,
      },
    );
    expect(invited.json).toMatchObject({ emailSent: false, invitationUrl: expect.stringContaining('#token=') });
    expect((await createClient(mailless.app).post('/api/console/password-reset', { email: admin.email })).status).toBe(
      202,
    );
    expect(await mailEvents(to)).toHaveLength(0);
    expect(await mailEvents(admin.email)).toHaveLength(0);
  });
});
