import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HealthService } from '../modules/health/health.service.ts';

/** The SQLSTATE of a database error, wherever in its chain of causes it is. */
function sqlstate(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, originalCode } = e as { code?: unknown; originalCode?: unknown };
    for (const candidate of [originalCode, code]) {
      if (typeof candidate === 'string' && /^[0-9A-Z]{5}$/.test(candidate) && /\d/.test(candidate)) return candidate;
    }
    const kind = (e as { kind?: unknown }).kind;
    if (typeof kind === 'string' && /Connection|Database|Socket|Tls/i.test(kind)) return '08000';
    if (typeof code === 'string' && /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|PIPE)$/.test(code)) return '08000';
    if (/Query read timeout|Connection terminated/i.test(String((e as { message?: unknown }).message))) return '08000';
  }
  return null;
}

/**
 * The Prometheus metrics of one API process (prom-client), in a registry of its own. Served
 * apart from the API (serveMetrics, on METRICS_PORT), never on the public port.
 */
export function createMetrics(health: Pick<HealthService, 'poolStats' | 'outboxBacklog'>) {
  const registry = new Registry();
  const requestSeconds = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const databaseErrors = new Counter({
    name: 'db_errors_total',
    help: 'Database errors that reached a request, by SQLSTATE class (08: connection).',
    labelNames: ['class'],
    registers: [registry],
  });
  const uploads = new Counter({
    name: 'usage_uploads_total',
    help: 'Usage reports accepted (202).',
    registers: [registry],
  });
  const records = new Counter({
    name: 'usage_records_ingested_total',
    help: 'Usage records in the reports accepted.',
    registers: [registry],
  });
  const sweepSeconds = new Histogram({
    name: 'sweep_duration_seconds',
    help: 'Time a background sweep took, by sweep.',
    labelNames: ['sweep'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const sweepLast = new Gauge({
    name: 'sweep_last_run_timestamp_seconds',
    help: 'When a background sweep last finished, by sweep and outcome.',
    labelNames: ['sweep', 'outcome'],
    registers: [registry],
  });
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  poolGauge('db_pool_connections', 'Connections of the database pool, in use or idle.', () => health.poolStats().total);
  poolGauge('db_pool_idle_connections', 'Idle connections of the database pool.', () => health.poolStats().idle);
  poolGauge('db_pool_waiting_requests', 'Queries waiting for a free connection.', () => health.poolStats().waiting);
  const outboxDepth = new Gauge({
    name: 'outbox_pending_deliveries',
    help: 'Notification deliveries not sent yet.',
    registers: [registry],
  });
  new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest notification delivery not sent yet (0 when none).',
    registers: [registry],
    async collect() {
      // Unreachable database: the gauges keep their last values; db_errors_total tells why.
      const backlog = await health.outboxBacklog().catch(() => null);
      if (!backlog) return;
      outboxDepth.set(backlog.depth);
      this.set(backlog.oldestSeconds);
    },
  });

  return {
    registry,
    observeRequest(method: string, route: string, statusCode: number, seconds: number) {
      requestSeconds.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    databaseError(error: unknown) {
      const code = sqlstate(error);
      if (code) databaseErrors.inc({ class: code.slice(0, 2) });
    },
    usageIngested(recordCount: number) {
      uploads.inc();
      records.inc(recordCount);
    },
    /** Runs a sweep, timing it and noting when it last finished. */
    async timeSweep<T>(sweep: string, run: () => Promise<T>): Promise<T> {
      const end = sweepSeconds.startTimer({ sweep });
      try {
        const result = await run();
        sweepLast.set({ sweep, outcome: 'success' }, Date.now() / 1000);
        return result;
      } catch (error) {
        sweepLast.set({ sweep, outcome: 'failure' }, Date.now() / 1000);
        throw error;
      } finally {
        end();
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Requests measured by route pattern (never the raw URL: ids would make a series each). */
async function metricsPlugin(app: FastifyInstance, { metrics }: { metrics: Metrics }) {
  app.addHook('onError', async (_request, _reply, error) => metrics.databaseError(error));
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route === '/api/product/v1/usage' && reply.statusCode === 202) {
      const { records } = (request.body ?? {}) as { records?: unknown };
      metrics.usageIngested(Array.isArray(records) ? records.length : 0);
    }
  });
}

export default fp(metricsPlugin, { name: 'metrics' });

/** GET /metrics in Prometheus's text format on a port of its own; anything else 404. */
export async function serveMetrics(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'not_found', message: 'Only GET /metrics is served here.' }));
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType });
        response.end(text);
      },
      () => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'internal_error', message: 'The metrics could not be collected.' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
