import { ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZRegistrationStatusResponse } from '@reg/contracts/product-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RegistrationService } from './registrations.service.ts';

/** The product's side of its registration, behind its bearer credential. */
export const productRegistrationRoutes: FastifyPluginAsyncZod<{ registrations: RegistrationService }> = async (
  app,
  { registrations },
) => {
  app.get(
    '/registration',
    {
      schema: {
        summary: 'Confirm the registration (heartbeat)',
        tags: ['product'],
        security: [{ productCredential: [] }],
        response: { 200: ZRegistrationStatusResponse, 401: ZErrorBody },
      },
    },
    async (request) => registrations.heartbeat(await registrations.authenticateProduct(request.headers.authorization)),
  );

  app.delete(
    '/registration',
    {
      schema: {
        summary: 'The product removes its own registration',
        tags: ['product'],
        security: [{ productCredential: [] }],
        response: { 204: ZNoContent, 401: ZErrorBody },
      },
    },
    async (request, reply) => {
      await registrations.removeByProduct(await registrations.authenticateProduct(request.headers.authorization));
      return reply.status(204).send(null);
    },
  );
};
