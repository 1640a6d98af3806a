import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.ts';
import { buildTestApp } from './helpers/app.ts';
import { testDatabase } from './helpers/database.ts';
import { createClient } from './helpers/client.ts';

let app: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  const dist = await mkdtemp(path.join(tmpdir(), 'console-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Console</title>');
  await writeFile(path.join(dist, 'favicon.svg'), '<svg/>');
  await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  const { db } = await testDatabase();
  app = await buildTestApp({ config: testConfig(), db, consoleDist: dist });
});
afterAll(() => app.close());

describe('serving the console', () => {
  it('answers console paths with index.html, never cached, under a strict CSP', async () => {
    for (const url of [
      '/',
      '/sign-in',
      '/iam/api-access/product-registrations?code=ABCD1234',
      '/licensing/license-servers/x',
    ]) {
      const response = await createClient(app).get(url);
      expect(response.status, url).toBe(200);
      expect(response.body).toContain('<title>Console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets for good and top-level files by name', async () => {
    const asset = await createClient(app).get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await createClient(app).get('/favicon.svg')).body).toBe('<svg/>');
    expect((await createClient(app).get('/assets/missing.js')).status).toBe(404);
  });

  it('keeps /api answers as JSON errors and never leaves dist/', async () => {
    const missing = await createClient(app).get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('not_found');
    for (const url of ['/api', '/metrics', '/metrics?x=1', '/healthz/', '/health', '/ready', '/.well-known/x']) {
      const probe = await createClient(app).get(url);
      expect(probe.status, url).toBe(404);
      expect(probe.json.error, url).toBe('not_found');
    }
    const escape = await createClient(app).get('/..%2f..%2fpackage.json');
    expect(escape.body).toContain('<title>Console</title>');
  });
});
