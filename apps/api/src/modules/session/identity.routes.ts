import { ZAcceptInvitationRequest } from '@reg/contracts/admins-api';
import { ZSessionResponse } from '@reg/contracts/console-api';
import { ZSwitchCustomerRequest } from '@reg/contracts/identity-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { InvitationService } from '../admins/invitations.service.ts';
import { setSessionCookie, type SessionCookieOptions } from './session-cookie.ts';
import { clientOf } from './session.routes.ts';
import type { SessionService } from './session.service.ts';

interface Options extends SessionCookieOptions {
  sessions: SessionService;
  invitations: InvitationService;
}

/** Accepting an invitation and switching customers: how a person enters a customer. */
export const identityRoutes: FastifyPluginAsyncZod<Options> = async (app, options) => {
  const { sessions, invitations } = options;

  app.post(
    '/invitations/accept',
    consoleRoute({
      summary: 'Accept an invitation (signed out with a new password, or signed in as the invited person)',
      description:
        'Open to signed-out visitors: the Origin is checked, no CSRF token is needed. A person who exists ' +
        'already (an admin of another customer) accepts from their own session: 403 sign_in_required otherwise.',
      body: ZAcceptInvitationRequest,
      response: { 200: ZSessionResponse },
      errors: [400, 403, 404, 410],
    }),
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
    consoleRoute(
      {
        summary: 'Enter another customer the signed-in person administers (a new CSRF token)',
        body: ZSwitchCustomerRequest,
        response: { 200: ZSessionResponse },
        errors: [400, 403, 404],
        noStore: true,
      },
      { preValidation: app.requireAdmin, config: { readOnlyAllowed: true } },
    ),
    async (request) => sessions.switchCustomer(adminPrincipalOf(request), request.body.customerId),
  );
};
