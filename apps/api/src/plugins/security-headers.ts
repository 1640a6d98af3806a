import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

interface Options {
  publicUrl: string;
}

const PRODUCT_API = '/api/product/';
/** helmet's own default, so both sets say the same. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every answer.
 *
 * Console pages and the console API: helmet's (CSP, X-Frame-Options, nosniff, …), built once.
 * helmet itself, not @fastify/helmet: that plugin calls `helmet(options)` again on every
 * request, re-parsing the CSP directives and rebuilding eleven middlewares (about 11% of the
 * API process's busy time per code request in `npm run bench`, docs/benchmarks.md).
 *
 * The product API (License Servers, never a browser): the set OWASP's REST Security Cheat
 * Sheet gives for JSON APIs, fixed strings. `no-store` above all: poll answers carry a
 * credential, and License Servers often sit behind corporate proxies (which must not keep it).
 */
async function securityHeaders(app: FastifyInstance, { publicUrl }: Options) {
  const https = publicUrl.startsWith('https://');
  const setBrowserHeaders = helmet({
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
  const productApiHeaders = {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(https && { 'strict-transport-security': HSTS }),
  };
  app.addHook('onRequest', (request, reply, done) => {
    // The route matched, not the URL as sent: unmatched paths get the browser set.
    if (request.routeOptions.url?.startsWith(PRODUCT_API)) {
      reply.headers(productApiHeaders);
      return done();
    }
    setBrowserHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
