import { LIMITS, ZErrorBody } from '@reg/contracts/common';
import { ZIdParams, ZRegistration, ZRegistrationTagsRequest } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { principalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { RegistrationTags } from './registration-tags.service.ts';

/** Tags on a registration (docs/protocol.md, "Tags"): a route of its own beside the list's. */
export const registrationTagsRoutes: FastifyPluginAsyncZod<{ registrationTags: RegistrationTags }> = async (
  app,
  { registrationTags },
) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF or a read-only role), whatever the body.
  app.addHook('preValidation', app.requireAdmin);
  app.patch(
    '/registrations/:id',
    {
      config: { allowApiClients: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Replace a registration's tags",
        tags: ['console'],
        params: ZIdParams,
        body: ZRegistrationTagsRequest,
        response: { 200: ZRegistration, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => {
      if (!isUuid(request.params.id)) throw notFound();
      return registrationTags.changeTags(principalOf(request), request.params.id, request.body.tags);
    },
  );
};
