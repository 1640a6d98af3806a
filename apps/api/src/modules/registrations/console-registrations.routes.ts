import { ZNoContent } from '@reg/contracts/common';
import {
  ZBulkRemoveRequest,
  ZBulkRemoveResult,
  ZCodePreview,
  ZCodeRequest,
  ZDenyRequest,
  DECISION_BODY_BYTES,
  ZListRegistrationsQuery,
  ZRegistration,
  ZRegistrationList,
} from '@reg/contracts/console-api';
import {
  ZApproveRegistrationsRequest,
  ZApproveRegistrationsResult,
  ZDenyRegistrationsResult,
} from '@reg/contracts/registration-keys-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf, principalOf } from '../../lib/principal.ts';
import { consoleRoute, type ErrorStatus } from '../../lib/route.ts';
import type { PendingApprovals } from './pending-approvals.service.ts';
import type { RegistrationService } from './registrations.service.ts';

/** What looking a code up may answer besides its success. */
const CODE_ERRORS = [400, 404, 409, 410, 429] as const satisfies readonly ErrorStatus[];

export const consoleRegistrationRoutes: FastifyPluginAsyncZod<{
  registrations: RegistrationService;
  pendingApprovals: PendingApprovals;
}> = async (app, { registrations, pendingApprovals }) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);
  const apiClientsToo = { config: { allowApiClients: true } };

  app.post(
    '/registrations/preview',
    consoleRoute({
      summary: 'Look a code up without using it',
      body: ZCodeRequest,
      response: { 200: ZCodePreview },
      errors: CODE_ERRORS,
    }),
    async (request) => registrations.preview(adminPrincipalOf(request), request.body.code),
  );

  app.post(
    '/registrations',
    consoleRoute({
      summary: 'Register the product that shows this code',
      body: ZCodeRequest,
      response: { 201: ZRegistration },
      errors: CODE_ERRORS,
    }),
    async (request, reply) =>
      reply.status(201).send(await registrations.register(adminPrincipalOf(request), request.body.code)),
  );

  app.post(
    '/registrations/deny',
    consoleRoute({
      summary: 'Refuse a code the admin does not recognise, or deny registrations waiting for approval',
      description:
        '`{code}`: 204. `{ids}` (1 to 1,000): 200 `{denied, notFound}`, in one transaction; an id that is not a ' +
        'pending-approval registration of the customer is notFound. Never both.',
      bodyLimit: DECISION_BODY_BYTES,
      body: ZDenyRequest,
      response: { 200: ZDenyRegistrationsResult, 204: ZNoContent },
      errors: CODE_ERRORS,
    }),
    async (request, reply) => {
      const admin = adminPrincipalOf(request);
      if ('ids' in request.body) return reply.status(200).send(await pendingApprovals.deny(admin, request.body.ids));
      await registrations.deny(admin, request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/registrations/approve',
    consoleRoute({
      summary: 'Approve registrations waiting for approval (1 to 1,000, one transaction)',
      bodyLimit: DECISION_BODY_BYTES,
      body: ZApproveRegistrationsRequest,
      response: { 200: ZApproveRegistrationsResult },
      errors: [400],
    }),
    async (request) => pendingApprovals.approve(adminPrincipalOf(request), request.body.ids),
  );

  app.get(
    '/registrations',
    consoleRoute(
      {
        summary: 'Active registrations, keyset-paginated',
        querystring: ZListRegistrationsQuery,
        response: { 200: ZRegistrationList },
      },
      apiClientsToo,
    ),
    async (request) => registrations.list(principalOf(request), request.query),
  );

  app.post(
    '/registrations/bulk-remove',
    consoleRoute(
      {
        summary: 'Remove many registrations in one transaction',
        body: ZBulkRemoveRequest,
        response: { 200: ZBulkRemoveResult },
        errors: [400],
      },
      apiClientsToo,
    ),
    async (request) => registrations.removeManyByAdmin(principalOf(request), request.body.ids),
  );

  app.delete(
    '/registrations/:id',
    consoleRoute(
      { summary: 'Remove a registration in any state', id: true, response: { 204: ZNoContent }, errors: [404] },
      apiClientsToo,
    ),
    async (request, reply) => {
      await registrations.removeByAdmin(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
