import {
  ZApiClientList,
  ZCreateApiClientRequest,
  ZCreatedApiClient,
  ZTokenRequest,
  ZTokenResponse,
} from '@reg/contracts/api-clients-api';
import { LIMITS, ZNoContent } from '@reg/contracts/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { apiClientsRoute, consoleRoute } from '../../lib/route.ts';
import type { ApiClientService } from './api-clients.service.ts';

/** Secure Clients, managed by signed-in admins only (an API client can't make more clients). */
export const apiClientRoutes: FastifyPluginAsyncZod<{ apiClients: ApiClientService }> = async (app, { apiClients }) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/api-clients',
    consoleRoute({ summary: 'API clients of the customer', response: { 200: ZApiClientList } }),
    async (request) => ({ items: await apiClients.list(adminPrincipalOf(request)) }),
  );

  app.post(
    '/api-clients',
    consoleRoute({
      summary: 'Create an API client; its secret is in this answer only',
      body: ZCreateApiClientRequest,
      response: { 201: ZCreatedApiClient },
      errors: [400],
      // The only answer that shows the secret.
      noStore: true,
    }),
    async (request, reply) =>
      reply.status(201).send(await apiClients.create(adminPrincipalOf(request), request.body.name)),
  );

  app.delete(
    '/api-clients/:id',
    consoleRoute({
      summary: 'Delete an API client; its tokens stop working at once',
      id: true,
      response: { 204: ZNoContent },
      errors: [404],
    }),
    async (request, reply) => {
      await apiClients.remove(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** OAuth 2.0 client credentials: id and secret for a bearer token of 15 minutes. */
export const tokenRoutes: FastifyPluginAsyncZod<{ apiClients: ApiClientService }> = async (app, { apiClients }) => {
  // RFC 6749 sends the token request form-encoded; JSON is accepted too.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: LIMITS.productBodyBytes },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.post(
    '/token',
    apiClientsRoute({
      summary: 'Exchange an API client id and secret for a bearer token',
      description:
        'grant_type=client_credentials with client_id and client_secret, form-encoded or JSON. The token is sent as ' +
        '`Authorization: Bearer <token>` to these /api/console routes: GET /registrations, POST /registrations/bulk-remove, ' +
        'DELETE /registrations/:id, GET /registrations.csv, GET /license-servers, GET /license-servers/:id, ' +
        'GET and DELETE /license-servers/:id/usage, GET /license-servers/:id/usage.csv, GET /usage/overview, ' +
        'GET /usage/overview.csv (changes only with a full ' +
        "creator's role). 401 invalid_client for a wrong id or secret.",
      bodyLimit: LIMITS.productBodyBytes,
      body: ZTokenRequest,
      response: { 200: ZTokenResponse },
      errors: [401, 429],
      noStore: true,
    }),
    async (request) => apiClients.exchange(request.body.client_id, request.body.client_secret, request.ip),
  );
};
