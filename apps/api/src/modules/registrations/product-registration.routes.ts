import { ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZRegistrationStatusResponse } from '@reg/contracts/product-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CloneDetection } from './clone-detection.service.ts';
import type { RegistrationService } from './registrations.service.ts';

/** The product's side of its registration, behind its bearer credential (and from its machine: clone detection). */
export const productRegistrationRoutes: FastifyPluginAsyncZod<{
  registrations: RegistrationService;
  cloneDetection: CloneDetection;
}> = async (app, { registrations, cloneDetection }) => {
  app.get(
    '/registration',
    {
      schema: {
        summary: 'Confirm the registration (heartbeat)',
        tags: ['product'],
        security: [{ productCredential: [] }],
        response: { 200: ZRegistrationStatusResponse, 400: ZErrorBody, 401: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request) => registrations.heartbeat(await cloneDetection.authenticate(request)),
  );

  app.delete(
    '/registration',
    {
      schema: {
        summary: 'The product removes its own registration',
        tags: ['product'],
        security: [{ productCredential: [] }],
        response: { 204: ZNoContent, 400: ZErrorBody, 401: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      await registrations.removeByProduct(await cloneDetection.authenticate(request));
      return reply.status(204).send(null);
    },
  );
};
