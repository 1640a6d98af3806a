import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, signIn, type SignedIn } from '../helpers/factories.ts';
import { auditOf, createKey, registerByKey } from './fleet-helpers.ts';

const t = useTestApp();
let full: SignedIn;
beforeAll(async () => {
  ({ session: full } = await createSignedInAdmin(t.app, t.db));
});

const keyOf = async (id: string) =>
  (await t.client.get('/api/console/registration-keys', { as: full, query: { limit: 200 } })).json.items.find(
    (k: { id: string }) => k.id === id,
  );
const listed = async (query: Record<string, string> = {}) =>
  (await t.client.get('/api/console/registrations', { as: full, query: { limit: 200, ...query } })).json.items as {
    id: string;
    status: string;
    tags: string[];
    registrationKey: { id: string; description: string } | null;
    registeredBy: { id: string | null; email: string };
  }[];
/** A fresh address per test, so refusals in one test never count in another. */
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe('POST /api/product/v1/registrations (automatic key)', () => {
  it('registers at once with the code flow body; the credential works; listed with the key, its tags and creator', async () => {
    const { key, secret } = await createKey(t, full, { description: 'Berlin wave', tags: ['eu', 'berlin'] });
    const request = codeRequest();
    const response = await registerByKey(t, secret, request, address());
    expect(response.status).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json;
    expect(Object.keys(body).sort()).toEqual(['credential', 'customer', 'registeredAt', 'registrationId', 'status']);
    expect(body).toMatchObject({ status: 'registered', customer: { id: full.customer.id, name: full.customer.name } });
    const bearer = { credential: body.credential as string };
    expect((await t.client.get('/api/product/v1/registration', { as: bearer })).status).toBe(200);
    const row = (await listed()).find((r) => r.id === body.registrationId)!;
    expect(row).toMatchObject({
      status: 'reporting',
      tags: ['eu', 'berlin'],
      registrationKey: { id: key.id, description: 'Berlin wave' },
      registeredBy: { id: full.admin.id, email: full.admin.email },
    });
    expect(await keyOf(key.id)).toMatchObject({ uses: 1, status: 'active' });
    expect((await keyOf(key.id)).lastUsedAt).not.toBeNull();
    const created = (await auditOf(t, full, 'registration.created')).find((e) => e.target.id === body.registrationId)!;
    expect(created.actor).toEqual({ type: 'product', id: body.registrationId, label: request.serverName });
    expect(created.details).toMatchObject({ via: 'registration-key', keyId: key.id, approval: 'automatic' });
    expect(JSON.stringify(created)).not.toContain(secret);
    expect((await t.client.delete('/api/product/v1/registration', undefined, { as: bearer })).status).toBe(204);
  });

  it("replaces the customer's registration of the same instanceId, as a code registration does", async () => {
    const { secret } = await createKey(t, full);
    const instanceId = crypto.randomUUID();
    const old = await registerProduct(t.app, full, { instanceId }, () => t.clock.advance(5_000));
    const response = await registerByKey(t, secret, { instanceId }, address());
    expect(response.status).toBe(201);
    const refused = await t.client.get('/api/product/v1/registration', { as: { credential: old.credential } });
    expect(refused.json.error).toBe('registration_removed');
    const removed = (await auditOf(t, full, 'registration.removed')).find((e) => e.target.id === old.registrationId);
    expect(removed!.details).toEqual({ reason: 'replaced' });
  });

  it('answers every bad key with the same 401, and counts no use for 400 or 422', async () => {
    const { key, secret } = await createKey(t, full, { maxUses: 1 });
    const expired = await createKey(t, full, { expiresInDays: 1 });
    const revoked = await createKey(t, full);
    await t.client.delete(`/api/console/registration-keys/${revoked.key.id}`, undefined, { as: full });
    expect((await registerByKey(t, secret, { usageSharing: false }, address())).status).toBe(422);
    expect((await registerByKey(t, secret, { productVersion: '1.0' }, address())).json.error).toBe(
      'unsupported_product_version',
    );
    expect((await registerByKey(t, secret, { extra: 1 }, address())).status).toBe(400);
    expect((await registerByKey(t, secret, { registrationKey: '' }, address())).status).toBe(400);
    expect((await registerByKey(t, secret, { registrationKey: 'x'.repeat(201) }, address())).status).toBe(400);
    expect((await keyOf(key.id)).uses).toBe(0);
    expect((await registerByKey(t, secret, {}, address())).status).toBe(201);
    t.clock.advance(24 * 3600_000 + 1);
    full = await signIn(t.app, full.admin.email);
    const answers: Awaited<ReturnType<typeof registerByKey>>[] = [];
    for (const bad of [
      secret, // used up
      expired.secret,
      revoked.secret,
      `lsreg_${'A'.repeat(43)}`, // unknown
      'not a key at all', // malformed
    ]) {
      answers.push(await registerByKey(t, bad, {}, address()));
    }
    const shape = (r: (typeof answers)[number]) => ({
      status: r.status,
      body: r.body,
      headers: Object.keys(r.headers)
        .filter((h) => !['date', 'x-request-id'].includes(h))
        .sort()
        .map((h) => `${h}: ${h === 'content-length' || h.startsWith('content-type') ? r.headers[h] : '*'}`),
    });
    expect(answers[0]!.status).toBe(401);
    expect(answers[0]!.json.error).toBe('invalid_registration_key');
    for (const answer of answers) expect(shape(answer)).toEqual(shape(answers[0]!));
    const big = await t.client.post(
      '/api/product/v1/registrations',
      { ...codeRequest(), registrationKey: secret, os: 'x'.repeat(9_000) },
      { remoteAddress: address() },
    );
    expect(big.status).toBe(413);
  });

  it('limits refused keys per address in the database: 429 with Retry-After for any key, others unaffected', async () => {
    const { secret } = await createKey(t, full, { maxUses: null });
    const from = '203.0.113.9';
    const refusals = await Promise.all(
      Array.from({ length: 25 }, () => registerByKey(t, `lsreg_${'B'.repeat(43)}`, {}, from)),
    );
    const statuses = refusals.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const good = await registerByKey(t, secret, {}, from);
    expect(good.status).toBe(429);
    expect(good.json.error).toBe('rate_limited');
    expect(Number(good.headers['retry-after'])).toBeGreaterThan(0);
    expect((await registerByKey(t, secret, {}, '203.0.113.10')).status).toBe(201);
    t.clock.advance(15 * 60_000 + 1_000);
    full = await signIn(t.app, full.admin.email);
    expect((await registerByKey(t, secret, {}, from)).status).toBe(201);
  });

  it('counts uses atomically: with 5 uses, exactly 5 of 15 concurrent requests succeed', async () => {
    const { key, secret } = await createKey(t, full, { maxUses: 5 });
    const answers = await Promise.all(Array.from({ length: 15 }, () => registerByKey(t, secret, {}, address())));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(10);
    expect(await keyOf(key.id)).toMatchObject({ uses: 5, status: 'exhausted' });
    const registered = (await listed()).filter((r) => r.registrationKey?.id === key.id);
    expect(registered).toHaveLength(5);
  });

  it('commits no registration with a key after its revocation answered', async () => {
    const { key, secret } = await createKey(t, full, { maxUses: null });
    const racing = Array.from({ length: 12 }, () => registerByKey(t, secret, {}, address()));
    const revoked = await t.client.delete(`/api/console/registration-keys/${key.id}`, undefined, { as: full });
    expect(revoked.status).toBe(204);
    const countAtRevocation = await t.db.registration.count({ where: { registrationKeyId: key.id } });
    const answers = await Promise.all(racing);
    const accepted = answers.filter((a) => a.status === 201).length;
    expect(answers.every((a) => a.status === 201 || a.status === 401)).toBe(true);
    expect(await t.db.registration.count({ where: { registrationKeyId: key.id } })).toBe(countAtRevocation);
    expect(accepted).toBe(countAtRevocation);
    expect((await keyOf(key.id)).uses).toBe(accepted);
    expect((await registerByKey(t, secret, {}, address())).status).toBe(401);
  });
});
