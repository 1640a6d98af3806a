import type { FastifyPluginAsync } from 'fastify';
import { sendError } from '../../plugins/error-handler.ts';
import type { HealthService } from './health.service.ts';

/** /healthz: the process answers. /readyz: it can reach the database too (load balancers use this). */
export const healthRoutes: FastifyPluginAsync<{ health: HealthService }> = async (app, { health }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // A probe is answered at once: no waiting for the database to be back and retrying.
  app.get('/readyz', { schema: { hide: true }, config: { databaseRetries: false } }, async (_request, reply) =>
    (await health.databaseReady())
      ? { status: 'ready' }
      : sendError(reply, 'unavailable', 'The database is unreachable.'),
  );
};
