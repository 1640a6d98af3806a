import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZSessionResponse, ZSignInRequest } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SESSION_COOKIE, adminOf } from '../../plugins/console-auth.ts';
import { toSessionResponse, type SessionService } from './session.service.ts';

interface Options {
  sessions: SessionService;
  secureCookie: boolean;
  maxAgeSeconds: number;
}

export const sessionRoutes: FastifyPluginAsyncZod<Options> = async (app, { sessions, secureCookie, maxAgeSeconds }) => {
  app.post(
    '/session',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Sign in',
        tags: ['console'],
        body: ZSignInRequest,
        response: { 200: ZSessionResponse, 401: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      const { token, session } = await sessions.signIn(request.body, request.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        signed: true,
        maxAge: maxAgeSeconds,
      });
      return session;
    },
  );

  app.get(
    '/session',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'The signed-in admin (and the CSRF token, after a reload)',
        tags: ['console'],
        response: { 200: ZSessionResponse, 401: ZErrorBody },
      },
    },
    async (request) => toSessionResponse(adminOf(request)),
  );

  app.delete(
    '/session',
    {
      preValidation: app.requireAdmin,
      schema: { summary: 'Sign out', tags: ['console'], response: { 204: ZNoContent, 401: ZErrorBody } },
    },
    async (request, reply) => {
      await sessions.signOut(adminOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
};
