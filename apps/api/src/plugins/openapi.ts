import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * The docs page's Content-Security-Policy. Swagger UI (a React app) writes inline styles,
 * which swagger-ui's own `staticCSP: true` policy refuses (style-src without 'unsafe-inline'):
 * the page logged violations. Scripts stay 'self' only; styles may be inline, as on the console.
 */
function docsPolicy(https: boolean): Record<string, string> {
  return {
    'default-src': "'self'",
    'base-uri': "'self'",
    'font-src': "'self' data:",
    'form-action': "'self'",
    'frame-ancestors': "'self'",
    'img-src': "'self' data:",
    'object-src': "'none'",
    'script-src': "'self'",
    'script-src-attr': "'none'",
    'style-src': "'self' 'unsafe-inline'",
    ...(https && { 'upgrade-insecure-requests': '' }),
  };
}

/** The OpenAPI description, generated from the same zod schemas the routes validate with. */
async function openapi(app: FastifyInstance, { publicUrl }: { publicUrl: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cloud registration service',
        version: '1.0.0',
        description:
          'Product API (/api/product/v1): on-premises products ask for a short code, poll until an admin registers it, ' +
          'then confirm their registration and upload usage with a bearer credential. Console API (/api/console): ' +
          'cookie session with an X-CSRF-Token header on every change. Every error body is ' +
          '`{"error": "snake_case_code", "message": "one human sentence"}`, optionally with details.\n\n' +
          "Connectivity check (the License Server's `check` command): it proves each product endpoint is reachable " +
          'without leaving anything behind, by sending requests the API must refuse before writing: POST /codes with ' +
          'an empty body (400 invalid_request), GET /registration and POST /usage without a credential (401). Any other ' +
          'answer, or none, names what is in the way (DNS, refused, timeout, TLS, proxy, HTTP status).',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          productCredential: {
            type: 'http',
            scheme: 'bearer',
            description: 'The credential a product received when registered.',
          },
          consoleSession: { type: 'apiKey', in: 'cookie', name: 'session' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: docsPolicy(publicUrl.startsWith('https://')) });
}

export default fp(openapi, { name: 'openapi' });
