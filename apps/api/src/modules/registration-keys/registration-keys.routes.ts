import { ZNoContent } from '@reg/contracts/common';
import {
  ZCreateRegistrationKeyRequest,
  ZCreatedRegistrationKey,
  ZListRegistrationKeysQuery,
  ZRegistrationKeyList,
} from '@reg/contracts/registration-keys-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf, principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
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
    consoleRoute(
      {
        summary: 'Registration keys of the customer, newest first',
        querystring: ZListRegistrationKeysQuery,
        response: { 200: ZRegistrationKeyList },
        errors: [400],
      },
      { preValidation: app.requireAdmin, config: { allowApiClients: true } },
    ),
    async (request) => registrationKeys.list(principalOf(request), request.query),
  );

  app.post(
    '/registration-keys',
    consoleRoute(
      {
        summary: 'Create a registration key; its secret is in this answer only',
        body: ZCreateRegistrationKeyRequest,
        response: { 201: ZCreatedRegistrationKey },
        errors: [400, 403],
        // The only answer that shows the secret.
        noStore: true,
      },
      { preValidation: app.requireAdmin },
    ),
    async (request, reply) =>
      reply.status(201).send(await registrationKeys.create(adminPrincipalOf(request), request.body)),
  );

  app.delete(
    '/registration-keys/:id',
    consoleRoute(
      {
        summary: 'Revoke a registration key: no registration with it commits after the 204',
        id: true,
        response: { 204: ZNoContent },
        errors: [403, 404],
      },
      { preValidation: app.requireAdmin },
    ),
    async (request, reply) => {
      await registrationKeys.revoke(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
