import { randomUUID } from 'node:crypto';
import type { TRegistration } from '@reg/contracts/console-api';
import { describe, expect, it } from 'vitest';
import { createTestApp, useTestApp } from './helpers/app.ts';
import { allPages } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const DAY = 86_400_000;
// Sessions outlive the weeks the clock moves here.
const LONG_SESSIONS = { SESSION_IDLE_MINUTES: 10_000_000, SESSION_MAX_HOURS: 1_000_000 };
const t = useTestApp(LONG_SESSIONS);

/** A customer of its own per test (the sweep covers every customer, the assertions one), with a channel for the events. */
const newCustomer = async () => {
  const { session } = await createSignedInAdmin(t.app, t.db);
  await addWebhookChannel(t.client, session, 'http://127.0.0.1:9/stale', [
    'server.removal_scheduled',
    'registration.removed',
  ]);
  return session;
};
/** The outbox's events of one type about one registration. */
const events = (type: string, registrationId: string) =>
  t.db.$queryRaw<{ data: Record<string, unknown> }[]>`
    SELECT data FROM notification_events WHERE type = ${type} AND data->'server'->>'registrationId' = ${registrationId}`;
const putSettings = (session: SignedIn, payload: unknown) =>
  t.client.put('/api/console/settings', payload as object, { as: session });
const setPolicy = async (session: SignedIn, staleRemovalDays: number | null) => {
  const response = await putSettings(session, { staleRemovalDays });
  expect(response.status).toBe(200);
};
const sweep = () => t.app.services.staleRegistrations.sweep();
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
/** A registered server whose last contact is now. */
const reportingServer = async (session: SignedIn, overrides = {}) => {
  const product = await registerProduct(t.app, session, overrides);
  expect((await heartbeat(product)).status).toBe(200);
  return product;
};
/** The registration as the console lists it, on whichever page it is. */
const listed = async (session: SignedIn, id: string): Promise<TRegistration | undefined> =>
  (await allPages<TRegistration>(t.client, '/api/console/registrations', { as: session })).find((r) => r.id === id);
const removals = async (registrationId: string) =>
  t.db.auditEvent.findMany({ where: { action: 'registration.removed', targetId: registrationId } });

describe('stale registrations', () => {
  it('announces three days before, then removes at the due time as an admin would (reason stale)', async () => {
    const session = await newCustomer();
    const instanceId = randomUUID();
    const product = await reportingServer(session, { instanceId });
    const silentSince = t.clock.now().getTime();
    await setPolicy(session, 7);

    t.clock.set(silentSince + 4 * DAY - 1000);
    await sweep();
    expect(await t.db.registration.findUnique({ where: { id: product.registrationId } })).toMatchObject({
      removalScheduledAt: null,
    });
    expect(await listed(session, product.registrationId)).toMatchObject({
      status: 'not-reporting',
      scheduledRemovalAt: new Date(silentSince + 7 * DAY).toISOString(),
    });

    expect(await events('server.removal_scheduled', product.registrationId)).toHaveLength(0);

    t.clock.set(silentSince + 4 * DAY);
    await sweep();
    expect((await t.db.registration.findUnique({ where: { id: product.registrationId } }))?.removalScheduledAt).toEqual(
      new Date(silentSince + 7 * DAY),
    );
    const [announcement, ...more] = await events('server.removal_scheduled', product.registrationId);
    expect(more).toHaveLength(0);
    expect(announcement?.data).toMatchObject({
      removalAt: new Date(silentSince + 7 * DAY).toISOString(),
      lastContactAt: new Date(silentSince).toISOString(),
      staleRemovalDays: 7,
    });

    t.clock.set(silentSince + 7 * DAY - 1);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeDefined();
    expect(await events('server.removal_scheduled', product.registrationId)).toHaveLength(1);

    t.clock.set(silentSince + 7 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeUndefined();
    const refused = await heartbeat(product);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('registration_removed');
    const audited = await removals(product.registrationId);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorType: 'system', details: { reason: 'stale' } });
    const removedEvents = await events('registration.removed', product.registrationId);
    expect(removedEvents.map((e) => e.data.reason)).toEqual(['stale']);
    // It can register again.
    const again = await reportingServer(session, { instanceId });
    expect(await listed(session, again.registrationId)).toMatchObject({ status: 'reporting' });
  });

  it('counts a never-contacted registration from its registration', async () => {
    const session = await newCustomer();
    const product = await registerProduct(t.app, session);
    const registeredAt = t.clock.now().getTime();
    await setPolicy(session, 10);
    t.clock.set(registeredAt + 7 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toMatchObject({
      status: 'never-contacted',
      scheduledRemovalAt: new Date(registeredAt + 10 * DAY).toISOString(),
    });
    t.clock.set(registeredAt + 10 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeUndefined();
  });

  it('waits three days after the announcement when the policy is turned on for servers already that old', async () => {
    const session = await newCustomer();
    const product = await reportingServer(session);
    t.clock.advance(40 * DAY);
    await setPolicy(session, 7);
    const turnedOn = t.clock.now().getTime();
    await sweep();
    expect((await listed(session, product.registrationId))?.scheduledRemovalAt).toBe(
      new Date(turnedOn + 3 * DAY).toISOString(),
    );
    t.clock.set(turnedOn + 3 * DAY - 1);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeDefined();
    t.clock.set(turnedOn + 3 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeUndefined();
  });

  it('never removes a server that reports a second before its time', async () => {
    const session = await newCustomer();
    const product = await reportingServer(session);
    const silentSince = t.clock.now().getTime();
    await setPolicy(session, 7);
    t.clock.set(silentSince + 4 * DAY);
    await sweep();
    t.clock.set(silentSince + 7 * DAY - 1000);
    expect((await heartbeat(product)).status).toBe(200);
    t.clock.set(silentSince + 7 * DAY);
    await sweep();
    const row = await listed(session, product.registrationId);
    expect(row).toMatchObject({ status: 'reporting' });
    expect(row?.scheduledRemovalAt).toBeUndefined();
    expect(await removals(product.registrationId)).toHaveLength(0);
    // Silent again: a new announcement, a new due time counted from the last report.
    t.clock.set(silentSince + 11 * DAY - 1000);
    await sweep();
    t.clock.set(silentSince + 14 * DAY - 1000);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeUndefined();
  });

  it('keeps a report and a removal that race consistent: removed exactly when the report was refused', async () => {
    const session = await newCustomer();
    const products = await Promise.all(Array.from({ length: 6 }, () => reportingServer(session)));
    const silentSince = t.clock.now().getTime();
    await setPolicy(session, 7);
    t.clock.set(silentSince + 4 * DAY);
    await sweep();
    t.clock.set(silentSince + 7 * DAY);
    const [, ...reports] = await Promise.all([sweep(), ...products.map((p) => heartbeat(p))]);
    for (const [i, report] of reports.entries()) {
      const row = await listed(session, products[i]!.registrationId);
      if (report.status === 200) expect(row).toMatchObject({ status: 'reporting' });
      else expect([report.status, row]).toEqual([401, undefined]);
    }
  });

  it('turning the policy off cancels what was announced', async () => {
    const session = await newCustomer();
    const product = await reportingServer(session);
    const silentSince = t.clock.now().getTime();
    await setPolicy(session, 7);
    t.clock.set(silentSince + 5 * DAY);
    await sweep();
    await setPolicy(session, null);
    expect((await listed(session, product.registrationId))?.scheduledRemovalAt).toBeUndefined();
    t.clock.set(silentSince + 30 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toMatchObject({ status: 'not-reporting' });
    expect(await removals(product.registrationId)).toHaveLength(0);
    // On again: announced afresh, removed three days later.
    await setPolicy(session, 7);
    await sweep();
    expect(await events('server.removal_scheduled', product.registrationId)).toHaveLength(2);
    t.clock.set(silentSince + 33 * DAY);
    await sweep();
    expect(await listed(session, product.registrationId)).toBeUndefined();
  });

  it('two instances sweeping at once remove each registration once', async () => {
    const other = await createTestApp(LONG_SESSIONS);
    try {
      const session = await newCustomer();
      const products = await Promise.all(Array.from({ length: 8 }, () => reportingServer(session)));
      const silentSince = t.clock.now().getTime();
      await setPolicy(session, 7);
      const both = async (at: number) => {
        t.clock.set(at);
        other.clock.set(at);
        return Promise.all([sweep(), other.app.services.staleRegistrations.sweep()]);
      };
      const [a, b] = await both(silentSince + 4 * DAY);
      expect(a.announced + b.announced).toBeGreaterThanOrEqual(products.length);
      await both(silentSince + 7 * DAY);
      for (const p of products) {
        expect(await removals(p.registrationId)).toHaveLength(1);
        expect(await events('server.removal_scheduled', p.registrationId)).toHaveLength(1);
        expect(await events('registration.removed', p.registrationId)).toHaveLength(1);
      }
    } finally {
      await other.app.close();
    }
  });
});

describe('settings', () => {
  it('are off by default; a change is audited with the old and the new value', async () => {
    const session = await newCustomer();
    const read = await t.client.get('/api/console/settings', { as: session });
    expect(read.json).toEqual({ staleRemovalDays: null, requireMfa: false });
    await setPolicy(session, 30);
    await setPolicy(session, 30);
    const changes = await t.db.auditEvent.findMany({
      where: { customerId: session.customer.id, action: 'settings.changed' },
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]!.details).toEqual({
      old: { staleRemovalDays: null, requireMfa: false },
      new: { staleRemovalDays: 30, requireMfa: false },
    });
    const again = await t.client.get('/api/console/settings', { as: session });
    expect(again.json).toEqual({ staleRemovalDays: 30, requireMfa: false });
  });

  it.each([6, 366, 7.5, '30', -1, undefined])('refuses %s with 400', async (days) => {
    const session = await newCustomer();
    const response = await putSettings(session, days === undefined ? {} : { staleRemovalDays: days });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
  });

  it('a read-only admin reads them but cannot change them', async () => {
    const full = await newCustomer();
    const { admin } = await createSignedInAdmin(t.app, t.db, full.customer.id);
    await t.db.admin.update({ where: { id: admin.id }, data: { role: 'read-only' } });
    const readOnly = await signIn(t.app, admin.email);
    const read = await t.client.get('/api/console/settings', { as: readOnly });
    expect(read.status).toBe(200);
    const refused = await putSettings(readOnly, { staleRemovalDays: 30 });
    // 403 whichever refuses first: the role check of every change, or the settings' own.
    expect(refused.status).toBe(403);
    expect((await putSettings(full, { staleRemovalDays: 30 })).status).toBe(200);
  });
});
