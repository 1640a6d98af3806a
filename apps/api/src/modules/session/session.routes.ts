import { ZNoContent } from '@reg/contracts/common';
import { ZSessionResponse, ZSignInRequest } from '@reg/contracts/console-api';
import { MFA_METHODS, ZMfaRequired } from '@reg/contracts/identity-api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import { clearSessionCookie, setSessionCookie, type SessionCookieOptions } from './session-cookie.ts';
import type { SessionService } from './session.service.ts';

/** `?probe=1`: signed out answers 204 instead of 401 (other query parameters are ignored, as before). */
const ZSessionProbeQuery = z.object({ probe: z.literal('1').optional() });
const isProbe = (query: unknown) => (query as { probe?: unknown } | null)?.probe === '1';

/** Where a sign-in comes from, kept on the session (the admin's list of sessions shows it). */
export const clientOf = (request: FastifyRequest) => ({
  address: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

/** A pending sign-in's cookie lives as long as the pending sign-in. */
const PENDING_COOKIE_SECONDS = 5 * 60;

interface Options extends SessionCookieOptions {
  sessions: SessionService;
}

export const sessionRoutes: FastifyPluginAsyncZod<Options> = async (app, { sessions, publicUrl, maxAgeSeconds }) => {
  app.post(
    '/session',
    consoleRoute({
      summary: 'Sign in',
      description:
        'With two-step verification on, the answer is `{mfaRequired, methods}` and the cookie holds a pending ' +
        'sign-in for 5 minutes: POST /session/mfa finishes it.',
      body: ZSignInRequest,
      response: { 200: z.union([ZSessionResponse, ZMfaRequired]) },
      errors: [401, 403, 429],
    }),
    async (request, reply) => {
      const signedIn = await sessions.signIn(request.body, clientOf(request));
      if ('mfaRequired' in signedIn) {
        setSessionCookie(reply, signedIn.token, { publicUrl, maxAgeSeconds: PENDING_COOKIE_SECONDS });
        return { mfaRequired: true as const, methods: [...MFA_METHODS] };
      }
      setSessionCookie(reply, signedIn.token, { publicUrl, maxAgeSeconds });
      return signedIn.session;
    },
  );

  app.get(
    '/session',
    consoleRoute(
      {
        summary: 'The signed-in admin (and the CSRF token, after a reload)',
        description:
          'Signed out: 401 unauthenticated, or 204 with no body when asked with `?probe=1` (what the console does ' +
          'to learn whether it is signed in, without a failed request in the browser console).',
        querystring: ZSessionProbeQuery,
        response: { 200: ZSessionResponse, 204: ZNoContent },
        errors: [401],
        noStore: true,
      },
      {
        config: { allowedWhileRestricted: ['password', 'mfa'] },
        preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            await app.requireAdmin(request, reply);
          } catch (error) {
            // The console's own probe: being signed out is an ordinary answer there, not a failed
            // request for the browser to log on the sign-in page. Everyone else still gets the 401.
            if (isProbe(request.query) && error instanceof AppError && error.code === 'unauthenticated')
              return reply.status(204).send(null);
            throw error;
          }
        },
      },
    ),
    async (request) => sessions.describe(adminPrincipalOf(request)),
  );

  app.delete(
    '/session',
    consoleRoute(
      { summary: 'Sign out', response: { 204: ZNoContent }, errors: [401] },
      {
        preValidation: app.requireAdmin,
        config: { readOnlyAllowed: true, allowedWhileRestricted: ['password', 'mfa'] },
      },
    ),
    async (request, reply) => {
      await sessions.signOut(adminPrincipalOf(request));
      clearSessionCookie(reply, publicUrl);
      return reply.status(204).send(null);
    },
  );
};
