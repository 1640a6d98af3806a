import { ZNoContent } from '@reg/contracts/common';
import { ZSessionResponse } from '@reg/contracts/console-api';
import {
  ZMfaSignInRequest,
  ZMfaStatus,
  ZPasswordConfirmation,
  ZRecoveryCodes,
  ZTotpConfirmRequest,
  ZTotpEnrollment,
} from '@reg/contracts/identity-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import { sessionCookieName } from '../../plugins/console-auth.ts';
import type { MfaSignInService } from '../session/mfa-sign-in.service.ts';
import { setSessionCookie, type SessionCookieOptions } from '../session/session-cookie.ts';
import { clientOf } from '../session/session.routes.ts';
import type { MfaService } from './mfa.service.ts';

interface Options extends SessionCookieOptions {
  mfa: MfaService;
  mfaSignIn: MfaSignInService;
}

/** No body, or an empty object: nothing else. */
const ZNothing = z.strictObject({}).nullish();

/**
 * The caller's own two-step verification: open to read-only admins (it is their own account) and
 * to a session that must enrol (the restriction it lifts); closed to API clients. The second
 * step of a sign-in is open to the pending sign-in's cookie only (Origin checked, no CSRF token).
 */
export const mfaRoutes: FastifyPluginAsyncZod<Options> = async (app, { mfa, mfaSignIn, publicUrl, maxAgeSeconds }) => {
  const own = {
    preValidation: app.requireAdmin,
    config: { readOnlyAllowed: true, allowedWhileRestricted: ['mfa'] },
  } as const;
  const ownWithPassword = { preValidation: app.requireAdmin, config: { readOnlyAllowed: true } };
  const cookieName = sessionCookieName(publicUrl);

  app.get(
    '/session/mfa',
    consoleRoute(
      {
        summary: 'Whether you have two-step verification on, and your unused recovery codes',
        response: { 200: ZMfaStatus },
        errors: [401],
        noStore: true,
      },
      own,
    ),
    async (request) => mfa.status(adminPrincipalOf(request)),
  );

  app.post(
    '/session/mfa/totp',
    consoleRoute(
      {
        summary: 'Start setting up two-step verification: a new secret for the authenticator app',
        body: ZNothing,
        response: { 200: ZTotpEnrollment },
        errors: [409],
        noStore: true,
      },
      own,
    ),
    async (request) => mfa.startEnrollment(adminPrincipalOf(request)),
  );

  app.post(
    '/session/mfa/totp/confirm',
    consoleRoute(
      {
        summary: 'Turn two-step verification on with a code from the app: ten recovery codes, shown once',
        body: ZTotpConfirmRequest,
        response: { 200: ZRecoveryCodes },
        errors: [400, 409],
        noStore: true,
      },
      own,
    ),
    async (request) => mfa.confirmEnrollment(adminPrincipalOf(request), request.body.code),
  );

  app.delete(
    '/session/mfa/totp',
    consoleRoute(
      {
        summary: 'Turn two-step verification off (your password): the recovery codes die',
        body: ZPasswordConfirmation,
        response: { 204: ZNoContent },
        errors: [400, 403, 409, 429],
      },
      ownWithPassword,
    ),
    async (request, reply) => {
      await mfa.disable(adminPrincipalOf(request), request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/session/mfa/recovery-codes',
    consoleRoute(
      {
        summary: 'Ten new recovery codes (your password): the old ones die',
        body: ZPasswordConfirmation,
        response: { 200: ZRecoveryCodes },
        errors: [400, 403, 409, 429],
        noStore: true,
      },
      ownWithPassword,
    ),
    async (request) => mfa.renewRecoveryCodes(adminPrincipalOf(request), request.body.password, request.ip),
  );

  app.post(
    '/session/mfa',
    consoleRoute({
      summary: 'The second step of a password sign-in: a code from the app or a recovery code',
      body: ZMfaSignInRequest,
      response: { 200: ZSessionResponse },
      // 403 sso_required: single sign-on became enforced (or break-glass was taken away) between the steps.
      errors: [400, 401, 403, 429],
    }),
    async (request, reply) => {
      const raw = request.cookies[cookieName];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      const pending = unsigned?.valid ? unsigned.value : null;
      const { token, session } = await mfaSignIn.complete(pending, request.body, clientOf(request));
      setSessionCookie(reply, token, { publicUrl, maxAgeSeconds });
      return session;
    },
  );
};
