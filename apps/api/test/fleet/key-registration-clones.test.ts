/**
 * Clone detection on registration by key: the machine a key registration comes from is the one
 * the registration is kept on, and a key registration of an instanceId whose working
 * registration keeps another machine, seen within the last 24 hours, is refused (409
 * duplicate_instance, no use counted, nothing replaced, that registration marked duplicate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, signIn, type SignedIn } from '../helpers/factories.ts';
import { createKey } from './fleet-helpers.ts';

const t = useTestApp();
let full: SignedIn;
let email: string;
beforeAll(async () => {
  let admin;
  ({ session: full, admin } = await createSignedInAdmin(t.app, t.db));
  email = admin.email;
});

const HOUR = 3600_000;
const ORIGINAL = 'original-machine-0123456789abcdef';
const COPY = 'copy-machine:0123456789.ABC_def';
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

/** A key registration sent from a machine (or from none, without the header). */
const fromMachine = (secret: string, request: Record<string, unknown>, fingerprint?: string) =>
  t.client.post(
    '/api/product/v1/registrations',
    { ...request, registrationKey: secret },
    {
      remoteAddress: address(),
      ...(fingerprint !== undefined && { headers: { 'x-machine-fingerprint': fingerprint } }),
    },
  );
const heartbeat = (credential: string, fingerprint: string) =>
  t.client.get('/api/product/v1/registration', {
    as: { credential },
    headers: { 'x-machine-fingerprint': fingerprint },
  });
/** A session of its own each time: some tests move the clock by a day, past a session's life. */
async function console() {
  full = await signIn(t.app, email);
  return full;
}
const usesOf = async (id: string) =>
  (
    (await t.client.get('/api/console/registration-keys', { as: await console(), query: { limit: 200 } })).json
      .items as { id: string; uses: number }[]
  ).find((k) => k.id === id)!.uses;
const listed = async () =>
  (await t.client.get('/api/console/registrations', { as: await console(), query: { limit: 200 } })).json.items as {
    id: string;
    instanceId: string;
    status: string;
    duplicate: boolean;
  }[];
const markings = (registrationId: string) =>
  t.db.auditEvent.count({ where: { targetId: registrationId, action: 'registration.duplicate_detected' } });

/** A server registered by an automatic key from the original machine. */
async function original() {
  const { key, secret } = await createKey(t, await console(), { maxUses: 20 });
  const request = codeRequest();
  const registered = await fromMachine(secret, request, ORIGINAL);
  expect(registered.status, registered.body).toBe(201);
  return {
    key,
    secret,
    request,
    registrationId: registered.json.registrationId as string,
    credential: registered.json.credential as string,
  };
}

describe('POST /api/product/v1/registrations from a copy of a registered server', () => {
  it('keeps the machine a key registration came from: its credential from another machine is refused', async () => {
    const server = await original();
    expect((await heartbeat(server.credential, ORIGINAL)).status).toBe(200);
    const copy = await heartbeat(server.credential, COPY);
    expect(copy.status).toBe(409);
    expect(copy.json.error).toBe('duplicate_instance');
  });

  it('refuses a key registration of the instanceId from another machine: 409, no use, nothing replaced, marked once', async () => {
    const server = await original();
    t.clock.advance(HOUR);
    for (const approval of ['automatic', 'manual'] as const) {
      const { key, secret } = await createKey(t, await console(), { approval });
      const refused = await fromMachine(secret, server.request, COPY);
      expect(refused.status).toBe(409);
      expect(refused.json.error).toBe('duplicate_instance');
      expect(refused.json.message).toContain('license-server register --reset');
      expect(await usesOf(key.id)).toBe(0);
    }
    const rows = (await listed()).filter((r) => r.instanceId === server.request.instanceId);
    // The original stays the one registration of the server (no pending request either), marked duplicate.
    expect(rows).toEqual([expect.objectContaining({ id: server.registrationId, duplicate: true })]);
    expect(await markings(server.registrationId)).toBe(1);
    expect((await heartbeat(server.credential, ORIGINAL)).status).toBe(200);
    expect(await usesOf(server.key.id)).toBe(1);
  });

  it('lets the same machine register again (replacing), and a request without the header is never refused for it', async () => {
    const server = await original();
    const again = await fromMachine(server.secret, server.request, ORIGINAL);
    expect(again.status).toBe(201);
    expect((await heartbeat(server.credential, ORIGINAL)).status).toBe(401);
    const silent = await fromMachine(server.secret, server.request);
    expect(silent.status).toBe(201);
    expect(await usesOf(server.key.id)).toBe(3);
    expect(await markings(server.registrationId)).toBe(0);
  });

  it('lets another machine register the instanceId once the kept one was silent for 24 hours; it is then kept', async () => {
    const server = await original();
    t.clock.advance(24 * HOUR + 1_000);
    const moved = await fromMachine(server.secret, server.request, COPY);
    expect(moved.status).toBe(201);
    expect((await heartbeat(moved.json.credential as string, COPY)).status).toBe(200);
    expect((await heartbeat(moved.json.credential as string, ORIGINAL)).status).toBe(409);
  });

  it('answers a malformed fingerprint 400 before the key is looked at, a bad key 401 before the copy check', async () => {
    const server = await original();
    for (const bad of ['short', 'x'.repeat(129), 'spaces are not allowed here', 'semi;colon-0123456789']) {
      const refused = await fromMachine(server.secret, server.request, bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.json.error).toBe('invalid_request');
    }
    expect(await usesOf(server.key.id)).toBe(1);
    const badKey = await fromMachine('lsreg_unknown', server.request, COPY);
    expect(badKey.status).toBe(401);
    expect(await markings(server.registrationId)).toBe(0);
  });
});
