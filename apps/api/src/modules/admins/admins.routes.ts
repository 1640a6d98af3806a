import { ZAddAdminRequest, ZAdmin, ZAdminList, ZInvitedAdmin, ZUpdateAdminRequest } from '@reg/contracts/admins-api';
import { ZNoContent } from '@reg/contracts/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { AdminService } from './admins.service.ts';
import type { InvitationService } from './invitations.service.ts';

/** Administrators of the customer, managed by signed-in admins only (never by an API client). */
export const adminRoutes: FastifyPluginAsyncZod<{ admins: AdminService; invitations: InvitationService }> = async (
  app,
  { admins, invitations },
) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/admins',
    consoleRoute({ summary: 'Administrators of the customer', response: { 200: ZAdminList } }),
    async (request) => ({ items: await admins.list(adminPrincipalOf(request)) }),
  );

  app.post(
    '/admins',
    consoleRoute({
      summary: 'Invite an administrator; the invitation link is in this answer only (and mailed when SMTP is set)',
      body: ZAddAdminRequest,
      response: { 201: ZInvitedAdmin },
      errors: [400, 409],
      // The answer holds a live link.
      noStore: true,
    }),
    async (request, reply) => reply.status(201).send(await admins.invite(adminPrincipalOf(request), request.body)),
  );

  app.post(
    '/admins/:id/invitation',
    consoleRoute({
      summary: 'A new invitation link for an invited administrator (the earlier one dies)',
      id: true,
      response: { 200: ZInvitedAdmin },
      errors: [404, 409],
      noStore: true,
    }),
    async (request) => invitations.renew(adminPrincipalOf(request), request.params.id),
  );

  app.patch(
    '/admins/:id',
    consoleRoute({
      summary: "Change an administrator's role (applies from their next request), break-glass, or both",
      id: true,
      body: ZUpdateAdminRequest,
      response: { 200: ZAdmin },
      errors: [400, 404, 409],
    }),
    async (request) => admins.update(adminPrincipalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/admins/:id',
    consoleRoute({
      summary: 'Remove an administrator: their sessions end and their API clients are deleted',
      id: true,
      response: { 204: ZNoContent },
      errors: [404, 409],
    }),
    async (request, reply) => {
      await admins.remove(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
