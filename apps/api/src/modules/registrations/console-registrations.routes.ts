import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import {
  ZBulkRemoveRequest,
  ZBulkRemoveResult,
  ZCodePreview,
  ZCodeRequest,
  ZDenyRequest,
  DECISION_BODY_BYTES,
  ZIdParams,
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
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { adminPrincipalOf, principalOf } from '../../lib/principal.ts';
import type { PendingApprovals } from './pending-approvals.service.ts';
import type { RegistrationService } from './registrations.service.ts';

export const consoleRegistrationRoutes: FastifyPluginAsyncZod<{
  registrations: RegistrationService;
  pendingApprovals: PendingApprovals;
}> = async (app, { registrations, pendingApprovals }) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);
  const codeErrors = { 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 410: ZErrorBody, 429: ZErrorBody };

  app.post(
    '/registrations/preview',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Look a code up without using it',
        tags: ['console'],
        body: ZCodeRequest,
        response: { 200: ZCodePreview, ...codeErrors },
      },
    },
    async (request) => registrations.preview(adminPrincipalOf(request), request.body.code),
  );

  app.post(
    '/registrations',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Register the product that shows this code',
        tags: ['console'],
        body: ZCodeRequest,
        response: { 201: ZRegistration, ...codeErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registrations.register(adminPrincipalOf(request), request.body.code)),
  );

  app.post(
    '/registrations/deny',
    {
      bodyLimit: DECISION_BODY_BYTES,
      schema: {
        summary: 'Refuse a code the admin does not recognise, or deny registrations waiting for approval',
        description:
          '`{code}`: 204. `{ids}` (1 to 1,000): 200 `{denied, notFound}`, in one transaction; an id that is not a ' +
          'pending-approval registration of the customer is notFound. Never both.',
        tags: ['console'],
        body: ZDenyRequest,
        response: { 200: ZDenyRegistrationsResult, 204: ZNoContent, ...codeErrors },
      },
    },
    async (request, reply) => {
      const admin = adminPrincipalOf(request);
      if ('ids' in request.body) return reply.status(200).send(await pendingApprovals.deny(admin, request.body.ids));
      await registrations.deny(admin, request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/registrations/approve',
    {
      bodyLimit: DECISION_BODY_BYTES,
      schema: {
        summary: 'Approve registrations waiting for approval (1 to 1,000, one transaction)',
        tags: ['console'],
        body: ZApproveRegistrationsRequest,
        response: { 200: ZApproveRegistrationsResult, 400: ZErrorBody },
      },
    },
    async (request) => pendingApprovals.approve(adminPrincipalOf(request), request.body.ids),
  );

  app.get(
    '/registrations',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'Active registrations, keyset-paginated',
        tags: ['console'],
        querystring: ZListRegistrationsQuery,
        response: { 200: ZRegistrationList },
      },
    },
    async (request) => registrations.list(principalOf(request), request.query),
  );

  app.post(
    '/registrations/bulk-remove',
    {
      config: { allowApiClients: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Remove many registrations in one transaction',
        tags: ['console'],
        body: ZBulkRemoveRequest,
        response: { 200: ZBulkRemoveResult, 400: ZErrorBody },
      },
    },
    async (request) => registrations.removeManyByAdmin(principalOf(request), request.body.ids),
  );

  app.delete(
    '/registrations/:id',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'Remove a registration in any state',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await registrations.removeByAdmin(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
