import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import {
  ZCreateRegistrationKeyRequest,
  ZCreatedRegistrationKey,
  ZListRegistrationKeysQuery,
  ZRegistrationKeyList,
} from '@reg/contracts/registration-keys-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { adminPrincipalOf, principalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { RegistrationKeyService } from './registration-keys.service.ts';

/**
 * Registration keys: every principal of the customer lists them (API clients too); only a
 * signed-in full admin creates or revokes (console-auth refuses read-only admins with 403
 * forbidden, and API clients with 403 access_denied on routes not open to them).
 */
export const registrationKeyRoutes: FastifyPluginAsyncZod<{ registrationKeys: RegistrationKeyService }> = async (
  app,
  { registrationKeys },
) => {
  app.get(
    '/registration-keys',
    {
      preValidation: app.requireAdmin,
      config: { allowApiClients: true },
      schema: {
        summary: 'Registration keys of the customer, newest first',
        tags: ['console'],
        querystring: ZListRegistrationKeysQuery,
        response: { 200: ZRegistrationKeyList, 400: ZErrorBody },
      },
    },
    async (request) => registrationKeys.list(principalOf(request), request.query),
  );

  app.post(
    '/registration-keys',
    {
      preValidation: app.requireAdmin,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Create a registration key; its secret is in this answer only',
        tags: ['console'],
        body: ZCreateRegistrationKeyRequest,
        response: { 201: ZCreatedRegistrationKey, 400: ZErrorBody, 403: ZErrorBody },
      },
    },
    async (request, reply) => {
      const created = await registrationKeys.create(adminPrincipalOf(request), request.body);
      // The only answer that shows the secret: no cache may keep it.
      return reply.status(201).header('Cache-Control', 'no-store').send(created);
    },
  );

  app.delete(
    '/registration-keys/:id',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Revoke a registration key: no registration with it commits after the 204',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await registrationKeys.revoke(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
