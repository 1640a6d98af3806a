import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp, type TestApp, useTestApp } from '../helpers/app.ts';
import { createAdmin, createSignedInAdmin, TEST_PASSWORD } from '../helpers/factories.ts';
import { expectCleanError } from './support.ts';
import { createClient } from '../helpers/client.ts';

/**
 * The Origin check on the route matched (not the raw URL), no cache keeping what carries a
 * CSRF token or a new secret, the `__Host-` session cookie over https, and no live code or
 * secret in the request log.
 */
const t = useTestApp();

const signInAt = (app: TestApp['app'], email: string, url = '/api/console/session', origin?: string) =>
  createClient(app).post(url, { email, password: TEST_PASSWORD }, { headers: origin ? { origin } : {} });

describe('the Origin check', () => {
  it('refuses a foreign Origin on a percent-encoded path to a console route', async () => {
    const admin = await createAdmin(t.db);
    // The encoded path reaches the sign-in route…
    expect((await signInAt(t.app, admin.email, '/api/%63onsole/session')).status).toBe(200);
    // …so from another site it is refused like the plain one, and no session is made.
    for (const url of ['/api/%63onsole/session', '/api/console/sessio%6E', '/api/console/session']) {
      const refused = await signInAt(t.app, admin.email, url, 'https://evil.example');
      expect(refused.status, url).toBe(403);
      expect(expectCleanError(refused).error).toBe('csrf_failed');
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
  });
});

describe('Cache-Control', () => {
  it('is no-store on the session (it carries the CSRF token) and on the answer showing a new client secret', async () => {
    const admin = await createAdmin(t.db);
    const signedIn = await signInAt(t.app, admin.email);
    expect(signedIn.headers['cache-control']).toBe('no-store');
    const cookie = signedIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie, 'x-csrf-token': signedIn.json.csrfToken as string };
    const session = await t.client.get('/api/console/session', { headers });
    expect(session.status).toBe(200);
    expect(session.headers['cache-control']).toBe('no-store');
    const created = await t.client.post('/api/console/api-clients', { name: 'Cached?' }, { headers });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
  });
});

describe('the session cookie', () => {
  it('is __Host- prefixed (Secure, path /, no Domain) when PUBLIC_URL is https, and plain on http', async () => {
    const https = await buildTestApp({
      config: testConfig({ PUBLIC_URL: 'https://console.example.com' }),
      db: t.db,
      clock: new ManualClock(new Date()),
    });
    try {
      const admin = await createAdmin(t.db);
      const signedIn = await signInAt(https, admin.email);
      expect(signedIn.status).toBe(200);
      const [cookie] = signedIn.cookies;
      expect(cookie).toMatchObject({ name: '__Host-session', secure: true, path: '/', httpOnly: true });
      expect(cookie!.domain).toBeUndefined();
      const as = (name: string) =>
        createClient(https).get('/api/console/session', { headers: { cookie: `${name}=${cookie!.value}` } });
      expect((await as('__Host-session')).status).toBe(200);
      // The unprefixed name (which a sibling subdomain could set) is not read.
      expect((await as('session')).status).toBe(401);
    } finally {
      await https.close();
    }
    const { session } = await createSignedInAdmin(t.app, t.db);
    expect(session.cookie).toMatch(/^session=/);
  });
});

describe('the request log', () => {
  it('never holds a code, poll token, token or secret from a URL', async () => {
    const lines: string[] = [];
    const app = await buildTestApp({
      config: testConfig({ PUBLIC_URL: 'http://localhost:8080', LOG_LEVEL: 'info' }),
      db: t.db,
      clock: new ManualClock(new Date()),
      logStream: { write: (line) => void lines.push(line) },
    });
    try {
      const secrets = ['ABCD2345', 'pollTokenValue1', 'accessTokenValue2', 'clientSecretValue3', 'csrfValue4'];
      await createClient(app).get(`/iam/api-access/product-registrations?code=${secrets[0]}&view=full`);
      await createClient(app).post(`/api/product/v1/codes/poll?pollToken=${secrets[1]}`, {});
      await createClient(app).get(`/api/console/registrations?access_token=${secrets[2]}&limit=5`);
      await createClient(app).post(`/api/v1/token?client_secret=${secrets[3]}&CODE=x`, {});
      await createClient(app).get(`/api/console/session?csrf_token=${secrets[4]}`);
      // Headers that carry credentials are not logged at all.
      secrets.push('bearerValue5', 'cookieValue6');
      await createClient(app).get('/api/console/registrations', {
        headers: { authorization: `Bearer ${secrets[5]}`, cookie: `session=${secrets[6]}` },
      });
      const log = lines.join('');
      expect(log).toContain('incoming request');
      for (const secret of secrets) expect(log).not.toContain(secret);
      // The rest of the URL stays, for finding the request.
      expect(log).toContain('/iam/api-access/product-registrations?code=[REDACTED]&view=full');
      expect(log).toContain('/api/console/registrations?access_token=[REDACTED]&limit=5');
    } finally {
      await app.close();
    }
  });
});
