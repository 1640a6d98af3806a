import { ZAddAdminRequest, ZAddedAdmin, ZAdmin, ZAdminList, ZUpdateAdminRequest } from '@reg/contracts/admins-api';
import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { AdminService } from './admins.service.ts';

/** Administrators of the customer, managed by signed-in admins only (never by an API client). */
export const adminRoutes: FastifyPluginAsyncZod<{ admins: AdminService }> = async (app, { admins }) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/admins',
    { schema: { summary: 'Administrators of the customer', tags: ['console'], response: { 200: ZAdminList } } },
    async (request) => ({ items: await admins.list(adminPrincipalOf(request)) }),
  );

  app.post(
    '/admins',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Add an administrator; the generated password is in this answer only',
        tags: ['console'],
        body: ZAddAdminRequest,
        response: { 201: ZAddedAdmin, 400: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await admins.add(adminPrincipalOf(request), request.body)),
  );

  app.patch(
    '/admins/:id',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Change an administrator's role (applies from their next request), break-glass, or both",
        tags: ['console'],
        params: ZIdParams,
        body: ZUpdateAdminRequest,
        response: { 200: ZAdmin, 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request) => {
      if (!isUuid(request.params.id)) throw notFound();
      return admins.update(adminPrincipalOf(request), request.params.id, request.body);
    },
  );

  app.delete(
    '/admins/:id',
    {
      schema: {
        summary: 'Remove an administrator: their sessions end and their API clients are deleted',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await admins.remove(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
