import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import {
  ZChangePasswordRequest,
  ZCompletePasswordResetRequest,
  ZOwnSessionList,
  ZPasswordResetRequest,
} from '@reg/contracts/identity-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
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
  const own = { readOnlyAllowed: true } as const;

  app.put(
    '/session/password',
    {
      preValidation: app.requireAdmin,
      config: { ...own, allowedWhileRestricted: ['password', 'mfa'] },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Change your password: your other sessions end, this one stays',
        tags: ['console'],
        body: ZChangePasswordRequest,
        response: { 204: ZNoContent, 400: ZErrorBody, 403: ZErrorBody, 409: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      await account.changePassword(adminPrincipalOf(request), request.body, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sessions',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Your live sessions, newest first',
        tags: ['console'],
        response: { 200: ZOwnSessionList, 401: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { items: await account.listSessions(adminPrincipalOf(request)) };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      preValidation: app.requireAdmin,
      config: own,
      schema: {
        summary: 'End one of your sessions (this one too)',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await account.endSession(adminPrincipalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/sessions',
    {
      preValidation: app.requireAdmin,
      config: own,
      schema: { summary: 'End all your sessions but this one', tags: ['console'], response: { 204: ZNoContent } },
    },
    async (request, reply) => {
      await account.endOtherSessions(adminPrincipalOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/password-reset',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Mail a password reset link (the same answer for any address)',
        tags: ['console'],
        body: ZPasswordResetRequest,
        response: { 202: z.undefined().describe('No content'), 400: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      await passwordResets.request(request.body.email, request.ip);
      // An empty body, as the contract says: nothing in it could tell a known address from another.
      return reply.status(202).send();
    },
  );

  app.post(
    '/password-reset/complete',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Set a new password with a reset link's token: every session of the person ends",
        tags: ['console'],
        body: ZCompletePasswordResetRequest,
        response: { 204: ZNoContent, 400: ZErrorBody, 404: ZErrorBody, 410: ZErrorBody },
      },
    },
    async (request, reply) => {
      await passwordResets.complete(request.body);
      return reply.status(204).send(null);
    },
  );
};
