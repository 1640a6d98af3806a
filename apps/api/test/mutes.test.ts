import { randomUUID } from 'node:crypto';
import type { TMute } from '@reg/contracts/mutes-api';
import type { TNotificationDelivery } from '@reg/contracts/notifications-api';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { keyRecord } from './helpers/entitlements.ts';
import { createAdmin, createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { useWebhookReceiver } from './helpers/receivers.ts';
import { reportWith, upload } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const receiver = useWebhookReceiver();
const t = useTestApp();
const HOUR = 3600_000;

const iso = (offsetMs: number) => new Date(t.clock.now().getTime() + offsetMs).toISOString();
const addMute = (body: unknown, as: SignedIn) =>
  t.client.post<TMute & { error?: string; details?: unknown }>('/api/console/mutes', body, { as });
const listMutes = (as: SignedIn) => t.client.get<{ items: TMute[] }>('/api/console/mutes', { as });

describe('maintenance windows: the API', () => {
  it('adds, lists and deletes windows, audited, with the server’s name and whether each is active', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, { serverName: 'Patched' });
    const one = await addMute(
      { scope: { registrationId: product.registrationId }, from: iso(-HOUR), to: iso(HOUR), reason: 'Patching' },
      session,
    );
    expect(one.status, one.body).toBe(201);
    expect(one.json).toMatchObject({
      scope: { registrationId: product.registrationId },
      serverName: 'Patched',
      reason: 'Patching',
      active: true,
      createdBy: { id: admin.id, email: admin.email },
    });
    const all = await addMute(
      { scope: { all: true }, from: iso(2 * HOUR), to: iso(3 * HOUR), reason: 'Upgrade' },
      session,
    );
    expect(all.json).toMatchObject({ scope: { all: true }, serverName: null, active: false });

    const listed = await listMutes(session);
    expect(listed.json.items.map((m) => m.reason)).toEqual(['Upgrade', 'Patching']);

    // Another customer sees none and can't delete them.
    const stranger = await createSignedInAdmin(t.app, t.db);
    expect((await listMutes(stranger.session)).json.items).toEqual([]);
    expect(
      (await t.client.delete(`/api/console/mutes/${one.json.id}`, undefined, { as: stranger.session })).status,
    ).toBe(404);
    // …nor mute this customer's server.
    const foreign = await addMute(
      { scope: { registrationId: product.registrationId }, from: iso(0), to: iso(HOUR), reason: 'x' },
      stranger.session,
    );
    expect([foreign.status, foreign.json.error]).toEqual([404, 'not_found']);

    expect((await t.client.delete(`/api/console/mutes/${one.json.id}`, undefined, { as: session })).status).toBe(204);
    expect((await t.client.delete(`/api/console/mutes/${one.json.id}`, undefined, { as: session })).status).toBe(404);
    expect((await t.client.delete('/api/console/mutes/not-a-uuid', undefined, { as: session })).status).toBe(404);
    expect((await listMutes(session)).json.items.map((m) => m.reason)).toEqual(['Upgrade']);

    const audit = await t.client.get('/api/console/audit-events', { as: session });
    const mutes = audit.json.items.filter((e: { action: string }) => e.action.startsWith('mute.'));
    // One clock time: compared as a set.
    expect(
      mutes.map((e: { action: string; target: { label: string } }) => `${e.action} ${e.target.label}`).sort(),
    ).toEqual(['mute.created All servers', 'mute.created Patched', 'mute.deleted Patched']);
    const created = mutes.find(
      (e: { action: string; target: { id: string } }) => e.target.id === one.json.id && e.action === 'mute.created',
    );
    expect(created.details).toEqual({
      scope: { registrationId: product.registrationId },
      from: one.json.from,
      to: one.json.to,
      reason: 'Patching',
    });
  });

  it('shows windows that ended within 30 days, not older ones', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addMute({ scope: { all: true }, from: iso(0), to: iso(HOUR), reason: 'Short' }, session);
    t.clock.advance(2 * HOUR);
    const session2 = await signIn(t.app, session.admin.email);
    expect((await listMutes(session2)).json.items.map((m) => [m.reason, m.active])).toEqual([['Short', false]]);
    t.clock.advance(31 * 24 * HOUR);
    const session3 = await signIn(t.app, session.admin.email);
    expect((await listMutes(session3)).json.items).toEqual([]);
  });

  it('refuses bad, hostile and oversized input with the field named', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const good = { scope: { all: true }, from: iso(0), to: iso(HOUR), reason: 'ok' };
    const cases: [unknown, string][] = [
      [{ ...good, scope: {} }, 'scope'],
      [{ ...good, scope: { all: true, registrationId: randomUUID() } }, 'scope'],
      [{ ...good, scope: { all: false } }, 'scope'],
      [{ ...good, scope: { registrationId: 'nope' } }, 'scope'],
      [{ ...good, to: good.from }, 'to'],
      [{ ...good, from: iso(-3 * HOUR), to: iso(-HOUR) }, 'to'],
      [{ ...good, to: iso(367 * 24 * HOUR) }, 'to'],
      [{ ...good, from: 'yesterday' }, 'from'],
      [{ ...good, reason: '' }, 'reason'],
      [{ ...good, reason: '   ' }, 'reason'],
      [{ ...good, reason: 'x'.repeat(501) }, 'reason'],
      [{ ...good, reason: 'a\u0000b' }, 'reason'],
      [{ ...good, extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const response = await addMute(body, session);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json.error).toBe('invalid_request');
      if (field)
        expect(JSON.stringify(response.json.details), JSON.stringify(body).slice(0, 80)).toContain(`"${field}"`);
    }
    const huge = await addMute({ ...good, reason: 'x'.repeat(2_000_000) }, session);
    expect(huge.status).toBe(413);
    const unknownServer = await addMute({ ...good, scope: { registrationId: randomUUID() } }, session);
    expect([unknownServer.status, unknownServer.json.error]).toEqual([404, 'not_found']);
    // 366 days is the longest window.
    expect((await addMute({ ...good, to: iso(366 * 24 * HOUR) }, session)).status).toBe(201);
  });

  it('lets read-only admins read windows but not change them', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const readOnly = await createAdmin(t.db, admin.customerId);
    await t.db.admin.update({ where: { id: readOnly.id }, data: { role: 'read-only' } });
    const reader = await signIn(t.app, readOnly.email);
    const created = await addMute({ scope: { all: true }, from: iso(0), to: iso(HOUR), reason: 'ro' }, session);
    expect((await listMutes(reader)).json.items).toHaveLength(1);
    const refused = await addMute({ scope: { all: true }, from: iso(0), to: iso(HOUR), reason: 'ro' }, reader);
    expect([refused.status, refused.json.error]).toEqual([403, 'forbidden']);
    expect((await t.client.delete(`/api/console/mutes/${created.json.id}`, undefined, { as: reader })).status).toBe(
      403,
    );
  });
});

describe('maintenance windows: what they mute', () => {
  it('keeps muted events in the log as muted and never sends them; other servers, tests and earlier retries go on', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const muted = await registerProduct(t.app, session, { serverName: 'Muted' });
    const loud = await registerProduct(t.app, session, { serverName: 'Loud' });
    const channelId = (
      await addWebhookChannel(t.client, session, receiver.url, ['licenses.insufficient', 'usage.deleted'])
    ).id;
    // An event written before the window, failing its first attempt: its retry goes on.
    await upload(t.app, muted.bearer, reportWith([keyRecord(t.clock.now(), 3)], t.clock.now()));
    receiver.answer(500);
    expect(
      (
        await t.client.delete(
          `/api/console/license-servers/${await serverIdOf(muted.registrationId)}/usage`,
          { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
          { as: session },
        )
      ).status,
    ).toBe(200);
    await t.app.services.notifications.deliverDue();

    const window = await addMute(
      { scope: { registrationId: muted.registrationId }, from: iso(-HOUR), to: iso(HOUR), reason: 'Patching' },
      session,
    );
    for (const product of [muted, loud])
      await upload(
        t.app,
        product.bearer,
        reportWith([keyRecord(t.clock.now(), 1, { installed: 1, inUse: 5 })], t.clock.now()),
      );
    await t.app.services.notifications.sweep();
    expect(
      (await t.client.post(`/api/console/notification-channels/${channelId}/test`, undefined, { as: session })).status,
    ).toBe(202);
    // The window ends and is deleted; a day passes: nothing muted is ever sent.
    expect((await t.client.delete(`/api/console/mutes/${window.json.id}`, undefined, { as: session })).status).toBe(
      204,
    );
    t.clock.advance(24 * HOUR);
    await t.app.services.notifications.deliverDue();
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();

    const mine = receiver.received
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.data.customer?.id === admin.customerId);
    const sent = mine.map((b) => `${b.type} ${b.data.server?.serverName ?? ''}`);
    // usage.deleted twice: the failed first attempt and its retry.
    expect(sent.sort()).toEqual(['licenses.insufficient Loud', 'test ', 'usage.deleted Muted', 'usage.deleted Muted']);
    const fresh = await signIn(t.app, session.admin.email);
    const log = await t.client.get<{ items: TNotificationDelivery[] }>(
      `/api/console/notification-channels/${channelId}/deliveries`,
      { as: fresh },
    );
    const mutedRows = log.json.items.filter((d) => d.status === 'muted');
    expect(mutedRows).toEqual([
      expect.objectContaining({
        type: 'licenses.insufficient',
        attempt: 1,
        status: 'muted',
        responseStatus: null,
        error: null,
        nextAttemptAt: null,
        muteId: window.json.id,
      }),
    ]);
    expect(log.json.items.filter((d) => d.status !== 'muted').every((d) => d.muteId === null)).toBe(true);
  });

  it('an all-servers window mutes every server’s events of the customer, and only that customer’s', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const other = await createSignedInAdmin(t.app, t.db);
    const a = await registerProduct(t.app, session, { serverName: 'All-A' });
    const b = await registerProduct(t.app, other.session, { serverName: 'All-B' });
    for (const s of [session, other.session])
      await addWebhookChannel(t.client, s, receiver.url, ['licenses.insufficient']);
    await addMute({ scope: { all: true }, from: iso(0), to: iso(HOUR), reason: 'Everything' }, session);
    for (const product of [a, b])
      await upload(
        t.app,
        product.bearer,
        reportWith([keyRecord(t.clock.now(), 1, { installed: 1, inUse: 5 })], t.clock.now()),
      );
    await t.app.services.notifications.sweep();
    await t.app.services.notifications.deliverDue();
    const names = receiver.received.map((r) => JSON.parse(r.body)).map((body) => body.data.server?.serverName);
    expect(names).toContain('All-B');
    expect(names).not.toContain('All-A');
  });
});

async function serverIdOf(registrationId: string) {
  const row = await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } });
  return row.licenseServerId;
}
