import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, useTestApp } from './helpers/app.ts';
import { createClient as clientOf } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

async function createClient(name = 'Retirement script', s: SignedIn = session) {
  const response = await t.client.post('/api/console/api-clients', { name }, { as: s });
  expect(response.status).toBe(201);
  return response.json as { client: { id: string; name: string }; clientId: string; clientSecret: string };
}

async function tokenFor(clientId: string, clientSecret: string, remoteAddress = '127.0.0.1', app = t.app) {
  const response = await clientOf(app).post(
    '/api/v1/token',
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }).toString(),
    { headers: { 'content-type': 'application/x-www-form-urlencoded' }, remoteAddress: remoteAddress },
  );
  return response;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API clients', () => {
  it('shows the secret once, lists the client without it, and stores only a hash', async () => {
    const created = await createClient('Shown once');
    expect(created.clientSecret).toMatch(/^[\w-]{43}$/);
    const list = await t.client.get('/api/console/api-clients', { as: session });
    expect(list.json.items).toContainEqual(
      expect.objectContaining({ id: created.clientId, name: 'Shown once', createdBy: session.admin.email }),
    );
    expect(list.body).not.toContain(created.clientSecret);
    const stored = await t.db.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM api_clients WHERE secret_hash = $1`,
      created.clientSecret,
    );
    expect(stored).toHaveLength(0);
  });

  it('exchanges id and secret for a short-lived token, form-encoded or JSON', async () => {
    const { clientId, clientSecret } = await createClient();
    const form = await tokenFor(clientId, clientSecret);
    expect(form.status).toBe(200);
    expect(form.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String) });
    expect(form.headers['cache-control']).toBe('no-store');
    const json = await t.client.post('/api/v1/token', {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(json.status).toBe(200);
    const wrong = await tokenFor(clientId, 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    expect((await tokenFor('not-a-uuid', 'x')).json.error).toBe('invalid_client');
    const token = form.json.access_token as string;
    expect((await t.client.get('/api/console/registrations', { headers: bearer(token) })).status).toBe(200);
    t.clock.advance(15 * 60_000);
    const expired = await t.client.get('/api/console/registrations', { headers: bearer(token) });
    expect(expired.status).toBe(401);
    expect(expired.json.error).toBe('invalid_token');
  });

  it("lists and removes registrations, reads and deletes usage, audited under the client's name", async () => {
    const product = await registerProduct(t.app, session, { serverName: 'Retired by script' }, () =>
      t.clock.advance(5_000),
    );
    await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 3 }));
    const { clientId, clientSecret } = await createClient('Cleanup bot');
    const token = (await tokenFor(clientId, clientSecret)).json.access_token as string;
    const list = await t.client.get('/api/console/registrations?query=Retired by script', { headers: bearer(token) });
    expect(list.json.items).toHaveLength(1);
    const servers = await t.client.get('/api/console/license-servers?query=Retired by script', {
      headers: bearer(token),
    });
    const serverId = servers.json.items[0].id as string;
    expect(
      (await t.client.get(`/api/console/license-servers/${serverId}/usage`, { headers: bearer(token) })).json.series,
    ).toHaveLength(1);
    expect(
      (
        await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, {
          headers: bearer(token),
        })
      ).status,
    ).toBe(204);
    const noAck = await t.client.delete(
      `/api/console/license-servers/${serverId}/usage`,
      {},
      { headers: bearer(token) },
    );
    expect(noAck.json.error).toBe('acknowledgement_required');
    const deleted = await t.client.delete(
      `/api/console/license-servers/${serverId}/usage`,
      { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
      { headers: bearer(token) },
    );
    expect(deleted.json).toEqual({ deletedRecords: 3 });
    const audit = (await t.client.get('/api/console/audit-events', { as: session })).json.items;
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'api_client.created',
        actor: expect.objectContaining({ type: 'admin' }),
        target: { type: 'api_client', id: clientId, label: 'Cleanup bot' },
      }),
    );
    const byClient = audit.filter((e: { actor: { type: string } }) => e.actor.type === 'api-client');
    // Each token it got is recorded, with where it was asked from.
    const issued = byClient.filter((e: { action: string }) => e.action === 'api_client.token_issued');
    expect(issued.length).toBeGreaterThan(0);
    expect(issued[0]).toMatchObject({
      target: { type: 'api_client', id: clientId, label: 'Cleanup bot' },
      details: { sourceAddress: '127.0.0.1' },
    });
    const changes = byClient.filter((e: { action: string }) => e.action !== 'api_client.token_issued');
    expect(changes.map((e: { action: string }) => e.action).sort()).toEqual(['registration.removed', 'usage.deleted']);
    expect(byClient[0].actor).toEqual({ type: 'api-client', id: clientId, label: 'Cleanup bot' });
  });

  it('may not register, sign in as an admin, read the audit log or manage clients', async () => {
    const { clientId, clientSecret } = await createClient();
    const token = (await tokenFor(clientId, clientSecret)).json.access_token as string;
    for (const [method, url, payload] of [
      ['POST', '/api/console/registrations', { code: 'ABCDEFGH' }],
      ['POST', '/api/console/registrations/preview', { code: 'ABCDEFGH' }],
      ['GET', '/api/console/audit-events', undefined],
      ['GET', '/api/console/api-clients', undefined],
      ['POST', '/api/console/api-clients', { name: 'more' }],
    ] as const) {
      const response = await t.client.send(method, url, payload ? payload : undefined, { headers: bearer(token) });
      expect(response.status, url).toBe(403);
      expect(response.json.error).toBe('access_denied');
    }
  });

  it("sees only its own customer: another customer's ids answer 404", async () => {
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const stranger = (await createSignedInAdmin(t.app, t.db)).session;
    const { clientId, clientSecret } = await createClient('Stranger bot', stranger);
    const token = (await tokenFor(clientId, clientSecret)).json.access_token as string;
    const serverId = (await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } }))
      .licenseServerId;
    expect(
      (
        await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, {
          headers: bearer(token),
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.client.get(`/api/console/license-servers/${serverId}/usage`, { headers: bearer(token) })).status,
    ).toBe(404);
    expect((await t.client.get('/api/console/registrations', { headers: bearer(token) })).json.items).toEqual([]);
    const otherDelete = await t.client.delete(`/api/console/api-clients/${clientId}`, undefined, { as: session });
    expect(otherDelete.status).toBe(404);
  });

  it('ends the tokens of a deleted client at once', async () => {
    const { clientId, clientSecret } = await createClient('Short-lived');
    const token = (await tokenFor(clientId, clientSecret)).json.access_token as string;
    expect((await t.client.delete(`/api/console/api-clients/${clientId}`, undefined, { as: session })).status).toBe(
      204,
    );
    const refused = await t.client.get('/api/console/registrations', { headers: bearer(token) });
    expect(refused.status).toBe(401);
    expect((await tokenFor(clientId, clientSecret)).status).toBe(401);
  });

  it('validates names and limits failed token requests', async () => {
    for (const name of ['', ' ', 'x'.repeat(101), 'a\u0000b']) {
      const response = await t.client.post('/api/console/api-clients', { name }, { as: session });
      expect(response.status).toBe(400);
    }
  });

  it('limits failed token requests per source address only: nobody can lock a client out by its id', async () => {
    const limited = await createTestApp({ LIMIT_SIGNIN_FAILURES_PER_ADDRESS: 5 });
    try {
      const { clientId, clientSecret } = await createClient('Not locked out');
      // Wrong secrets for this id from many addresses: the client's own script still gets tokens.
      for (let i = 1; i <= 12; i++) {
        expect((await tokenFor(clientId, 'wrong', `192.0.2.${i}`, limited.app)).status).toBe(401);
      }
      expect((await tokenFor(clientId, clientSecret, '198.51.100.10', limited.app)).status).toBe(200);
      // One address with five failures is refused, even with the right secret; others are not.
      for (let i = 0; i < 4; i++) await tokenFor(clientId, 'wrong', '192.0.2.1', limited.app);
      const refused = await tokenFor(clientId, clientSecret, '192.0.2.1', limited.app);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBeTruthy();
      expect((await tokenFor(clientId, clientSecret, '192.0.2.2', limited.app)).status).toBe(200);
    } finally {
      await limited.app.close();
    }
  });

  it('belongs to the admin who made it: remove-admin deletes it, and its token stops at once', async () => {
    const { admin, session: maker } = await createSignedInAdmin(t.app, t.db);
    const { session: colleague } = await createSignedInAdmin(t.app, t.db, admin.customerId);
    const theirs = await createClient("The removed admin's script", maker);
    const kept = await createClient("A colleague's script", colleague);
    const token = (await tokenFor(theirs.clientId, theirs.clientSecret)).json.access_token as string;
    const keptToken = (await tokenFor(kept.clientId, kept.clientSecret)).json.access_token as string;
    const listWith = (bearerToken: string) =>
      t.client.get('/api/console/registrations', { headers: bearer(bearerToken) });
    expect((await listWith(token)).status).toBe(200);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/api/src/admin-cli.ts', 'remove-admin', '--email', admin.email],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'development' }, timeout: 60_000 },
    );
    expect(stdout).toContain('deleted their 1 API client(s)');

    const refused = await listWith(token);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('invalid_token');
    const again = await tokenFor(theirs.clientId, theirs.clientSecret);
    expect(again.status).toBe(401);
    expect(again.json.error).toBe('invalid_client');
    expect(await t.db.apiClientToken.count({ where: { clientId: theirs.clientId } })).toBe(0);
    // The colleague's client and token are untouched.
    expect((await listWith(keptToken)).status).toBe(200);
  }, 90_000);
});
