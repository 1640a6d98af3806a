import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@reg/db/embedded';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/database.ts';
import { codeRequest, createAdmin, TEST_PASSWORD } from '../helpers/factories.ts';
import { usageReport } from '../helpers/usage.ts';
import { randomCode } from './support.ts';

/**
 * Two API processes (`npm start`'s server.ts, each its own Node process with its own pool)
 * on one database: nothing an instance holds decides an answer, so a code issued by one is
 * previewed and registered through the other and polled through the first, and limits and
 * removals hold on both. Secrets are not given: they are generated once in the database.
 */
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

interface Instance {
  url: string;
  child: ChildProcess;
  output: string[];
}
const instances: Instance[] = [];
let databaseUrl: string;
let db: Awaited<ReturnType<typeof testDatabase>>['db'];

function spawnInstance(port: number): Instance {
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      SERVE_CONSOLE: 'false',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: '',
      CODE_HMAC_SECRET: '',
      LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: '3',
      LIMIT_CODE_REQUESTS_PER_MINUTE: '40',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const instance = { url, child, output };
  instances.push(instance);
  return instance;
}

async function startInstance(): Promise<Instance> {
  const instance = spawnInstance(await freePort());
  const { url, child, output } = instance;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${output.join('')}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready === 200) return instance;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`instance did not start: ${output.join('')}`);
}

beforeAll(async () => {
  ({ db, url: databaseUrl } = await testDatabase());
  // Not an empty database (else the first start seeds a customer): one admin to work with.
  await createAdmin(db);
  await startInstance();
  await startInstance();
}, 200_000);

afterAll(async () => {
  await Promise.all(
    instances.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}, 60_000);

interface Browser {
  cookie: string;
  csrf: string;
}
async function call(
  instance: Instance,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}
async function signIn(instance: Instance, email: string, password = TEST_PASSWORD) {
  const response = await fetch(`${instance.url}/api/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: response.status,
    cookie: response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    body: (await response.json()) as { csrfToken: string },
  };
}
const asBrowser = (browser: Browser) => ({ cookie: browser.cookie, 'x-csrf-token': browser.csrf });

describe('two API processes on one database', () => {
  it('issues through one, previews and registers through the other, delivers through the first; removal holds on both', async () => {
    const [a, b] = instances as [Instance, Instance];
    const admin = await createAdmin(db);
    const signedIn = await signIn(b, admin.email);
    expect(signedIn.status).toBe(200);
    const browser: Browser = { cookie: signedIn.cookie, csrf: signedIn.body.csrfToken };
    // The session (and its signed cookie) made by B is good on A.
    expect((await call(a, 'GET', '/api/console/session', undefined, { cookie: browser.cookie })).status).toBe(200);

    const request = codeRequest({ serverName: 'Two instances' });
    const issued = await call(a, 'POST', '/api/product/v1/codes', request);
    expect(issued.status).toBe(201);
    const { code, pollToken } = issued.json as { code: string; pollToken: string };
    const preview = await call(b, 'POST', '/api/console/registrations/preview', { code }, asBrowser(browser));
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      serverName: 'Two instances',
      instanceId: request.instanceId,
      requestedFrom: '127.0.0.1',
    });
    const registered = await call(b, 'POST', '/api/console/registrations', { code }, asBrowser(browser));
    expect(registered.status).toBe(201);
    const polled = await call(a, 'POST', '/api/product/v1/codes/poll', { pollToken });
    expect(polled.status).toBe(200);
    expect(polled.json).toMatchObject({
      status: 'registered',
      registrationId: registered.json.id,
      customer: { id: admin.customerId },
    });
    expect((await call(b, 'POST', '/api/product/v1/codes/poll', { pollToken })).status).toBe(410);

    const bearer = { authorization: `Bearer ${polled.json.credential as string}` };
    expect((await call(b, 'GET', '/api/product/v1/registration', undefined, bearer)).status).toBe(200);
    expect((await call(b, 'POST', '/api/product/v1/usage', usageReport(new Date(), { days: 2 }), bearer)).status).toBe(
      202,
    );

    // Removed through A: B refuses the credential at once.
    expect(
      (
        await call(
          a,
          'DELETE',
          `/api/console/registrations/${registered.json.id as string}`,
          undefined,
          asBrowser(browser),
        )
      ).status,
    ).toBe(204);
    for (const instance of [b, a]) {
      const heartbeat = await call(instance, 'GET', '/api/product/v1/registration', undefined, bearer);
      expect(heartbeat.status).toBe(401);
      expect(heartbeat.json.error).toBe('registration_removed');
      const upload = await call(instance, 'POST', '/api/product/v1/usage', usageReport(new Date()), bearer);
      expect(upload.json.error).toBe('registration_removed');
    }

    // Denied through A, the product polling B hears it.
    const second = await call(b, 'POST', '/api/product/v1/codes', codeRequest());
    expect(
      (await call(a, 'POST', '/api/console/registrations/deny', { code: second.json.code }, asBrowser(browser))).status,
    ).toBe(204);
    expect((await call(b, 'POST', '/api/product/v1/codes/poll', { pollToken: second.json.pollToken })).status).toBe(
      403,
    );

    // Sign-out through A ends the session on B.
    expect((await call(a, 'DELETE', '/api/console/session', undefined, asBrowser(browser))).status).toBe(204);
    expect((await call(b, 'GET', '/api/console/session', undefined, { cookie: browser.cookie })).status).toBe(401);
  });

  it('holds the sign-in and code look-up limits on both', async () => {
    const [a, b] = instances as [Instance, Instance];
    const victim = await createAdmin(db);
    // LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS is 3 on both: two failures on A and one on B close the pair on both.
    expect((await signIn(a, victim.email, 'wrong password')).status).toBe(401);
    expect((await signIn(b, victim.email, 'wrong password')).status).toBe(401);
    expect((await signIn(a, victim.email, 'wrong password')).status).toBe(401);
    for (const instance of [b, a]) {
      const limited = await signIn(instance, victim.email);
      expect(limited.status).toBe(429);
      expect(
        Number(
          (
            await call(instance, 'POST', '/api/console/session', { email: victim.email, password: TEST_PASSWORD })
          ).headers.get('retry-after'),
        ),
      ).toBeGreaterThan(0);
    }

    const admin = await createAdmin(db);
    const s = await signIn(a, admin.email);
    const browser: Browser = { cookie: s.cookie, csrf: s.body.csrfToken };
    for (let i = 0; i < 10; i++) {
      const miss = await call(
        i % 2 ? a : b,
        'POST',
        '/api/console/registrations/preview',
        { code: randomCode() },
        asBrowser(browser),
      );
      expect(miss.json.error).toBe('code_not_found');
    }
    const live = await call(a, 'POST', '/api/product/v1/codes', codeRequest());
    for (const instance of [a, b]) {
      const limited = await call(
        instance,
        'POST',
        '/api/console/registrations/preview',
        { code: live.json.code },
        asBrowser(browser),
      );
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate_limited');
    }
  });

  it('keeps the per-address flood guard on code requests per instance, as docs/protocol.md says', async () => {
    const [a, b] = instances as [Instance, Instance];
    let status = 201;
    let sent = 0;
    while (status === 201 && sent < 60) {
      status = (await call(a, 'POST', '/api/product/v1/codes', codeRequest())).status;
      sent++;
    }
    expect(status).toBe(429);
    expect(sent).toBeLessThanOrEqual(41);
    expect((await call(b, 'POST', '/api/product/v1/codes', codeRequest())).status).toBe(201);
  });

  it('says so, and exits, when a third is started on a port already in use', async () => {
    const taken = Number(new URL(instances[0]!.url).port);
    const third = spawnInstance(taken);
    const [code] = await once(third.child, 'exit');
    expect(code).toBe(1);
    expect(third.output.join('')).toContain(`Port ${taken} is already in use (is the service already running?)`);
    expect(third.output.join('')).not.toMatch(/\n\s+at /); // no stack trace
  }, 90_000);
});
