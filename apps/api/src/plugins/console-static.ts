import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Serves the built console; any GET outside /api that is not a file gets index.html,
 * so the SPA's own routes (/sign-in, /iam/...) load on a fresh visit.
 */
async function consoleStatic(app: FastifyInstance, { root }: { root: string }) {
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn(`console not built at ${root}; run "npm run build" to serve it`);
    return;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h', immutable: false });
  app.get('/', (_request, reply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html'));
  app.get('/*', (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}

export default fp(consoleStatic, { name: 'console-static' });
