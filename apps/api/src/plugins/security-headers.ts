import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

interface Options {
  publicUrl: string;
}

/**
 * Helmet's headers (CSP, X-Frame-Options, nosniff, …) on every answer, console pages and API alike.
 *
 * helmet itself, not @fastify/helmet: that plugin calls `helmet(options)` again on every
 * request, re-parsing the CSP directives and rebuilding eleven middlewares, which was about
 * 9% of the API's CPU per code request in `npm run bench` (docs/benchmarks.md). helmet builds
 * every header value once when the middleware is made; each request then only sets them.
 */
async function securityHeaders(app: FastifyInstance, { publicUrl }: Options) {
  const https = publicUrl.startsWith('https://');
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // The console uses system fonts: none from other hosts (helmet's default allows any https: host).
        'font-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    // The console is served over http on localhost in development.
    strictTransportSecurity: https,
  });
  app.addHook('onRequest', (request, reply, done) =>
    setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
  );
}

export default fp(securityHeaders, { name: 'security-headers' });
