import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZSessionResponse, ZSignInRequest } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminOf, sessionCookieName } from '../../plugins/console-auth.ts';
import { toSessionResponse, type SessionService } from './session.service.ts';

interface Options {
  sessions: SessionService;
  publicUrl: string;
  maxAgeSeconds: number;
}

export const sessionRoutes: FastifyPluginAsyncZod<Options> = async (app, { sessions, publicUrl, maxAgeSeconds }) => {
  const cookieName = sessionCookieName(publicUrl);
  const secureCookie = publicUrl.startsWith('https://');
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
      // The answer carries the CSRF token: no cache may keep it.
      reply.header('Cache-Control', 'no-store');
      reply.setCookie(cookieName, token, {
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
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return toSessionResponse(adminOf(request));
    },
  );

  app.delete(
    '/session',
    {
      preValidation: app.requireAdmin,
      schema: { summary: 'Sign out', tags: ['console'], response: { 204: ZNoContent, 401: ZErrorBody } },
    },
    async (request, reply) => {
      await sessions.signOut(adminOf(request));
      reply.clearCookie(cookieName, { path: '/', secure: secureCookie });
      return reply.status(204).send(null);
    },
  );
};
