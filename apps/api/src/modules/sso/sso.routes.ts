import { ZNoContent } from '@reg/contracts/common';
import { ZSsoCallbackQuery, ZSsoSettings, ZSsoSettingsRequest, ZSsoStartQuery } from '@reg/contracts/sso-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import { setSessionCookie, type SessionCookieOptions } from '../session/session-cookie.ts';
import type { SsoSettingsService } from './sso-settings.service.ts';
import { BINDING_MAX_AGE_SECONDS, type SsoSignInService } from './sso-sign-in.service.ts';

interface Options extends SessionCookieOptions {
  ssoSettings: SsoSettingsService;
  ssoSignIn: SsoSignInService;
}

/** 50 groups of 256 characters in each list is more than the console's usual 16 KiB. */
const SSO_SETTINGS_BODY_BYTES = 64 * 1024;
const ZRedirect = z.null().describe('302 to the identity provider or back to the console');

/** The single sign-on settings (admins) and the two browser navigations of signing in (anyone). */
export const ssoRoutes: FastifyPluginAsyncZod<Options> = async (
  app,
  { ssoSettings, ssoSignIn, publicUrl, maxAgeSeconds },
) => {
  const secure = publicUrl.startsWith('https://');
  // `__Host-` on https, as the session cookie: only this host, path /, Secure.
  const bindingCookie = secure ? '__Host-sso-binding' : 'sso-binding';
  const admins = { preValidation: app.requireAdmin };

  app.get(
    '/settings/sso',
    consoleRoute(
      {
        summary: "The customer's single sign-on (OpenID Connect) settings; never the client secret",
        response: { 200: ZSsoSettings },
      },
      admins,
    ),
    async (request) => ssoSettings.get(adminPrincipalOf(request)),
  );
  app.put(
    '/settings/sso',
    consoleRoute(
      {
        summary: 'Set up single sign-on (full admins); the issuer is discovered before saving',
        bodyLimit: SSO_SETTINGS_BODY_BYTES,
        body: ZSsoSettingsRequest,
        response: { 200: ZSsoSettings },
        errors: [400, 403, 409],
      },
      admins,
    ),
    async (request) => ssoSettings.put(adminPrincipalOf(request), request.body),
  );
  app.delete(
    '/settings/sso',
    consoleRoute(
      {
        summary: 'Turn single sign-on off (and with it enforcement); links to IdP identities are kept',
        response: { 204: ZNoContent },
        errors: [403],
      },
      admins,
    ),
    async (request, reply) => {
      await ssoSettings.remove(adminPrincipalOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sso/start',
    consoleRoute({
      summary: 'Browser navigation: start single sign-on for the email typed (302 to the identity provider)',
      querystring: ZSsoStartQuery,
      response: { 302: ZRedirect },
      errors: [400],
    }),
    async (request, reply) => {
      const { location, binding } = await ssoSignIn.start(request.query, request.ip);
      reply.header('Cache-Control', 'no-store');
      if (binding) {
        reply.setCookie(bindingCookie, binding, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: BINDING_MAX_AGE_SECONDS,
        });
      }
      return reply.redirect(location, 302);
    },
  );

  app.get(
    '/sso/callback',
    consoleRoute({
      summary: "Browser navigation: the identity provider's answer; a session, then 302 to the console",
      querystring: ZSsoCallbackQuery,
      response: { 302: ZRedirect },
      errors: [400],
    }),
    async (request, reply) => {
      const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const outcome = await ssoSignIn.callback(request.query, rawQuery, request.cookies[bindingCookie], {
        sourceAddress: request.ip,
        userAgent: request.headers['user-agent']?.slice(0, 512) ?? null,
      });
      reply.header('Cache-Control', 'no-store');
      // Single use either way: a second callback with the same binding fails.
      reply.clearCookie(bindingCookie, { path: '/', secure });
      if (outcome.ok) {
        setSessionCookie(reply, outcome.sessionToken, { publicUrl, maxAgeSeconds });
      }
      return reply.redirect(outcome.location, 302);
    },
  );
};
