import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.ts';
import type { ApiClientService } from '../modules/api-clients/api-clients.service.ts';
import type { AdminPrincipal, Principal } from '../lib/principal.ts';
import type { SessionService } from '../modules/session/session.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who acts, set by requireAdmin; read it with principalOf(request). */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The route also takes an API client's bearer token (Secure Clients). */
    allowApiClients?: boolean;
    /** A change a read-only admin may still make (signing out); every other change needs `full`. */
    readOnlyAllowed?: boolean;
    /**
     * What a restricted session may still reach: `password` while it must change its password,
     * `mfa` while it must enroll in two-step verification (the contract's short lists).
     */
    allowedWhileRestricted?: readonly ('password' | 'mfa')[];
  }
  interface FastifyInstance {
    /** preValidation for console routes: a live session, and the CSRF token on every change. */
    requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** The signed-in admin when there is a live session, else null (routes open to signed-out visitors). */
    sessionOf: (request: FastifyRequest) => Promise<AdminPrincipal | null>;
  }
}

/**
 * The session cookie's name: `__Host-` prefixed when served over https, so the browser takes it
 * only when Secure, for path /, and with no Domain (no sibling subdomain can set or shadow
 * it). Plain `session` on http, where a browser would refuse the prefixed one.
 */
export const sessionCookieName = (publicUrl: string) =>
  publicUrl.startsWith('https://') ? '__Host-session' : 'session';

/** Constant-time comparison, so the token can't be found a byte at a time by timing. */
function sameSecret(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Options {
  sessions: SessionService;
  apiClients: ApiClientService;
  publicUrl: string;
}

/**
 * Console sessions: a random token in a signed cookie, looked up in the sessions table
 * (docs/decisions/001-sessions-in-the-database.md). Changes need a matching Origin where
 * the browser sends one and, once signed in, the X-CSRF-Token of the session.
 */
async function consoleAuth(app: FastifyInstance, { sessions, apiClients, publicUrl }: Options) {
  const expectedOrigin = new URL(publicUrl).origin;
  const cookieName = sessionCookieName(publicUrl);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request) => {
    // The route Fastify matched, not the raw URL: a percent-encoded path (/api/%63onsole/…)
    // reaches the same route and must meet the same check.
    const route = request.routeOptions.url;
    if (!route?.startsWith('/api/console/') || SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== expectedOrigin) {
      throw new AppError('csrf_failed');
    }
  });

  async function sessionOf(request: FastifyRequest): Promise<AdminPrincipal | null> {
    const raw = request.cookies[cookieName];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    return unsigned?.valid && unsigned.value ? sessions.resolve(unsigned.value) : null;
  }
  app.decorate('sessionOf', sessionOf);

  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S{1,200})\s*$/i)?.[1];
    if (bearer) {
      // A token is no ambient credential (the browser never sends it by itself): no CSRF check.
      if (!request.routeOptions.config.allowApiClients) {
        throw new AppError(
          'access_denied',
          'API clients can list, export and remove registrations and read, export and delete usage data only.',
        );
      }
      const client = await apiClients.resolveToken(bearer);
      if (!client) throw new AppError('invalid_token');
      authorize(request, client);
      return;
    }
    const admin = await sessionOf(request);
    if (!admin) throw new AppError('unauthenticated');
    if (!SAFE_METHODS.has(request.method) && !sameSecret(request.headers['x-csrf-token'], admin.csrfToken)) {
      throw new AppError('csrf_failed', 'The X-CSRF-Token header is missing or does not match this session.');
    }
    authorize(request, admin);
  });
}

/**
 * The single place a principal is admitted to a route, and so the one place roles are enforced:
 * a read-only admin, or an API client one of them made, may read and export (GET) and nothing
 * else (403 forbidden), whatever the route. Code preview counts as a change: it spends a look-up.
 * Only a route marked `readOnlyAllowed` (signing out) is a change a read-only admin may make.
 * The role is read afresh on every request, so a role change applies from the next one.
 */
function authorize(request: FastifyRequest, principal: Principal): void {
  if (principal.type === 'admin') refuseRestricted(request, principal);
  if (principal.role !== 'full' && !SAFE_METHODS.has(request.method) && !request.routeOptions.config.readOnlyAllowed) {
    throw new AppError('forbidden');
  }
  request.principal = principal;
}

/**
 * A restricted session (its password to change, or two-step verification to set up, both worked
 * out on every request) reaches only the routes that let it lift the restriction, and signing out.
 */
function refuseRestricted(request: FastifyRequest, admin: AdminPrincipal): void {
  const allowed = request.routeOptions.config.allowedWhileRestricted ?? [];
  if (admin.passwordChangeRequired && !allowed.includes('password')) throw new AppError('password_change_required');
  if (!admin.passwordChangeRequired && admin.mfaEnrollmentRequired && !allowed.includes('mfa'))
    throw new AppError('mfa_enrollment_required');
}

export default fp(consoleAuth, { name: 'console-auth', dependencies: ['@fastify/cookie'] });
