import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
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
import { sessionCookieName } from '../../plugins/console-auth.ts';
import type { MfaSignInService } from '../session/mfa-sign-in.service.ts';
import { setSessionCookie } from '../session/session-cookie.ts';
import { clientOf } from '../session/session.routes.ts';
import type { MfaService } from './mfa.service.ts';

interface Options {
  mfa: MfaService;
  mfaSignIn: MfaSignInService;
  publicUrl: string;
  maxAgeSeconds: number;
}

/** No body, or an empty object: nothing else. */
const ZNothing = z.strictObject({}).nullish();

/**
 * The caller's own two-step verification: open to read-only admins (it is their own account) and
 * to a session that must enrol (the restriction it lifts); closed to API clients. The second
 * step of a sign-in is open to the pending sign-in's cookie only (Origin checked, no CSRF token).
 */
export const mfaRoutes: FastifyPluginAsyncZod<Options> = async (app, { mfa, mfaSignIn, publicUrl, maxAgeSeconds }) => {
  const own = { readOnlyAllowed: true, allowedWhileRestricted: ['mfa'] } as const;
  const cookieName = sessionCookieName(publicUrl);

  app.get(
    '/session/mfa',
    {
      preValidation: app.requireAdmin,
      config: own,
      schema: {
        summary: 'Whether you have two-step verification on, and your unused recovery codes',
        tags: ['console'],
        response: { 200: ZMfaStatus, 401: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return mfa.status(adminPrincipalOf(request));
    },
  );

  app.post(
    '/session/mfa/totp',
    {
      preValidation: app.requireAdmin,
      config: own,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Start setting up two-step verification: a new secret for the authenticator app',
        tags: ['console'],
        body: ZNothing,
        response: { 200: ZTotpEnrollment, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return mfa.startEnrollment(adminPrincipalOf(request));
    },
  );

  app.post(
    '/session/mfa/totp/confirm',
    {
      preValidation: app.requireAdmin,
      config: own,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Turn two-step verification on with a code from the app: ten recovery codes, shown once',
        tags: ['console'],
        body: ZTotpConfirmRequest,
        response: { 200: ZRecoveryCodes, 400: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return mfa.confirmEnrollment(adminPrincipalOf(request), request.body.code);
    },
  );

  app.delete(
    '/session/mfa/totp',
    {
      preValidation: app.requireAdmin,
      config: { readOnlyAllowed: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Turn two-step verification off (your password): the recovery codes die',
        tags: ['console'],
        body: ZPasswordConfirmation,
        response: { 204: ZNoContent, 400: ZErrorBody, 403: ZErrorBody, 409: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      await mfa.disable(adminPrincipalOf(request), request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/session/mfa/recovery-codes',
    {
      preValidation: app.requireAdmin,
      config: { readOnlyAllowed: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Ten new recovery codes (your password): the old ones die',
        tags: ['console'],
        body: ZPasswordConfirmation,
        response: { 200: ZRecoveryCodes, 400: ZErrorBody, 403: ZErrorBody, 409: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return mfa.renewRecoveryCodes(adminPrincipalOf(request), request.body.password, request.ip);
    },
  );

  app.post(
    '/session/mfa',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'The second step of a password sign-in: a code from the app or a recovery code',
        tags: ['console'],
        body: ZMfaSignInRequest,
        response: { 200: ZSessionResponse, 400: ZErrorBody, 401: ZErrorBody, 429: ZErrorBody },
      },
    },
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
