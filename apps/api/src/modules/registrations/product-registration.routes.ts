import { LIMITS, ZNoContent } from '@reg/contracts/common';
import {
  ZKeyRegistrationPending,
  ZKeyRegistrationRequest,
  ZPollRegistered,
  ZRegistrationStatusResponse,
} from '@reg/contracts/product-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { productRoute } from '../../lib/route.ts';
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
    productRoute({
      summary: 'Register with a registration key',
      description:
        "201 registered (the credential, as the code flow's poll gives it) for an automatic key; 202 pending-approval " +
        'with a poll token for POST /codes/poll for a manual one. 401 invalid_registration_key for any key that is ' +
        'unknown, malformed, expired, used up or revoked; 429 once the address has too many refused keys; 409 ' +
        'duplicate_instance when the server is registered and alive on another machine (X-Machine-Fingerprint).',
      bodyLimit: LIMITS.productBodyBytes,
      body: ZKeyRegistrationRequest,
      response: { 201: ZPollRegistered, 202: ZKeyRegistrationPending },
      errors: [400, 401, 409, 422, 429],
    }),
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
    productRoute({
      summary: 'Confirm the registration (heartbeat)',
      security: [{ productCredential: [] }],
      response: { 200: ZRegistrationStatusResponse },
      errors: [400, 401, 409],
    }),
    async (request) => registrations.heartbeat(await cloneDetection.authenticate(request)),
  );

  app.delete(
    '/registration',
    productRoute({
      summary: 'The product removes its own registration',
      security: [{ productCredential: [] }],
      response: { 204: ZNoContent },
      errors: [400, 401, 409],
    }),
    async (request, reply) => {
      await registrations.removeByProduct(await cloneDetection.authenticate(request));
      return reply.status(204).send(null);
    },
  );
};
