import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { CONSOLE_DIST } from '../../src/app.ts';
import { testConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp, createTestApp, useTestApp } from '../helpers/app.ts';
import { testDatabase } from '../helpers/database.ts';
import {
  createAdmin,
  createSignedInAdmin,
  registerProduct,
  requestCode,
  signIn,
  TEST_PASSWORD,
} from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';
import { createClient } from '../helpers/client.ts';

// Real password hashing and many requests on a machine shared with other test files: room to finish.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

const t = useTestApp();

/** The app over this worker's database with a console build (index.html) and its own settings. */
async function appWithConsole(publicUrl: string, dist?: string): Promise<FastifyInstance> {
  if (!dist) {
    dist = await mkdtemp(path.join(tmpdir(), 'console-dist-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(
      path.join(dist, 'index.html'),
      '<!doctype html><title>Console</title><script type="module" src="/assets/index-1.js"></script>',
    );
    await writeFile(path.join(dist, 'assets', 'index-1.js'), 'console.log(1)');
  }
  const { db } = await testDatabase();
  return buildTestApp({
    config: testConfig({ PUBLIC_URL: publicUrl }),
    db,
    clock: new ManualClock(),
    consoleDist: dist,
  });
}

function parseCsp(header: unknown): Map<string, string[]> {
  expect(typeof header, 'a Content-Security-Policy header').toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('helmet and the content security policy', () => {
  it('serves console pages and API answers with a strict CSP and the protective headers (http)', async () => {
    const app = await appWithConsole('http://localhost:8080');
    try {
      for (const url of [
        '/',
        '/iam/api-access/product-registrations?code=ABCD1234',
        '/api/console/session',
        '/api/product/v1/no-such-route',
      ]) {
        const response = await createClient(app).get(url);
        const csp = parseCsp(response.headers['content-security-policy']);
        expect(csp.get('default-src'), url).toEqual(["'self'"]);
        expect(csp.get('script-src'), url).toEqual(["'self'"]);
        expect(csp.get('object-src'), url).toEqual(["'none'"]);
        expect(csp.get('base-uri'), url).toEqual(["'self'"]);
        expect(csp.get('form-action'), url).toEqual(["'self'"]);
        expect(["'self'", "'none'"]).toContain(csp.get('frame-ancestors')?.[0]);
        expect(csp.get('connect-src') ?? csp.get('default-src')).toEqual(["'self'"]);
        for (const values of csp.values())
          expect(
            values.filter((v) => /unsafe-eval|\*|^https?:$/.test(v)),
            url,
          ).toEqual([]);
        expect(csp.has('upgrade-insecure-requests')).toBe(false);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['referrer-policy']).toBe('no-referrer');
        expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(response.headers['x-powered-by']).toBeUndefined();
        // No HSTS over plain http (it would pin localhost to https).
        expect(response.headers['strict-transport-security']).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });

  it('answers the product API with the headers for a JSON API: nothing may render, frame or keep it', async () => {
    const app = await appWithConsole('http://localhost:8080');
    try {
      for (const request of [
        { method: 'GET', url: '/api/product/v1/registration' },
        { method: 'POST', url: '/api/product/v1/codes/poll', payload: { pollToken: 'x'.repeat(43) } },
      ]) {
        const response = await createClient(app).send(request.method, request.url, request.payload);
        expect(response.headers['content-type'], request.url).toMatch(/^application\/json/);
        const csp = parseCsp(response.headers['content-security-policy']);
        expect(csp.get('default-src'), request.url).toEqual(["'none'"]);
        expect(csp.get('frame-ancestors'), request.url).toEqual(["'none'"]);
        // Poll answers carry the credential: no cache, no proxy may keep one.
        expect(response.headers['cache-control'], request.url).toBe('no-store');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('DENY');
        expect(response.headers['referrer-policy']).toBe('no-referrer');
        expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(response.headers['x-powered-by']).toBeUndefined();
        expect(response.headers['strict-transport-security']).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });

  it('gives the API docs page (Swagger UI) a policy it works under: inline styles, scripts from itself only', async () => {
    for (const [publicUrl, https] of [
      ['http://localhost:8080', false],
      ['https://console.example.com', true],
    ] as const) {
      const app = await appWithConsole(publicUrl);
      try {
        for (const url of ['/api/docs', '/api/docs/static/index.html', '/api/docs/static/swagger-initializer.js']) {
          const response = await createClient(app).get(url);
          expect(response.status, url).toBeLessThan(400);
          const csp = parseCsp(response.headers['content-security-policy']);
          expect(csp.get('style-src'), url).toEqual(["'self'", "'unsafe-inline'"]);
          expect(csp.get('script-src'), url).toEqual(["'self'"]);
          expect(csp.get('default-src'), url).toEqual(["'self'"]);
          expect(csp.get('object-src'), url).toEqual(["'none'"]);
          expect(csp.has('upgrade-insecure-requests'), url).toBe(https);
        }
      } finally {
        await app.close();
      }
    }
  });

  it('adds HSTS and upgrade-insecure-requests when PUBLIC_URL is https', async () => {
    const app = await appWithConsole('https://console.example.com');
    try {
      for (const url of ['/', '/api/console/session', '/api/product/v1/registration']) {
        const response = await createClient(app).get(url);
        expect(
          Number(/max-age=(\d+)/.exec(String(response.headers['strict-transport-security']))?.[1]),
          url,
        ).toBeGreaterThanOrEqual(180 * 24 * 3600);
        if (!url.startsWith('/api/product/'))
          expect(parseCsp(response.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(true);
      }
    } finally {
      await app.close();
    }
  });

  // The console must work under that policy: no inline script, nothing from another origin.
  it.skipIf(!existsSync(path.join(CONSOLE_DIST, 'index.html')))(
    'serves the real console build with nothing the CSP would block',
    async () => {
      const app = await appWithConsole('http://localhost:8080', CONSOLE_DIST);
      try {
        const page = await createClient(app).get('/');
        expect(page.status).toBe(200);
        const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
        expect(scripts.length).toBeGreaterThan(0);
        for (const [, attributes, body] of scripts) {
          const src = /\bsrc="([^"]+)"/.exec(attributes!)?.[1];
          expect(src, 'every script has a same-origin src').toMatch(/^\/(?!\/)/);
          expect(body!.trim(), 'no inline script').toBe('');
          const asset = await createClient(app).get(src!);
          expect(asset.status, src).toBe(200);
          expect(String(asset.headers['content-type'])).toMatch(/javascript/);
        }
        expect(page.body).not.toMatch(/\son[a-z]+\s*=/i);
        for (const [, href] of page.body.matchAll(/\b(?:href|src)="([^"]+)"/g))
          expect(href, 'nothing from another origin').not.toMatch(/^(https?:)?\/\//);
      } finally {
        await app.close();
      }
    },
  );
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, signed, host-only, and Secure when PUBLIC_URL is https', async () => {
    for (const [publicUrl, secure] of [
      ['https://console.example.com', true],
      ['http://localhost:8080', false],
    ] as const) {
      const app = await appWithConsole(publicUrl);
      try {
        const admin = await createAdmin((await testDatabase()).db);
        const response = await createClient(app).post('/api/console/session', {
          email: admin.email,
          password: TEST_PASSWORD,
        });
        expect(response.status).toBe(200);
        const raw = String(response.headers['set-cookie']);
        const attributes = raw.split(';').map((part) => part.trim().toLowerCase());
        expect(attributes).toContain('httponly');
        expect(attributes).toContain('samesite=lax');
        expect(attributes).toContain('path=/');
        expect(attributes.includes('secure'), publicUrl).toBe(secure);
        expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
        expect(Number(attributes.find((a) => a.startsWith('max-age='))?.slice(8))).toBe(12 * 3600);
        // Signed: the value carries a signature, and a tampered value is refused.
        const cookie = response.cookies[0]!;
        const name = secure ? '__Host-session' : 'session';
        expect(cookie.name).toBe(name);
        expect(cookie.value).toMatch(/\.[\w+/=-]{20,}$/);
        const tampered = `${cookie.value.slice(0, 5)}${cookie.value[5] === 'A' ? 'B' : 'A'}${cookie.value.slice(6)}`;
        expect(
          (await createClient(app).get('/api/console/session', { headers: { cookie: `${name}=${cookie.value}` } }))
            .status,
        ).toBe(200);
        expect(
          (await createClient(app).get('/api/console/session', { headers: { cookie: `${name}=${tampered}` } })).status,
        ).toBe(401);
        // Sign-out clears it in the browser too.
        const csrf = response.json.csrfToken as string;
        const out = await createClient(app).delete('/api/console/session', undefined, {
          headers: { cookie: `${name}=${cookie.value}`, 'x-csrf-token': csrf },
        });
        expect(out.status).toBe(204);
        expect(String(out.headers['set-cookie'])).toMatch(/session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
        expect(
          (await createClient(app).get('/api/console/session', { headers: { cookie: `${name}=${cookie.value}` } }))
            .status,
        ).toBe(401);
      } finally {
        await app.close();
      }
    }
  });
});

describe('Origin and CSRF token on every state-changing console request', () => {
  it("refuses each one from another origin or without the session's token, and changes nothing", async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const { session: otherSession } = await createSignedInAdmin(t.app, t.db, session.customer.id);
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 2 }));
    const registration = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    const pendingInstance = crypto.randomUUID();
    const pending = await requestCode(t.app, { instanceId: pendingInstance });

    // Every console route that is not GET/HEAD, from the routes the app itself describes.
    const spec = (await t.client.get('/api/openapi.json')).json as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(spec.paths)
      .filter(([route]) => route.startsWith('/api/console/'))
      .flatMap(([route, methods]) =>
        Object.keys(methods)
          .filter((m) => !['get', 'head', 'options'].includes(m))
          .map((m) => [m.toUpperCase(), route] as const),
      );
    const known = [
      'POST /api/console/session',
      'DELETE /api/console/session',
      'POST /api/console/registrations/preview',
      'POST /api/console/registrations',
      'POST /api/console/registrations/deny',
      'DELETE /api/console/registrations/{id}',
      'DELETE /api/console/license-servers/{id}/usage',
    ];
    expect(routes.map(([m, r]) => `${m} ${r}`)).toEqual(expect.arrayContaining(known));

    // What each route is tried with: a body and target that would succeed with the token.
    const ids: Record<string, string> = {
      '/api/console/registrations/{id}': product.registrationId,
      '/api/console/license-servers/{id}/usage': registration.licenseServerId,
    };
    const bodies: Record<string, object> = {
      'POST /api/console/session': { email: session.admin.email, password: TEST_PASSWORD },
      'POST /api/console/registrations/preview': { code: pending.code },
      'POST /api/console/registrations': { code: pending.code },
      'POST /api/console/registrations/deny': { code: pending.code },
      'DELETE /api/console/license-servers/{id}/usage': {
        acknowledgePermanent: true,
        acknowledgeCollectionContinues: true,
      },
      'POST /api/console/api-clients': { name: 'CSRF probe' },
    };
    const state = async () => ({
      code: (await t.db.registrationCode.findFirstOrThrow({ where: { instanceId: pendingInstance } })).status,
      registration: (await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } })).removedAt,
      usage: await t.db.usageRecord.count({ where: { licenseServerId: registration.licenseServerId } }),
      sessions: await t.db.session.count(),
      audit: await t.db.auditEvent.count(),
    });
    const before = await state();
    expect(before).toMatchObject({ code: 'pending', registration: null, usage: 2 });

    const attempts: [string, Record<string, string>][] = [
      ['another site', { ...session.headers, origin: 'https://evil.example' }],
      ['a look-alike origin', { ...session.headers, origin: 'http://localhost:8080.evil.example' }],
      ['another port', { ...session.headers, origin: 'http://localhost:8081' }],
      ['an https origin for an http console', { ...session.headers, origin: 'https://localhost:8080' }],
      ['an opaque origin', { ...session.headers, origin: 'null' }],
      ['no token', { cookie: session.cookie }],
      ['an empty token', { cookie: session.cookie, 'x-csrf-token': '' }],
      ["another session's token", { cookie: session.cookie, 'x-csrf-token': otherSession.csrfToken }],
      [
        'the token with a character changed',
        {
          cookie: session.cookie,
          'x-csrf-token': `${session.csrfToken.slice(0, -1)}${session.csrfToken.endsWith('A') ? 'B' : 'A'}`,
        },
      ],
      ['the token in a query parameter instead', { cookie: session.cookie }],
    ];
    const SIGNED_OUT_ROUTES = new Set([
      'POST /api/console/session',
      'POST /api/console/invitations/accept',
      'POST /api/console/password-reset',
      'POST /api/console/password-reset/complete',
      'POST /api/console/session/mfa',
    ]);
    let refused = 0;
    for (const [method, route] of routes) {
      const key = `${method} ${route}`;
      const url = route.replace('{id}', ids[route] ?? crypto.randomUUID());
      for (const [name, headers] of attempts) {
        // Sign-in and the links opened signed out have no session yet: only the Origin check applies to them.
        if (SIGNED_OUT_ROUTES.has(key) && !headers.origin) continue;
        const response = await t.client.send(
          method,
          name.includes('query') ? `${url}?csrfToken=${session.csrfToken}` : url,
          bodies[key] ? bodies[key] : undefined,
          { headers },
        );
        expect(response.status, `${key} with ${name}: ${response.body}`).toBe(403);
        expect(expectCleanError(response).error).toBe('csrf_failed');
        refused++;
      }
    }
    expect(await state()).toEqual(before);
    expect(refused).toBeGreaterThanOrEqual(known.length * attempts.length - 5);

    // The same requests with the right Origin and token go through: the refusals above were the checks.
    const allowed = { ...session.headers, origin: 'http://localhost:8080' };
    expect(
      (await t.client.post('/api/console/registrations/preview', { code: pending.code }, { headers: allowed })).status,
    ).toBe(200);
    expect(
      (await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { headers: allowed }))
        .status,
    ).toBe(204);
  });
});

describe('ending sessions', () => {
  it("npm run admin -- remove-admin ends that admin's sessions at once, and no one else's", async () => {
    const admin = await createAdmin(t.db);
    const first = await signIn(t.app, admin.email);
    const second = await signIn(t.app, admin.email);
    const { session: colleague } = await createSignedInAdmin(t.app, t.db, admin.customerId);
    for (const s of [first, second]) expect((await t.client.get('/api/console/session', { as: s })).status).toBe(200);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/api/src/admin-cli.ts', 'remove-admin', '--email', admin.email.toUpperCase()],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'development' },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain(`Removed admin ${admin.email}`);

    for (const s of [first, second]) {
      const response = await t.client.get('/api/console/session', { as: s });
      expect(response.status).toBe(401);
      expect(response.json.error).toBe('unauthenticated');
      const change = await t.client.post('/api/console/registrations/preview', { code: 'ABCD-EFGH' }, { as: s });
      expect(change.status).toBe(401);
    }
    expect(await t.db.session.count({ where: { adminId: admin.id } })).toBe(0);
    expect((await t.client.get('/api/console/session', { as: colleague })).status).toBe(200);
    // And the removed admin can't sign in again.
    const again = await t.client.post('/api/console/session', { email: admin.email, password: TEST_PASSWORD });
    expect(again.status).toBe(401);
  });

  it('refuses changes with the old cookie and token after sign-out', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    expect((await t.client.delete('/api/console/session', undefined, { as: session })).status).toBe(204);
    const removal = await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, {
      as: session,
    });
    expect(removal.status).toBe(401);
    expect((await t.client.get('/api/product/v1/registration', { as: product })).status).toBe(200);
  });
});

describe('sign-in failures tell nothing', () => {
  it('answers an unknown email and a wrong password alike and in about the same time', async () => {
    // Limits out of the way: this measures the real scrypt work, ten tries of each, interleaved.
    const app = await createTestApp({
      LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: 1000,
      LIMIT_SIGNIN_FAILURES_PER_EMAIL: 1000,
      LIMIT_SIGNIN_FAILURES_PER_ADDRESS: 1000,
    });
    try {
      const admin = await createAdmin(app.db);
      const timings = { wrongPassword: [] as number[], unknownEmail: [] as number[] };
      const bodies = new Set<string>();
      for (let i = 0; i < 10; i++) {
        for (const kind of i % 2
          ? (['wrongPassword', 'unknownEmail'] as const)
          : (['unknownEmail', 'wrongPassword'] as const)) {
          const email = kind === 'wrongPassword' ? admin.email : `nobody-${crypto.randomUUID()}@example.com`;
          const started = performance.now();
          const response = await createClient(app.app).post('/api/console/session', {
            email,
            password: `wrong password ${i}`,
          });
          timings[kind].push(performance.now() - started);
          expect(response.status).toBe(401);
          bodies.add(response.body);
        }
      }
      expect([...bodies]).toEqual([
        JSON.stringify({ error: 'invalid_credentials', message: 'The email or password is wrong.' }),
      ]);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const [wrong, unknown] = [median(timings.wrongPassword), median(timings.unknownEmail)];
      expect(
        Math.max(wrong, unknown) / Math.min(wrong, unknown),
        `medians: wrong password ${wrong.toFixed(1)} ms, unknown email ${unknown.toFixed(1)} ms`,
      ).toBeLessThan(3);
      // Both did the password hashing: neither answered in a blink.
      expect(Math.min(wrong, unknown)).toBeGreaterThan(5);
    } finally {
      await app.app.close();
    }
  });
});
