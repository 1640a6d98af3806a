import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Paths a program asks for, never a console page: /api, a metrics or health probe (and its
 * near misses), well-known files. They answer 404 in JSON rather than the console's HTML,
 * which a scraper or a load balancer would take for success.
 */
const NOT_CONSOLE = /^\/(api(\/|$)|metrics|health|ready|livez|readyz|healthz|status|\.well-known\/)/i;

/**
 * Serves the built console. Hashed files under /assets/ are cached for good; any other GET
 * outside NOT_CONSOLE gets the file of that name at the top of dist/ if there is one, else
 * index.html (never cached, so a new build is picked up), so the SPA's own routes load.
 * Files are looked up per request: rebuilding the console needs no restart.
 */
async function consoleStatic(app: FastifyInstance, { root }: { root: string }) {
  if (!existsSync(path.join(root, 'index.html'))) {
    app.log.warn(`console not built at ${root}; run "npm run build" to serve it`);
    return;
  }
  await app.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/assets/',
    maxAge: '365d',
    immutable: true,
    index: false,
  });
  const sendPage = (reply: FastifyReply, file: string) =>
    reply.header('Cache-Control', 'no-cache').sendFile(file, root, { cacheControl: false });
  app.get('/', (_request, reply) => sendPage(reply, 'index.html'));
  app.get('/*', (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (NOT_CONSOLE.test(pathname)) return reply.callNotFound();
    const file = path.basename(pathname);
    // Only plain names like /favicon.svg: nothing encoded, nothing below the top of dist/.
    const topLevel = /^\/[\w.-]+$/.test(pathname) && file.includes('.') && existsSync(path.join(root, file));
    return sendPage(reply, topLevel ? file : 'index.html');
  });
}

export default fp(consoleStatic, { name: 'console-static' });
