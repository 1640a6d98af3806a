import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMetrics } from '../src/plugins/metrics.ts';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let server: Awaited<ReturnType<typeof serveMetrics>>;
let base: string;

beforeAll(async () => {
  server = await serveMetrics(t.app.metrics, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('Prometheus metrics', () => {
  it('serves request durations by route pattern, the pool, the outbox, sweeps and ingestion', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    expect((await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 3 }))).status).toBe(202);
    await t.client.get(`/api/console/license-servers/${product.registrationId}`, { as: session });
    await t.app.metrics.timeSweep('not_reporting', async () => 0);
    await expect(
      t.app.metrics.timeSweep('stale_registrations', () => Promise.reject(new Error('down'))),
    ).rejects.toThrow('down');
    t.app.metrics.databaseError(Object.assign(new Error('protocol'), { code: '08P01' }));

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/product\/v1\/usage",status_code="202"\} 1/,
    );
    expect(text).toContain('route="/api/console/license-servers/:id"');
    expect(text).not.toContain(product.registrationId);
    expect(text).toMatch(/^usage_uploads_total 1$/m);
    expect(text).toMatch(/^usage_records_ingested_total 3$/m);
    expect(text).toMatch(/^db_pool_connections \d+$/m);
    expect(text).toMatch(/^db_pool_idle_connections \d+$/m);
    expect(text).toMatch(/^db_pool_waiting_requests \d+$/m);
    expect(text).toMatch(/^outbox_pending_deliveries \d+$/m);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds [\d.e+-]+$/m);
    expect(text).toMatch(/^db_errors_total\{class="08"\} 1$/m);
    expect(text).toMatch(/sweep_duration_seconds_count\{sweep="not_reporting"\} 1/);
    expect(text).toMatch(/sweep_last_run_timestamp_seconds\{sweep="stale_registrations",outcome="failure"\} \d+/);

    if (promtool) {
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.stdout + check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });

  it('serves nothing else on its port, and nothing at /metrics on the API port', async () => {
    const other = await fetch(`${base}/api/console/session`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: string }).error).toBe('not_found');
    const onApi = await t.client.get('/metrics');
    expect(onApi.status).toBe(404);
    expect(onApi.json.error).toBe('not_found');
  });
});
