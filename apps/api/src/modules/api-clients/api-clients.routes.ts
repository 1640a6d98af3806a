import {
  ZApiClientList,
  ZCreateApiClientRequest,
  ZCreatedApiClient,
  ZTokenRequest,
  ZTokenResponse,
} from '@reg/contracts/api-clients-api';
import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { adminPrincipalOf } from '../../lib/principal.ts';
import type { ApiClientService } from './api-clients.service.ts';

/** Secure Clients, managed by signed-in admins only (an API client can't make more clients). */
export const apiClientRoutes: FastifyPluginAsyncZod<{ apiClients: ApiClientService }> = async (app, { apiClients }) => {
  app.get(
    '/api-clients',
    {
      preValidation: app.requireAdmin,
      schema: { summary: 'API clients of the customer', tags: ['console'], response: { 200: ZApiClientList } },
    },
    async (request) => ({ items: await apiClients.list(adminPrincipalOf(request)) }),
  );

  app.post(
    '/api-clients',
    {
      preValidation: app.requireAdmin,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Create an API client; its secret is in this answer only',
        tags: ['console'],
        body: ZCreateApiClientRequest,
        response: { 201: ZCreatedApiClient, 400: ZErrorBody },
      },
    },
    async (request, reply) => {
      const created = await apiClients.create(adminPrincipalOf(request), request.body.name);
      // The only answer that shows the secret: no cache may keep it.
      return reply.status(201).header('Cache-Control', 'no-store').send(created);
    },
  );

  app.delete(
    '/api-clients/:id',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Delete an API client; its tokens stop working at once',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
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
    {
      bodyLimit: LIMITS.productBodyBytes,
      schema: {
        summary: 'Exchange an API client id and secret for a bearer token',
        description:
          'grant_type=client_credentials with client_id and client_secret, form-encoded or JSON. The token is sent as ' +
          '`Authorization: Bearer <token>` to these /api/console routes: GET /registrations, POST /registrations/bulk-remove, ' +
          'DELETE /registrations/:id, GET /registrations.csv, GET /license-servers, GET /license-servers/:id, ' +
          'GET and DELETE /license-servers/:id/usage, GET /license-servers/:id/usage.csv, GET /usage/overview, ' +
          'GET /usage/overview.csv (changes only with a full ' +
          "creator's role). 401 invalid_client for a wrong id or secret.",
        tags: ['api clients'],
        body: ZTokenRequest,
        response: { 200: ZTokenResponse, 401: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return apiClients.exchange(request.body.client_id, request.body.client_secret, request.ip);
    },
  );
};
