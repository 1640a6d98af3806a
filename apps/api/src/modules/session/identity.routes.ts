import { ZAcceptInvitationRequest } from '@reg/contracts/admins-api';
import { LIMITS, ZErrorBody } from '@reg/contracts/common';
import { ZSessionResponse } from '@reg/contracts/console-api';
import { ZSwitchCustomerRequest } from '@reg/contracts/identity-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import type { InvitationService } from '../admins/invitations.service.ts';
import { setSessionCookie } from './session-cookie.ts';
import { clientOf } from './session.routes.ts';
import type { SessionService } from './session.service.ts';

interface Options {
  sessions: SessionService;
  invitations: InvitationService;
  publicUrl: string;
  maxAgeSeconds: number;
}

/** Accepting an invitation and switching customers: how a person enters a customer. */
export const identityRoutes: FastifyPluginAsyncZod<Options> = async (app, options) => {
  const { sessions, invitations } = options;

  app.post(
    '/invitations/accept',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Accept an invitation (signed out with a new password, or signed in as the invited person)',
        description:
          'Open to signed-out visitors: the Origin is checked, no CSRF token is needed. A person who exists ' +
          'already (an admin of another customer) accepts from their own session: 403 sign_in_required otherwise.',
        tags: ['console'],
        body: ZAcceptInvitationRequest,
        response: { 200: ZSessionResponse, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody, 410: ZErrorBody },
      },
    },
    async (request, reply) => {
      const signedIn = await app.sessionOf(request);
      const { token, session } = await invitations.accept(request.body, signedIn, clientOf(request));
      reply.header('Cache-Control', 'no-store');
      if (token) setSessionCookie(reply, token, options);
      return session;
    },
  );

  app.put(
    '/session/customer',
    {
      preValidation: app.requireAdmin,
      config: { readOnlyAllowed: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Enter another customer the signed-in person administers (a new CSRF token)',
        tags: ['console'],
        body: ZSwitchCustomerRequest,
        response: { 200: ZSessionResponse, 400: ZErrorBody, 403: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return sessions.switchCustomer(adminPrincipalOf(request), request.body.customerId);
    },
  );
};
