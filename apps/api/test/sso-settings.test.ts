import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, useTestApp } from './helpers/app.ts';
import { createAdmin, createSignedInAdmin, signIn, type SignedIn } from './helpers/factories.ts';
import { startTestIdp, type TestIdp } from './helpers/oidc-provider.ts';
import { SSO_CALLBACK, uniqueDomain } from './helpers/sso.ts';

const t = useTestApp();
let idp: TestIdp;
let owner: SignedIn;
let customerId: string;
/** Serves a discovery document a test sets, to try documents an IdP should not send. */
let fake: http.Server;
let fakeUrl: string;
let fakeDocument: (issuer: string) => unknown = () => ({});

beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}` });
  const created = await createSignedInAdmin(t.app, t.db);
  owner = created.session;
  customerId = created.admin.customerId;
  fake = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(fakeDocument(fakeUrl)));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  fake?.closeAllConnections();
  fake?.close();
  await idp?.close();
});

const put = (body: unknown, as: SignedIn = owner) => t.client.put('/api/console/settings/sso', body, { as });
const valid = (overrides: Record<string, unknown> = {}) => ({
  issuer: idp.issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  emailDomains: [uniqueDomain()],
  ...overrides,
});

describe('GET /settings/sso', () => {
  it('answers the defaults while unset, with the redirect URI to register', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const response = await t.client.get('/api/console/settings/sso', { as: session });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      issuer: null,
      clientId: null,
      clientSecretSet: false,
      emailDomains: [],
      groupsClaim: 'groups',
      fullAdminGroups: [],
      readOnlyGroups: [],
      justInTime: false,
      enforced: false,
      redirectUri: 'http://localhost:8080/api/console/sso/callback',
      testedAt: null,
    });
  });
});

describe('PUT /settings/sso', () => {
  it('saves after discovery, lower-cases domains, never returns or audits the secret, keeps it when left out', async () => {
    const domain = uniqueDomain();
    const response = await put(valid({ emailDomains: [domain.toUpperCase()], readOnlyGroups: ['Readers'] }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ issuer: idp.issuer, clientSecretSet: true, emailDomains: [domain] });
    expect(response.body).not.toContain(idp.clientSecret);
    const stored = await t.db.ssoSettings.findUnique({ where: { customerId } });
    expect(stored!.clientSecretSealed).not.toContain(idp.clientSecret);
    const again = await put({ issuer: idp.issuer, clientId: idp.clientId, emailDomains: [domain], justInTime: false });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ clientSecretSet: true, readOnlyGroups: [] });
    const events = await t.db.auditEvent.findMany({ where: { customerId, action: 'sso.settings_changed' } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(events)).not.toContain(idp.clientSecret);
    expect(events.map((e) => (e.details as { clientSecretChanged: boolean }).clientSecretChanged)).toContain(true);
  });

  it('refuses what the contract refuses (400 invalid_request)', async () => {
    const bad: Record<string, unknown>[] = [
      { issuer: 'not a url' },
      { issuer: '/relative/path' },
      { issuer: 'ftp://idp.example.com' },
      { issuer: 'https://idp.example.com/?tenant=1' },
      { issuer: 'https://idp.example.com/#x' },
      { issuer: `https://idp.example.com/${'a'.repeat(2100)}` },
      { issuer: 'javascript:alert(1)' },
      { clientId: '' },
      { clientId: 'c'.repeat(256) },
      { clientSecret: '' },
      { clientSecret: 's'.repeat(1025) },
      { emailDomains: [] },
      { emailDomains: Array.from({ length: 21 }, (_, i) => `d${i}.example.com`) },
      { emailDomains: ['a.example.com', 'A.EXAMPLE.COM'] },
      { emailDomains: ['localhost'] },
      { emailDomains: ['exa mple.com'] },
      { emailDomains: ['-bad.example.com'] },
      { emailDomains: ['example.com\u0000'] },
      { groupsClaim: '' },
      { groupsClaim: 'g'.repeat(101) },
      { fullAdminGroups: Array.from({ length: 51 }, (_, i) => `g${i}`) },
      { readOnlyGroups: ['r'.repeat(257)] },
      { readOnlyGroups: [''] },
      { fullAdminGroups: ['\ud800'] },
      { justInTime: true },
      { enforced: 'yes' },
      { unknownField: 1 },
    ];
    for (const overrides of bad) {
      const response = await put(valid(overrides));
      expect(response.status, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
  });

  it('takes an oversized body of 50 long groups in each list, and refuses a larger one', async () => {
    const groups = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}-${'x'.repeat(240)}`);
    const ok = await put(valid({ fullAdminGroups: groups('f'), readOnlyGroups: groups('r') }));
    expect(ok.status).toBe(200);
    const huge = await put(valid({ fullAdminGroups: [...groups('f'), ...groups('g'), ...groups('h')] }));
    expect([400, 413]).toContain(huge.status);
  });

  it('needs a secret the first time', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const { clientSecret: _, ...withoutSecret } = valid();
    const response = await put(withoutSecret, session);
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
  });

  it('409 email_domain_taken for a domain another customer has', async () => {
    const domain = uniqueDomain();
    expect((await put(valid({ emailDomains: [domain] }))).status).toBe(200);
    const { session } = await createSignedInAdmin(t.app, t.db);
    const response = await put(valid({ emailDomains: [`other-${domain}`, domain] }), session);
    expect(response.status).toBe(409);
    expect(response.json.error).toBe('email_domain_taken');
  });

  it('409 sso_not_tested: enforcing needs a successful sign-in since the issuer or client changed', async () => {
    const response = await put(valid({ enforced: true }));
    expect(response.status).toBe(409);
    expect(response.json.error).toBe('sso_not_tested');
  });

  it('400 sso_discovery_failed, saying what failed', async () => {
    const cases: [Record<string, unknown>, (issuer: string) => unknown, RegExp][] = [
      [{ issuer: 'http://127.0.0.1:9' }, () => ({}), /could not be used/],
      [{ issuer: `${idp.issuer}/` }, () => ({}), /not exactly the issuer given/],
      [{}, (issuer) => ({ issuer, token_endpoint: `${issuer}/t`, jwks_uri: `${issuer}/j` }), /authorization_endpoint/],
      [{}, (issuer) => ({ issuer, authorization_endpoint: `${issuer}/a`, jwks_uri: `${issuer}/j` }), /token_endpoint/],
      [{}, (issuer) => ({ issuer, authorization_endpoint: `${issuer}/a`, token_endpoint: `${issuer}/t` }), /jwks_uri/],
      [
        {},
        (issuer) => ({
          issuer,
          authorization_endpoint: `${issuer}/a`,
          token_endpoint: `${issuer}/t`,
          jwks_uri: `${issuer}/j`,
          code_challenge_methods_supported: ['plain'],
        }),
        /S256/,
      ],
      [{}, () => 'not an object', /could not be used/],
    ];
    for (const [overrides, document, message] of cases) {
      fakeDocument = document;
      const response = await put(valid({ issuer: fakeUrl, ...overrides }));
      expect(response.status, String(message)).toBe(400);
      expect(response.json.error).toBe('sso_discovery_failed');
      expect(response.json.message).toMatch(message);
    }
  });

  it('read-only admins may read but not change (403); signed-out callers and a change without the CSRF token are refused', async () => {
    const reader = await createAdmin(t.db, customerId);
    await t.db.admin.update({ where: { id: reader.id }, data: { role: 'read-only' } });
    const session = await signIn(t.app, reader.email);
    expect((await t.client.get('/api/console/settings/sso', { as: session })).status).toBe(200);
    expect((await put(valid(), session)).status).toBe(403);
    expect((await t.client.delete('/api/console/settings/sso', undefined, { as: session })).status).toBe(403);
    expect((await t.client.get('/api/console/settings/sso')).status).toBe(401);
    const noCsrf = await t.client.put('/api/console/settings/sso', valid(), { headers: { cookie: owner.cookie } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.error).toBe('csrf_failed');
  });
});

describe('the private-address rule (WEBHOOK_ALLOW_PRIVATE off)', () => {
  it('refuses loopback, private and metadata issuers before any request', async () => {
    const strict = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: false });
    try {
      const { session } = await createSignedInAdmin(strict.app, strict.db);
      for (const issuer of [
        idp.issuer,
        'http://localhost:8080',
        'http://169.254.169.254/latest',
        'http://10.0.0.1',
        'http://[::1]:8080',
        'http://0x7f000001',
      ]) {
        const response = await strict.client.put(
          '/api/console/settings/sso',
          { issuer, clientId: 'c', clientSecret: 's', emailDomains: [uniqueDomain()] },
          { as: session },
        );
        expect(response.status, issuer).toBe(400);
        expect(response.json.error).toBe('sso_discovery_failed');
        expect(response.json.message).toMatch(/private address/);
      }
    } finally {
      await strict.app.close();
    }
  });

  it('refuses an http issuer while the console is served over https', async () => {
    const secure = await createTestApp({ PUBLIC_URL: 'https://console.example.com' });
    try {
      const { session } = await createSignedInAdmin(secure.app, secure.db);
      const response = await secure.client.put(
        '/api/console/settings/sso',
        { issuer: idp.issuer, clientId: 'c', clientSecret: 's', emailDomains: [uniqueDomain()] },
        { as: session, headers: { origin: 'https://console.example.com' } },
      );
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    } finally {
      await secure.app.close();
    }
  });
});

describe('DELETE /settings/sso', () => {
  it('turns single sign-on off and frees its domains', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const domain = uniqueDomain();
    expect((await put(valid({ emailDomains: [domain] }), session)).status).toBe(200);
    const deleted = await t.client.delete('/api/console/settings/sso', undefined, { as: session });
    expect(deleted.status).toBe(204);
    expect((await t.client.get('/api/console/settings/sso', { as: session })).json.issuer).toBeNull();
    expect((await put(valid({ emailDomains: [domain] }))).status).toBe(200);
    const events = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: 'sso.settings_changed' },
    });
    expect(events.map((e) => e.details)).toContainEqual(
      expect.objectContaining({ new: null, clientSecretChanged: false }),
    );
  });
});
