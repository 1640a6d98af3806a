import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW, newStateDir, runCli } from './cli.ts';
import { startCloud, type Cloud } from './real-api.ts';

/**
 * A small CONNECT proxy (what undici's ProxyAgent speaks, for http and https targets
 * alike) that can demand credentials, so the CLI's proxy handling is exercised for real.
 */
interface Proxy {
  url: (auth?: string) => string;
  connects: { target: string; auth: string | undefined }[];
  close: () => void;
}

async function startProxy(requiredAuth?: string): Promise<Proxy> {
  const connects: Proxy['connects'] = [];
  const server: Server = createServer((client) => {
    client.once('data', (head: Buffer) => {
      const text = head.toString('latin1');
      const [, target] = /^CONNECT (\S+) HTTP/.exec(text) ?? [];
      const auth = /\r\nproxy-authorization: Basic (\S+)/i.exec(text)?.[1];
      connects.push({ target: target ?? '?', auth: auth ? Buffer.from(auth, 'base64').toString() : undefined });
      if (!target) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      if (requiredAuth && connects.at(-1)!.auth !== requiredAuth) {
        return client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      }
      const [host, port] = target.split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: (auth) => `http://${auth ? `${auth}@` : ''}127.0.0.1:${port}`,
    connects,
    close: () => server.close(),
  };
}

let cloud: Cloud;
let proxy: Proxy;
beforeAll(async () => {
  cloud = await startCloud();
  proxy = await startProxy('alice:s3cret');
});
afterAll(async () => {
  proxy?.close();
  await cloud?.stop();
});

describe('check through a proxy', { timeout: SLOW }, () => {
  it('goes through HTTP_PROXY with its credentials, and never prints them', async () => {
    const before = proxy.connects.length;
    const result = await runCli(['check', '--cloud', cloud.url, '--state-dir', newStateDir()], {
      HTTP_PROXY: proxy.url('alice:s3cret'),
    });
    expect(result.stdout).toMatch(/Proxy: http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+ \(from HTTP_PROXY\)/);
    expect(result.stdout.match(/ OK$/gm)).toHaveLength(3);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('s3cret');
    expect(proxy.connects.slice(before).every((c) => c.auth === 'alice:s3cret')).toBe(true);
    expect(proxy.connects.length - before).toBeGreaterThan(0);
  });

  it('says the proxy wants authentication when it answers 407', async () => {
    const result = await runCli([
      'check',
      '--cloud',
      cloud.url,
      '--state-dir',
      newStateDir(),
      '--proxy',
      proxy.url('alice:wrong'),
    ]);
    expect(result.code).toBe(12);
    expect(result.stdout.match(/FAILED: proxy: the proxy requires authentication \(407\)/g)).toHaveLength(3);
    expect(result.stdout + result.stderr).not.toContain('wrong');
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const before = proxy.connects.length;
    const result = await runCli(['check', '--cloud', cloud.url, '--state-dir', newStateDir()], {
      HTTP_PROXY: proxy.url('alice:s3cret'),
      NO_PROXY: 'localhost,127.0.0.1',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Proxy: none');
    expect(proxy.connects.length).toBe(before);
  });
});
