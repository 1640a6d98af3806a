import { ZNoContent } from '@reg/contracts/common';
import {
  ZChangePasswordRequest,
  ZCompletePasswordResetRequest,
  ZOwnSessionList,
  ZPasswordResetRequest,
} from '@reg/contracts/identity-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { AccountService } from './account.service.ts';
import type { PasswordResetService } from './password-reset.service.ts';

interface Options {
  account: AccountService;
  passwordResets: PasswordResetService;
}

/**
 * The caller's own account (password, sessions): open to read-only admins, since it changes only
 * their own account, and closed to API clients (requireAdmin refuses bearer tokens here).
 * Forgot-password is open to signed-out visitors (Origin checked, no CSRF token).
 */
export const accountRoutes: FastifyPluginAsyncZod<Options> = async (app, { account, passwordResets }) => {
  const own = { preValidation: app.requireAdmin, config: { readOnlyAllowed: true } } as const;

  app.put(
    '/session/password',
    consoleRoute(
      {
        summary: 'Change your password: your other sessions end, this one stays',
        body: ZChangePasswordRequest,
        response: { 204: ZNoContent },
        errors: [400, 403, 409, 429],
      },
      { ...own, config: { ...own.config, allowedWhileRestricted: ['password', 'mfa'] } },
    ),
    async (request, reply) => {
      await account.changePassword(adminPrincipalOf(request), request.body, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sessions',
    consoleRoute(
      { summary: 'Your live sessions, newest first', response: { 200: ZOwnSessionList }, errors: [401], noStore: true },
      { preValidation: app.requireAdmin },
    ),
    async (request) => ({ items: await account.listSessions(adminPrincipalOf(request)) }),
  );

  app.delete(
    '/sessions/:id',
    consoleRoute(
      { summary: 'End one of your sessions (this one too)', id: true, response: { 204: ZNoContent }, errors: [404] },
      own,
    ),
    async (request, reply) => {
      await account.endSession(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/sessions',
    consoleRoute({ summary: 'End all your sessions but this one', response: { 204: ZNoContent } }, own),
    async (request, reply) => {
      await account.endOtherSessions(adminPrincipalOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/password-reset',
    consoleRoute({
      summary: 'Mail a password reset link (the same answer for any address)',
      body: ZPasswordResetRequest,
      response: { 202: z.undefined().describe('No content') },
      errors: [400, 429],
    }),
    async (request, reply) => {
      await passwordResets.request(request.body.email, request.ip);
      // An empty body, as the contract says: nothing in it could tell a known address from another.
      return reply.status(202).send();
    },
  );

  app.post(
    '/password-reset/complete',
    consoleRoute({
      summary: "Set a new password with a reset link's token: every session of the person ends",
      body: ZCompletePasswordResetRequest,
      response: { 204: ZNoContent },
      errors: [400, 404, 410],
    }),
    async (request, reply) => {
      await passwordResets.complete(request.body);
      return reply.status(204).send(null);
    },
  );
};
