import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * Who is acting, as a type: a signed-in admin or an API client acting for its customer.
 * An API client is not an admin dressed up: code that records an admin (who registered a
 * server) takes an AdminPrincipal, so passing a client does not compile.
 */
export type Role = 'full' | 'read-only';
export type Principal =
  | {
      type: 'admin';
      id: string;
      email: string;
      role: Role;
      customerId: string;
      customerName: string;
      sessionId: string;
      csrfToken: string;
      /** The person behind the membership `id` (one email, one person, several customers). */
      personId: string;
      sessionMethod: 'password' | 'sso';
      /** Worked out on every request: a restricted session can do little else (console-auth). */
      passwordChangeRequired: boolean;
      mfaEnrollmentRequired: boolean;
    }
  | {
      type: 'api-client';
      id: string;
      name: string;
      /** The role of the admin who created the client: a client can do no more than its admin. */
      role: Role;
      createdByAdminId: string;
      customerId: string;
      customerName: string;
    };
export type AdminPrincipal = Extract<Principal, { type: 'admin' }>;
/**
 * Whoever runs the operator CLI (or the first start's seed) on the server, acting for one
 * customer: the same service functions as the console, with the operator named in the audit log.
 */
export interface OperatorPrincipal {
  type: 'operator';
  customerId: string;
  label: string;
}
export type ApiClientPrincipal = Extract<Principal, { type: 'api-client' }>;

/** Who the audit log names: an admin, an API client, a product (its registration), the operator CLI, or the service itself. */
export interface Actor {
  type: 'admin' | 'api-client' | 'product' | 'operator' | 'system';
  id: string | null;
  label: string;
}

export function actorOf(principal: Principal | OperatorPrincipal): Actor {
  if (principal.type === 'operator') return { type: 'operator', id: null, label: principal.label };
  return principal.type === 'admin'
    ? { type: 'admin', id: principal.id, label: principal.email }
    : { type: 'api-client', id: principal.id, label: principal.name };
}

/** Who acts on a route behind requireAdmin (a session, or a bearer token where the route allows clients). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthenticated');
  return request.principal;
}

/** The signed-in admin of a route that API clients can't use (requireAdmin refuses them there). */
export function adminPrincipalOf(request: FastifyRequest): AdminPrincipal {
  const principal = principalOf(request);
  if (principal.type !== 'admin') throw new AppError('access_denied');
  return principal;
}
