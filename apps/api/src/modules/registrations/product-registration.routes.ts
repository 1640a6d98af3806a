import { ZErrorBody, ZNoContent } from '@reg/contracts/common';
import {
  ZKeyRegistrationPending,
  ZKeyRegistrationRequest,
  ZPollRegistered,
  ZRegistrationStatusResponse,
} from '@reg/contracts/product-api';
import { LIMITS } from '@reg/contracts/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { KeyRegistrations } from './key-registrations.service.ts';
import { fingerprintOf, type CloneDetection } from './clone-detection.service.ts';
import type { RegistrationService } from './registrations.service.ts';

/** The product's side of its registration: by key, then behind its bearer credential (and from its machine: clone detection). */
export const productRegistrationRoutes: FastifyPluginAsyncZod<{
  registrations: RegistrationService;
  keyRegistrations: KeyRegistrations;
  cloneDetection: CloneDetection;
}> = async (app, { registrations, keyRegistrations, cloneDetection }) => {
  app.post(
    '/registrations',
    {
      bodyLimit: LIMITS.productBodyBytes,
      schema: {
        summary: 'Register with a registration key',
        description:
          "201 registered (the credential, as the code flow's poll gives it) for an automatic key; 202 pending-approval " +
          'with a poll token for POST /codes/poll for a manual one. 401 invalid_registration_key for any key that is ' +
          'unknown, malformed, expired, used up or revoked; 429 once the address has too many refused keys; 409 ' +
          'duplicate_instance when the server is registered and alive on another machine (X-Machine-Fingerprint).',
        tags: ['product'],
        body: ZKeyRegistrationRequest,
        response: {
          201: ZPollRegistered,
          202: ZKeyRegistrationPending,
          400: ZErrorBody,
          401: ZErrorBody,
          409: ZErrorBody,
          422: ZErrorBody,
          429: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      // A malformed fingerprint is the request's fault: 400 before any key is looked at.
      const fingerprint = fingerprintOf(request);
      const answer = await keyRegistrations.register(request.body, { requestedFrom: request.ip, fingerprint });
      // The 201 carries a credential: no cache may keep it.
      return reply.status(answer.status).header('Cache-Control', 'no-store').send(answer.body);
    },
  );

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
