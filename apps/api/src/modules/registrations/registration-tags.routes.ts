import { ZRegistration, ZRegistrationTagsRequest } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
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
    consoleRoute(
      {
        summary: "Replace a registration's tags",
        id: true,
        body: ZRegistrationTagsRequest,
        response: { 200: ZRegistration },
        errors: [400, 404],
      },
      { config: { allowApiClients: true } },
    ),
    async (request) => registrationTags.changeTags(principalOf(request), request.params.id, request.body.tags),
  );
};
