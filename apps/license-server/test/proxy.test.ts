import { Server as ProxyServer } from 'proxy-chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, closedPortUrl, newStateDir, runCli, runNew, startCli } from './cli.ts';
import { CODE_LINE, consoleAction, readState, signedInAdmin, useCloud } from './real-api.ts';

/**
 * A real forwarding proxy (Apify's proxy-chain, the kind used in production scraping
 * fleets) that demands credentials, so the CLI's proxy handling is exercised against
 * a proxy it was not written alongside. Every request or CONNECT it is asked to forward
 * is recorded, to prove that the traffic really went through it.
 */
interface Seen {
  target: string;
  username: string;
  password: string;
}

const cloud = useCloud();
let proxy: ProxyServer;
const seen: Seen[] = [];
const proxyUrl = (auth?: string) => `http://${auth ? `${auth}@` : ''}127.0.0.1:${proxy.port}`;
/** What the proxy forwarded (authenticated) since `before`. */
const forwardedSince = (before: number) => seen.slice(before).filter((s) => s.username === 'alice');

beforeAll(async () => {
  proxy = new ProxyServer({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ username, password, hostname, port }) => {
      seen.push({ target: `${hostname}:${port}`, username, password });
      return { requestAuthentication: username !== 'alice' || password !== 's3cret' };
    },
  });
  await proxy.listen();
});
afterAll(async () => {
  await proxy?.close(true);
});

describe('check through a proxy', { timeout: SLOW }, () => {
  it('goes through HTTP_PROXY with its credentials, and never prints them', async () => {
    const before = seen.length;
    const result = await runNew(cloud.url, 'check', [], {
      HTTP_PROXY: proxyUrl('alice:s3cret'),
    });
    expect(result.stdout).toMatch(/Proxy: http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+ \(from HTTP_PROXY\)/);
    expect(result.stdout.match(/ OK$/gm)).toHaveLength(3);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('s3cret');
    expect(seen.length - before).toBeGreaterThan(0);
    expect(seen.slice(before).every((s) => s.username === 'alice' && s.password === 's3cret')).toBe(true);
    expect(seen.slice(before).every((s) => s.target === new URL(cloud.url).host)).toBe(true);
  });

  it('says the proxy wants authentication when it answers 407', async () => {
    const result = await runNew(cloud.url, 'check', ['--proxy', proxyUrl('alice:wrong')]);
    expect(result.code).toBe(12);
    expect(result.stdout.match(/FAILED: proxy: the proxy requires authentication \(407\)/g)).toHaveLength(3);
    expect(result.stdout + result.stderr).not.toContain('wrong');
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const before = seen.length;
    const result = await runNew(cloud.url, 'check', [], {
      HTTP_PROXY: proxyUrl('alice:s3cret'),
      NO_PROXY: 'localhost,127.0.0.1',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Proxy: none');
    expect(seen.length).toBe(before);
  });
});

describe('register, upload and deregister through a proxy', { timeout: SLOW }, () => {
  it('does the whole flow through HTTP_PROXY, and the proxy forwards every step', async () => {
    // The test cloud is http://, so HTTP_PROXY is the variable that applies to it.
    const env = { HTTP_PROXY: proxyUrl('alice:s3cret') };
    const stateDir = newStateDir();
    const { session, admin } = await signedInAdmin(cloud);

    let before = seen.length;
    const cli = startCli(['register', '--cloud', cloud.url, '--state-dir', stateDir], env);
    const [, code] = await cli.waitFor(CODE_LINE);
    const registered = await consoleAction(cloud, session, 'POST', '/registrations', { code });
    expect(registered.statusCode).toBe(201);
    const register = await cli.exited;
    expect(register.code).toBe(0);
    expect(register.stdout).toContain(`Registered to ${admin.customer.name}.`);
    expect(typeof readState(stateDir).credential).toBe('string');
    expect(forwardedSince(before).length).toBeGreaterThan(0);

    before = seen.length;
    const upload = await runCli(['upload', '--sample-days', '3', '--state-dir', stateDir], env);
    expect(upload.code).toBe(0);
    expect(forwardedSince(before).length).toBeGreaterThan(0);

    before = seen.length;
    const deregister = await runCli(['deregister', '--state-dir', stateDir], env);
    expect(deregister.code).toBe(0);
    expect(readState(stateDir).credential).toBeUndefined();
    expect(forwardedSince(before).length).toBeGreaterThan(0);
    const list = await consoleAction(cloud, session, 'GET', '/registrations');
    const { id } = registered.json() as { id: string };
    expect((list.json() as { items: { id: string }[] }).items.map((r) => r.id)).not.toContain(id);

    for (const result of [register, upload, deregister]) {
      expect(result.stdout + result.stderr).not.toContain('s3cret');
    }
  });

  it('says the proxy refused the connection when the proxy is down', async () => {
    const { port } = new URL(await closedPortUrl());
    const result = await runNew(cloud.url, 'register', [], {
      HTTP_PROXY: `http://alice:s3cret@127.0.0.1:${port}`,
    });
    expect(result.code).toBe(5);
    // Names the proxy (not the cloud) as what refused, and where to look next.
    expect(result.stderr).toContain(
      `error: could not reach the cloud at ${cloud.url}: connection refused by the proxy `,
    );
    expect(result.stderr).toContain(`127.0.0.1:${port} (ECONNREFUSED).\nhint: Run "check" to see what is blocked.`);
    expect(result.stdout + result.stderr).not.toContain('s3cret');
  });
});
