import { createServer } from 'node:net';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from './network-errors.ts';
import { maskUrl } from './http.ts';

/** The error fetch really throws for a URL, so the tests follow undici's actual shapes. */
async function fetchError(url: string, timeoutMs = 5000): Promise<unknown> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return error;
  }
  throw new Error('expected fetch to fail');
}

function errnoError(code: string, extra: Record<string, unknown> = {}) {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} happened`), { code, ...extra }) });
}

describe('network error classification', () => {
  it('tells a refused connection', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    await new Promise((done) => server.close(done));
    const problem = classifyNetworkError(await fetchError(`http://127.0.0.1:${port}/`));
    expect(problem.kind).toBe('refused');
    expect(problem.code).toBe('ECONNREFUSED');
  });

  it('tells a DNS failure', async () => {
    const problem = classifyNetworkError(await fetchError('http://no-such-host.invalid/'));
    expect(problem.kind).toBe('dns');
    expect(problem.description).toContain('no-such-host.invalid');
  });

  it('tells a time-out', async () => {
    // A server that accepts and never answers.
    const server = createServer(() => {});
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    const problem = classifyNetworkError(await fetchError(`http://127.0.0.1:${port}/`, 200));
    server.close();
    expect(problem.kind).toBe('timeout');
  });

  it('tells TLS certificate errors', () => {
    expect(classifyNetworkError(errnoError('CERT_HAS_EXPIRED')).kind).toBe('tls');
    expect(classifyNetworkError(errnoError('DEPTH_ZERO_SELF_SIGNED_CERT')).kind).toBe('tls');
    expect(classifyNetworkError(errnoError('ERR_TLS_CERT_ALTNAME_INVALID')).kind).toBe('tls');
  });

  it('blames the proxy when the proxy refuses or is not there', () => {
    const tunnel = new TypeError('fetch failed', {
      // undici's real shape: an AbortError, which must not be mistaken for a time-out.
      cause: Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), {
        name: 'AbortError',
        code: 'UND_ERR_ABORTED',
      }),
    });
    expect(classifyNetworkError(tunnel, 'proxy.corp')).toMatchObject({ kind: 'proxy' });
    expect(classifyNetworkError(tunnel, 'proxy.corp').description).toContain('407');
    const refused = errnoError('ECONNREFUSED', { address: 'proxy.corp', port: 3128 });
    expect(classifyNetworkError(refused, 'proxy.corp').kind).toBe('proxy');
    expect(classifyNetworkError(refused).kind).toBe('refused');
    const unknownProxy = errnoError('ENOTFOUND', { hostname: 'proxy.corp' });
    expect(classifyNetworkError(unknownProxy, 'proxy.corp').kind).toBe('proxy');
  });
});

describe('proxy URLs', () => {
  it('never shows the credentials', () => {
    const masked = maskUrl('http://alice:s3cret@proxy.corp:3128');
    expect(masked).toBe('http://***:***@proxy.corp:3128');
    expect(maskUrl('http://proxy.corp:3128/')).toBe('http://proxy.corp:3128');
    expect(maskUrl('not a url with s3cret')).not.toContain('s3cret');
  });
});
