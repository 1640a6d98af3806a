import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, requestCode, type SignedIn } from './helpers/factories.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const registered = (overrides = {}) => registerProduct(t.app, session, overrides, () => t.clock.advance(5_000));
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
const removeByAdmin = (id: string, s: SignedIn = session) =>
  t.client.delete(`/api/console/registrations/${id}`, undefined, { as: s });
const auditActions = async () =>
  (await t.client.get('/api/console/audit-events?limit=200', { as: session })).json.items as {
    action: string;
    actor: { type: string; label: string };
    target: { id: string };
    details: Record<string, unknown>;
  }[];

describe('remove registration', () => {
  it('by an admin, in any state: the credential stops at once, history stays, audited', async () => {
    const product = await registered({ serverName: 'Removed by admin' });
    await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 2 }));
    expect((await removeByAdmin(product.registrationId)).status).toBe(204);
    const refused = await heartbeat(product);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('registration_removed');
    const servers = (await t.client.get('/api/console/license-servers?query=Removed by admin', { as: session })).json;
    expect(servers.items[0]).toMatchObject({ registration: null, latest: expect.arrayContaining([expect.anything()]) });
    expect((await removeByAdmin(product.registrationId)).status).toBe(204);
    const removals = (await auditActions()).filter(
      (e) => e.action === 'registration.removed' && e.target.id === product.registrationId,
    );
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatchObject({
      actor: { type: 'admin', label: session.admin.email },
      details: { reason: 'admin' },
    });
  });

  it('works for a registration that never made contact', async () => {
    const code = await requestCode(t.app);
    const created = await t.client.post('/api/console/registrations', { code: code.code }, { as: session });
    expect((await removeByAdmin(created.json.id)).status).toBe(204);
    t.clock.advance(5_000);
    const polled = await t.client.post('/api/product/v1/codes/poll', { pollToken: code.pollToken });
    expect(polled.status).toBe(410);
    expect(polled.json.error).toBe('code_consumed');
  });

  it('by the product itself', async () => {
    const product = await registered({ serverName: 'Removed by itself' });
    const removed = await t.client.delete('/api/product/v1/registration', undefined, { as: product });
    expect(removed.status).toBe(204);
    expect((await heartbeat(product)).json.error).toBe('registration_removed');
    const again = await t.client.delete('/api/product/v1/registration', undefined, { as: product });
    expect(again.json.error).toBe('registration_removed');
    const removal = (await auditActions()).find(
      (e) => e.action === 'registration.removed' && e.target.id === product.registrationId,
    );
    expect(removal).toMatchObject({
      actor: { type: 'product', label: 'Removed by itself' },
      details: { reason: 'product' },
    });
  });

  it('lets the same server register again later', async () => {
    const instanceId = crypto.randomUUID();
    const first = await registered({ instanceId });
    await removeByAdmin(first.registrationId);
    const second = await registered({ instanceId });
    expect((await heartbeat(second)).status).toBe(200);
  });

  it("answers 404 for another customer's registration and for an id that is not a UUID", async () => {
    const product = await registered();
    const stranger = (await createSignedInAdmin(t.app, t.db)).session;
    const response = await removeByAdmin(product.registrationId, stranger);
    expect(response.status).toBe(404);
    expect(response.json.error).toBe('not_found');
    expect((await removeByAdmin('../../etc')).status).toBe(404);
    expect((await heartbeat(product)).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records sign-in, registration (with when and from where), denial, replacement, newest first with pages', async () => {
    const instanceId = crypto.randomUUID();
    await registered({ instanceId });
    await registered({ instanceId });
    const denied = await requestCode(t.app);
    await t.client.post('/api/console/registrations/deny', { code: denied.code }, { as: session });
    const events = await auditActions();
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'session.signed_in',
        'registration.created',
        'registration.denied',
        'registration.removed',
      ]),
    );
    expect(events.find((e) => e.action === 'registration.removed' && e.details.reason === 'replaced')).toBeTruthy();
    expect(events.find((e) => e.action === 'registration.created')?.details).toMatchObject({
      codeRequestedFrom: '127.0.0.1',
      codeRequestedAt: expect.any(String),
    });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; at: string }[]; nextCursor: string | null } = (
        await t.client.get(`/api/console/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { as: session })
      ).json;
      all.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toEqual(events.map((e) => (e as unknown as { id: string }).id));
  });
});
