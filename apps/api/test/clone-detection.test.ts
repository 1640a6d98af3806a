/**
 * Clone detection: a registration keeps the first machine its credential is used from; another
 * machine within 24 hours of the kept one's last request is refused (409 duplicate_instance,
 * nothing recorded), marks the registration duplicate and is announced once; after a day's
 * silence of the kept machine the new one takes over. Requests without the header are never
 * refused for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { useWebhookReceiver } from './helpers/receivers.ts';
import { upload, usageReport } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const t = useTestApp();
let session: SignedIn;
let api: TestClient;
let adminEmail: string;
const receiver = useWebhookReceiver();
beforeAll(async () => {
  let admin;
  ({ session, admin } = await createSignedInAdmin(t.app, t.db));
  adminEmail = admin.email;
  await addWebhookChannel(t.client, session, receiver.url, ['server.duplicate_detected']);
});
/** A session of its own each time: the tests move the clock by days, past a session's life. */
async function signedIn() {
  session = await signIn(t.app, adminEmail);
  api = createClient(t.app, { prefix: '/api/console', as: session });
}

const HOUR = 3600_000;
const MACHINE_A = 'a'.repeat(64);
const MACHINE_B = 'machine-b:0123456789.abc_DEF';
const heartbeat = (credential: string, fingerprint?: string) =>
  t.app.inject({
    method: 'GET',
    url: '/api/product/v1/registration',
    headers: {
      authorization: `Bearer ${credential}`,
      ...(fingerprint !== undefined && { 'x-machine-fingerprint': fingerprint }),
    },
  });
/** The duplicate events a real webhook receiver got for the registration (delivered first). */
async function announced(registrationId: string) {
  while ((await t.app.services.notifications.deliverDue()) > 0);
  return receiver.received
    .map(
      (r) =>
        JSON.parse(r.body) as { type: string; data: { server: { registrationId: string }; requestedFrom: string } },
    )
    .filter((b) => b.type === 'server.duplicate_detected' && b.data.server.registrationId === registrationId);
}
const audited = (registrationId: string) =>
  t.db.auditEvent.findMany({ where: { targetId: registrationId, action: 'registration.duplicate_detected' } });
async function listed(registrationId: string) {
  await signedIn();
  const items = (await api.get('/registrations', { query: { limit: 200 } })).json.items as {
    id: string;
    duplicate: boolean;
  }[];
  return items.find((r) => r.id === registrationId);
}

describe('Clone detection', () => {
  it('refuses a second machine within 24 hours, records nothing for it, marks and announces once', async () => {
    await signedIn();
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    expect((await heartbeat(product.credential, MACHINE_A)).statusCode).toBe(200);
    const before = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    t.clock.advance(HOUR);

    const refused = await heartbeat(product.credential, MACHINE_B);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'duplicate_instance' });
    expect(refused.json().message).toContain('license-server register --reset');
    // No contact, no usage, no removal from the copy.
    const copyUpload = await upload(t.app, product.bearer, usageReport(t.clock.now()), {
      headers: { 'x-machine-fingerprint': MACHINE_B },
    });
    expect(copyUpload.statusCode).toBe(409);
    const copyRemoval = await t.app.inject({
      method: 'DELETE',
      url: '/api/product/v1/registration',
      headers: { authorization: `Bearer ${product.credential}`, 'x-machine-fingerprint': MACHINE_B },
    });
    expect(copyRemoval.statusCode).toBe(409);
    const after = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    expect(after.lastContactAt).toEqual(before.lastContactAt);
    expect(after.removedAt).toBeNull();
    expect(after.machineFingerprint).toBe(MACHINE_A);
    expect(await t.db.usageReport.count({ where: { registrationId: product.registrationId } })).toBe(0);

    // Marked, announced and audited once for three refusals.
    expect(await listed(product.registrationId)).toMatchObject({ duplicate: true });
    expect((await announced(product.registrationId)).map((e) => e.data.requestedFrom)).toEqual(['127.0.0.1']);
    expect(await audited(product.registrationId)).toEqual([
      expect.objectContaining({ actorType: 'product', details: { requestedFrom: '127.0.0.1' } }),
    ]);

    // The kept machine goes on working, and so does a request without the header.
    expect((await heartbeat(product.credential, MACHINE_A)).statusCode).toBe(200);
    expect((await heartbeat(product.credential)).statusCode).toBe(200);
    expect(
      (
        await upload(t.app, product.bearer, usageReport(t.clock.now()), {
          headers: { 'x-machine-fingerprint': MACHINE_A },
        })
      ).statusCode,
    ).toBe(202);

    // 24 hours after the last refusal the mark is gone.
    t.clock.advance(24 * HOUR);
    expect(await listed(product.registrationId)).toMatchObject({ duplicate: false });
  });

  it('lets a new machine take over after the kept one was silent for a day, and not before', async () => {
    await signedIn();
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    expect((await heartbeat(product.credential, MACHINE_A)).statusCode).toBe(200);
    t.clock.advance(24 * HOUR - 1_000);
    expect((await heartbeat(product.credential, MACHINE_B)).statusCode).toBe(409);
    t.clock.advance(1_000);
    expect((await heartbeat(product.credential, MACHINE_B)).statusCode).toBe(200);
    // Now A is the copy.
    expect((await heartbeat(product.credential, MACHINE_A)).statusCode).toBe(409);
    const row = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    expect(row.machineFingerprint).toBe(MACHINE_B);
    // Still marked from B's refusal a second before: not announced again.
    expect(await announced(product.registrationId)).toHaveLength(1);
  });

  it('keeps exactly one of two machines that use a fresh registration at once', async () => {
    for (let round = 0; round < 3; round++) {
      await signedIn();
      const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
      const answers = await Promise.all([
        heartbeat(product.credential, MACHINE_A),
        heartbeat(product.credential, MACHINE_B),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    }
  });

  it('refuses a malformed fingerprint with 400 on every product request, before anything is recorded', async () => {
    await signedIn();
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    for (const bad of ['short', 'x'.repeat(129), 'has space in it 123', 'semi;colon-0123456789', '']) {
      expect((await heartbeat(product.credential, bad)).statusCode, bad).toBe(400);
      const uploaded = await upload(t.app, product.bearer, usageReport(t.clock.now()), {
        headers: { 'x-machine-fingerprint': bad },
      });
      expect(uploaded.statusCode, bad).toBe(400);
      expect(uploaded.json().error).toBe('invalid_request');
    }
    const row = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    expect(row.machineFingerprint).toBeNull();
    expect(row.lastContactAt).toBeNull();
  });
});
