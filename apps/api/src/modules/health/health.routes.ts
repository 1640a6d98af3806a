import type { Db } from '@reg/db/client';
import type { FastifyPluginAsync } from 'fastify';

/** /healthz: the process answers. /readyz: it can reach the database too (load balancers use this). */
export const healthRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await Promise.race([
        db.$queryRaw`SELECT 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
      ]);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ error: 'unavailable', message: 'The database is unreachable.' });
    }
  });
};
