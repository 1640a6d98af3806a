import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import type { TestClient } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, requestCode, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();
let session: SignedIn;
let consoleApi: TestClient;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
  consoleApi = t.client.with({ prefix: '/api/console', as: session });
});

describe('preview, register and deny', () => {
  it('previews what the product sent without using the code, from any spelling of it', async () => {
    const { code } = await requestCode(t.app, {
      serverName: 'LS01',
      hostname: 'ls01.corp.example.com',
      os: 'Windows Server 2022',
    });
    const spelled = `${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`
      .replace(/0/g, 'o')
      .replace(/1/g, 'l');
    const preview = await consoleApi.post('/registrations/preview', { code: ` ${spelled} ` });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      product: 'license-server',
      productVersion: '11.17.2.0',
      serverName: 'LS01',
      hostname: 'ls01.corp.example.com',
      os: 'Windows Server 2022',
      requestedFrom: '127.0.0.1',
      instanceId: expect.any(String),
      requestedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect((await consoleApi.post('/registrations/preview', { code })).status).toBe(200);
  });

  it.each([
    ['too short', 'ABC'],
    ['a letter outside the alphabet', 'ABCDEFGU'],
    ['nine characters', 'ABCD-EFGH-J'],
  ])('answers 400 invalid_request for a code %s', async (_name, code) => {
    const response = await consoleApi.post('/registrations/preview', { code });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
  });

  it('answers 404 code_not_found, 410 expired_code and 409 code_already_used', async () => {
    expect((await consoleApi.post('/registrations/preview', { code: 'ZZZZ-ZZZZ' })).json.error).toBe('code_not_found');
    const expired = await requestCode(t.app);
    t.clock.advance(900_000);
    const answer = await consoleApi.post('/registrations', { code: expired.code });
    expect(answer.status).toBe(410);
    expect(answer.json.error).toBe('expired_code');
    const used = await requestCode(t.app);
    expect((await consoleApi.post('/registrations', { code: used.code })).status).toBe(201);
    for (const url of ['/registrations/preview', '/registrations', '/registrations/deny']) {
      const again = await consoleApi.post(url, { code: used.code });
      expect(again.status).toBe(409);
      expect(again.json.error).toBe('code_already_used');
    }
  });

  it('registers: 201 with the registration, listed, never contacted, audited with where the code came from', async () => {
    const { code } = await requestCode(t.app, { serverName: 'Audit me' });
    const response = await consoleApi.post('/registrations', { code });
    expect(response.status).toBe(201);
    const registration = response.json;
    expect(registration).toMatchObject({
      serverName: 'Audit me',
      product: 'license-server',
      status: 'never-contacted',
      lastContactAt: null,
      registeredBy: { id: session.admin.id, email: session.admin.email },
    });
    expect(registration).not.toHaveProperty('credentialHash');
    const events = (await consoleApi.get('/audit-events')).json;
    expect(events.items).toContainEqual(
      expect.objectContaining({
        action: 'registration.created',
        target: { type: 'registration', id: registration.id, label: 'Audit me' },
        details: expect.objectContaining({ codeRequestedFrom: '127.0.0.1', codeRequestedAt: expect.any(String) }),
      }),
    );
  });

  it('lets exactly one of 50 concurrent registers of one code win', async () => {
    const { code } = await requestCode(t.app);
    const answers = await Promise.all(Array.from({ length: 50 }, () => consoleApi.post('/registrations', { code })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.json.error === 'code_already_used')).toHaveLength(49);
  });

  it('gives one outcome when deny and register race', async () => {
    const { code, pollToken } = await requestCode(t.app);
    const [a, b] = await Promise.all([
      consoleApi.post('/registrations', { code }),
      consoleApi.post('/registrations/deny', { code }),
    ]);
    expect([a.status, b.status].sort()).toEqual(a.status === 201 ? [201, 409] : [204, 409]);
    t.clock.advance(5_000);
    const polled = await t.client.post('/api/product/v1/codes/poll', { pollToken });
    expect(polled.status).toBe(a.status === 201 ? 200 : 403);
  });

  it('replaces an active registration of the same server in the same customer, revoking its credential', async () => {
    const instanceId = crypto.randomUUID();
    const first = await registerProduct(t.app, session, { instanceId }, () => t.clock.advance(5_000));
    const second = await registerProduct(t.app, session, { instanceId }, () => t.clock.advance(5_000));
    const old = await t.client.get('/api/product/v1/registration', { headers: first.bearer });
    expect(old.status).toBe(401);
    expect(old.json.error).toBe('registration_removed');
    const current = await t.client.get('/api/product/v1/registration', { headers: second.bearer });
    expect(current.status).toBe(200);
    const ids = (await consoleApi.get('/registrations?limit=200')).json.items.map((r: { id: string }) => r.id);
    expect(ids).toContain(second.registrationId);
    expect(ids).not.toContain(first.registrationId);
    const servers = await t.db.licenseServer.findMany({ where: { instanceId } });
    expect(servers).toHaveLength(1);
  });

  it('keeps registrations of the same server in two customers apart', async () => {
    const other = await createSignedInAdmin(t.app, t.db);
    const instanceId = crypto.randomUUID();
    const mine = await registerProduct(t.app, session, { instanceId }, () => t.clock.advance(5_000));
    await registerProduct(t.app, other.session, { instanceId }, () => t.clock.advance(5_000));
    expect((await t.client.get('/api/product/v1/registration', { headers: mine.bearer })).status).toBe(200);
  });
});

describe('heartbeat', () => {
  it('confirms the registration, records contact and turns the status to reporting', async () => {
    const product = await registerProduct(t.app, session, { serverName: 'Heartbeat' }, () => t.clock.advance(5_000));
    const response = await t.client.get('/api/product/v1/registration', { headers: product.bearer });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      registrationId: product.registrationId,
      status: 'active',
      customer: session.customer,
      lastContactAt: t.clock.now().toISOString(),
    });
    const row = (await consoleApi.get('/registrations?query=Heartbeat')).json.items[0];
    expect(row).toMatchObject({ status: 'reporting', lastContactAt: t.clock.now().toISOString() });
  });

  it.each([
    ['no credential', {}],
    ['an unknown credential', { authorization: 'Bearer nope' }],
    ['another scheme', { authorization: 'Basic abc' }],
  ])('answers 401 invalid_credential for %s', async (_name, headers) => {
    const response = await t.client.get('/api/product/v1/registration', { headers });
    expect(response.status).toBe(401);
    expect(response.json.error).toBe('invalid_credential');
  });
});

describe('console isolation', () => {
  it("never shows another customer's registrations or codes", async () => {
    const other = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, { serverName: 'Mine only' }, () => t.clock.advance(5_000));
    expect((await consoleApi.get('/registrations?query=Mine only', { as: other.session })).json.items).toEqual([]);
    const removal = await consoleApi.delete(`/registrations/${product.registrationId}`, undefined, {
      as: other.session,
    });
    expect(removal.status).toBe(404);
    expect(removal.json.error).toBe('not_found');
  });
});
