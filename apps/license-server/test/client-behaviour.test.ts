import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../src/state.ts';
import { SLOW, newStateDir, runNew, startCli } from './cli.ts';

/**
 * Client behaviour the real API can't be made to show on demand (slow_down, dropped
 * connections, a 503 then success), against a scripted stand-in. Only the cloud is
 * replaced; the CLI is the real process.
 */
interface Seen {
  method: string;
  path: string;
  at: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
type Handler = (seen: Seen, res: ServerResponse, count: number) => void;

let server: Server | undefined;
afterEach(() => server?.close());

async function fakeCloud(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = `${req.method} ${req.url}`;
      const entry = {
        method: req.method!,
        path: req.url!,
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const handler = routes[key];
      if (!handler) return json(res, 404, { error: 'not_found', message: 'No such route.' });
      handler(entry, res, counts.get(key)!);
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const CODE = {
  code: '7KQ4MZ2P',
  pollToken: 'token',
  expiresAt: new Date(Date.now() + 900_000).toISOString(),
  expiresIn: 900,
  interval: 1,
  verificationUri: 'http://cloud/iam/api-access/product-registrations',
  verificationUriComplete: 'http://cloud/iam/api-access/product-registrations?code=7KQ4MZ2P',
};
const REGISTERED = {
  status: 'registered',
  registrationId: randomUUID(),
  credential: 'secret-credential',
  customer: { id: randomUUID(), name: 'Fake Co' },
  registeredAt: new Date().toISOString(),
};
const pollTimes = (seen: Seen[]) => seen.filter((s) => s.path.endsWith('/codes/poll')).map((s) => s.at);

describe('register polling', { timeout: SLOW }, () => {
  it('shows the code as XXXX-XXXX and slows down when told to', async () => {
    const cloud = await fakeCloud({
      'POST /api/product/v1/codes': (_s, res) => json(res, 201, CODE),
      'POST /api/product/v1/codes/poll': (_s, res, n) => {
        if (n === 1) return json(res, 429, { error: 'slow_down', message: 'Slow down.', interval: 2 });
        if (n === 2) return json(res, 202, { status: 'pending', interval: 2 });
        json(res, 200, REGISTERED);
      },
    });
    const result = await runNew(cloud.url, 'register');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Registration code: 7KQ4-MZ2P');
    expect(result.stdout).toContain(CODE.verificationUriComplete);
    expect(result.stdout).toContain('Registered to Fake Co.');
    const [first, second, third] = pollTimes(cloud.seen);
    expect(second! - first!).toBeGreaterThanOrEqual(1900);
    expect(third! - second!).toBeGreaterThanOrEqual(1900);
  });

  it('backs off, doubling, while the cloud can not be reached, and carries on', async () => {
    const cloud = await fakeCloud({
      'POST /api/product/v1/codes': (_s, res) => json(res, 201, CODE),
      'POST /api/product/v1/codes/poll': (_s, res, n) => {
        if (n <= 2) return res.socket?.destroy();
        json(res, 200, REGISTERED);
      },
    });
    const result = await runNew(cloud.url, 'register');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Cloud not reachable .*trying again in 2 s/);
    expect(result.stdout).toMatch(/trying again in 4 s/);
    const [first, second, third] = pollTimes(cloud.seen);
    expect(second! - first!).toBeGreaterThanOrEqual(1900);
    expect(third! - second!).toBeGreaterThanOrEqual(3900);
  });

  it('says how long to wait when rate limited', async () => {
    const cloud = await fakeCloud({
      'POST /api/product/v1/codes': (_s, res) =>
        json(res, 429, { error: 'rate_limited', message: 'Too many requests.' }, { 'retry-after': '42' }),
    });
    const result = await runNew(cloud.url, 'register');
    expect(result.code).toBe(10);
    expect(result.stderr).toContain('hint: Wait 42 seconds, then run register again.');
  });
});

describe('run delivery', { timeout: SLOW }, () => {
  it('retries a failed upload with backoff, resending the same report, until accepted', async () => {
    const cloud = await fakeCloud({
      'GET /api/product/v1/registration': (_s, res) =>
        json(res, 200, {
          registrationId: REGISTERED.registrationId,
          status: 'active',
          customer: REGISTERED.customer,
          registeredAt: REGISTERED.registeredAt,
          lastContactAt: null,
        }),
      'POST /api/product/v1/usage': (s, res, n) => {
        if (n === 1) return json(res, 503, { error: 'unavailable', message: 'Database unreachable.' });
        const { reportId } = JSON.parse(gunzipSync(s.body).toString()) as { reportId: string };
        json(res, 202, { reportId, accepted: 18, duplicate: false });
      },
    });
    const stateDir = newStateDir();
    const store = new StateStore(stateDir);
    store.save({
      ...store.load(),
      cloudUrl: cloud.url,
      credential: 'secret',
      registrationId: REGISTERED.registrationId,
      customer: REGISTERED.customer,
    });

    const cli = startCli(['run', '--state-dir', stateDir]);
    await cli.waitFor(/Retrying 1 report\(s\) in \d+ s/);
    await cli.waitFor(/Uploaded 1 report\(s\) \(18 records\)/);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);

    const uploads = cloud.seen.filter((s) => s.path.endsWith('/usage'));
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.headers['content-encoding']).toBe('gzip');
    expect(uploads[0]!.headers.authorization).toBe('Bearer secret');
    expect(gunzipSync(uploads[1]!.body).equals(gunzipSync(uploads[0]!.body))).toBe(true);
    // 5 s, give or take the jitter.
    expect(uploads[1]!.at - uploads[0]!.at).toBeGreaterThanOrEqual(3900);
  });
});
