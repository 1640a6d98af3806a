import type { TAuditDetails } from '@reg/contracts/audit-api';
import type { TSessionResponse, TSignInRequest } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import { retryIdempotent } from '@reg/db/retry';
import type { Config } from '../../config.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { DUMMY_PASSWORD_HASH, randomSecret, sha256, verifyPassword } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { actorOf, type AdminPrincipal, type Role } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoPolicy } from '../sso/sso-policy.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  findCustomersOfPerson,
  findMembership,
  findPersonForSignIn,
  findActiveMembershipOf,
  findSessionById,
  findSessionByTokenHash,
  insertSession,
  moveSession,
  setLastCustomer,
  recordSignIn,
  touchSession,
} from './session.repository.ts';
import { recordFailedSignIn } from './failed-sign-in.ts';
import { createSignInLimits, type SignInLimitConfig } from './sign-in-limits.ts';

/** What the services that check a person's password share. */
export interface PasswordCheckDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  limits: AttemptLimits;
  passwords: PasswordQueue;
  /** Enforced single sign-on: whether a membership may use its password. */
  ssoPolicy: Pick<SsoPolicy, 'mayUsePassword'>;
}

interface Deps extends PasswordCheckDeps {
  config: Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_MAX_HOURS'> & SignInLimitConfig;
}

/** Who signs in from where: kept on the session for the admin's list of their sessions. */
export interface SignInClient {
  address: string;
  userAgent: string | null;
}

/** Last-seen is written at most this often, so reading pages doesn't write on every request. */
const TOUCH_EVERY_MS = 60_000;
const USER_AGENT_MAX = 512;
const PENDING_SIGN_IN_MS = 5 * 60_000;

export function createSessionService({ db, clock, audit, limits, passwords, config, ssoPolicy }: Deps) {
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const beginSignInAttempt = createSignInLimits(limits, config);

  async function signIn(
    input: TSignInRequest,
    client: SignInClient,
  ): Promise<{ token: string; session: TSessionResponse } | { token: string; mfaRequired: true }> {
    // A place in the hashing queue first: when it is full the sign-in is refused before any work.
    const place = passwords.enter();
    let person;
    let attempt;
    try {
      const email = input.email.trim().toLowerCase();
      attempt = await beginSignInAttempt(email, client.address);
      person = await findPersonForSignIn(db, email);
      // An unknown email, a person without a password (single sign-on made them) or with no
      // active membership (invited only) costs the same hash as a wrong password: the answer and
      // its time match.
      const hash = person?.passwordHash ?? DUMMY_PASSWORD_HASH;
      const valid = await place.hash(() => verifyPassword(input.password, hash));
      const membership = person && pickMembership(person.memberships, person.lastCustomerId);
      if (!person?.passwordHash || !membership || !valid) {
        // Into the log of the customer the person would have entered (an unknown email names none).
        // One insert, after the failure was counted, so the global budget bounds these writes too.
        if (membership) await recordFailedSignIn({ db, audit }, membership, { email, address: client.address });
        throw new AppError('invalid_credentials');
      }
      person = { ...person, membership };
    } finally {
      place.leave();
    }
    await attempt.succeeded();
    // Only after the right password: a wrong one stays 401, so the 403 tells a guesser nothing.
    const policy = await ssoPolicy.mayUsePassword(person.membership);
    if (!policy.allowed) {
      await recordFailedSignIn({ db, audit }, person.membership, {
        email: person.email,
        address: client.address,
        reason: 'sso_required',
      });
      throw new AppError('sso_required');
    }
    if (person.totpEnabledAt) return { token: await startPendingSignIn(person.membership, client), mfaRequired: true };
    return startSession({
      adminId: person.membership.id,
      method: 'password',
      client,
      ...(policy.breakGlass && { details: { breakGlass: true } }),
    });
  }

  /** A pending sign-in (5 minutes): only POST /session/mfa takes it, and turns it into a session. */
  async function startPendingSignIn(membership: { id: string; personId: string }, client: SignInClient) {
    const now = clock.now();
    const token = randomSecret();
    await insertSession(db, {
      tokenHash: sha256(token),
      adminId: membership.id,
      personId: membership.personId,
      method: 'password',
      csrfToken: randomSecret(),
      sourceAddress: client.address,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) || null,
      mfaPending: true,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_MS),
    });
    return token;
  }

  /**
   * A new session for a membership, audited `session.signed_in`: the password sign-in's last
   * step, and single sign-on's (`method: 'sso'`). The caller sets the cookie with the token
   * (session-cookie.ts). `details` adds to the audit entry (single sign-on's issuer).
   */
  async function startSession(input: {
    adminId: string;
    method: 'password' | 'sso';
    client: SignInClient;
    details?: Omit<TAuditDetails['session.signed_in'], 'sourceAddress' | 'method'>;
  }): Promise<{ token: string; session: TSessionResponse }> {
    const now = clock.now();
    const token = randomSecret();
    const csrfToken = randomSecret();
    await db.$transaction(async (tx) => {
      const membership = await findMembership(tx, input.adminId);
      if (!membership || membership.status !== 'active') throw new AppError('unauthenticated');
      await insertSession(tx, {
        tokenHash: sha256(token),
        adminId: membership.id,
        personId: membership.personId,
        method: input.method,
        csrfToken,
        sourceAddress: input.client.address,
        userAgent: input.client.userAgent?.slice(0, USER_AGENT_MAX) || null,
        mfaPending: false,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + config.SESSION_MAX_HOURS * 3600_000),
      });
      await recordSignIn(tx, membership.id, membership.personId, membership.customerId, now);
      const who = { type: 'admin', id: membership.id, label: membership.person.email } as const;
      await audit.record(tx, {
        customerId: membership.customerId,
        actor: who,
        action: 'session.signed_in',
        target: who,
        details: { sourceAddress: input.client.address, method: input.method, ...input.details },
      });
    });
    const principal = await resolve(token);
    if (!principal) throw new AppError('unauthenticated');
    return { token, session: await describe(principal) };
  }

  /**
   * The live session for a cookie token, or null when absent, idle too long or past its maximum.
   * Idempotent (a read, a contact time written again, an expired session deleted again): run
   * once more when it failed on the connection, so console reads ride out a failover.
   */
  const resolve = (token: string) => retryIdempotent(() => resolveOnce(token));

  async function resolveOnce(token: string): Promise<AdminPrincipal | null> {
    const session = await findSessionByTokenHash(db, sha256(token));
    if (!session || session.mfaPending) return null;
    const now = clock.now();
    if (session.expiresAt <= now || session.lastSeenAt.getTime() + idleMs <= now.getTime()) {
      await deleteSession(db, session.id);
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await touchSession(db, session.id, now);
    }
    return toPrincipal(session);
  }

  function toPrincipal(session: NonNullable<Awaited<ReturnType<typeof findSessionByTokenHash>>>): AdminPrincipal {
    const method = session.method === 'sso' ? 'sso' : 'password';
    const { person, admin } = session;
    return {
      type: 'admin',
      id: admin.id,
      email: person.email,
      role: admin.role as Role,
      customerId: admin.customerId,
      customerName: admin.customer.name,
      sessionId: session.id,
      csrfToken: session.csrfToken,
      personId: person.id,
      sessionMethod: method,
      // Worked out afresh on every request, so a setting turned on later restricts open sessions
      // from their next request. Single sign-on sessions answer to the IdP for both.
      passwordChangeRequired: method === 'password' && person.passwordTemporary,
      mfaEnrollmentRequired: method === 'password' && admin.customer.requireMfa && !person.totpEnabledAt,
    };
  }

  /** The session body: the admin, the customer, the CSRF token, the restrictions and every customer of the person. */
  async function describe(principal: AdminPrincipal): Promise<TSessionResponse> {
    const customers = await findCustomersOfPerson(db, principal.personId);
    return {
      ...toSessionResponse(principal),
      customers: customers.map((m) => ({ id: m.customerId, name: m.customer.name, role: m.role as Role })),
    };
  }

  /**
   * The session enters another customer of the person (a new CSRF token). 404 for a customer
   * the person is not an active admin of.
   */
  async function switchCustomer(principal: AdminPrincipal, customerId: string): Promise<TSessionResponse> {
    const csrfToken = randomSecret();
    const moved = await db.$transaction(async (tx: Tx) => {
      const membership = await findActiveMembershipOf(tx, principal.personId, customerId);
      if (!membership) return null;
      // A password session entering a customer that enforces single sign-on (break-glass aside).
      if (principal.sessionMethod === 'password' && !(await ssoPolicy.mayUsePassword(membership)).allowed)
        throw new AppError('sso_required');
      await moveSession(tx, principal.sessionId, membership.id, csrfToken);
      await setLastCustomer(tx, principal.personId, customerId);
      return membership;
    });
    if (!moved) throw new AppError('not_found');
    const session = await findSessionById(db, principal.sessionId);
    const switched = session && toPrincipal(session);
    if (!switched) throw new AppError('unauthenticated');
    return describe(switched);
  }

  async function signOut(principal: AdminPrincipal): Promise<void> {
    await db.$transaction(async (tx: Tx) => {
      if (!(await deleteSession(tx, principal.sessionId))) return;
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'session.signed_out',
        target: { type: 'admin', id: principal.id, label: principal.email },
      });
    });
  }

  async function purgeExpired(): Promise<number> {
    const now = clock.now();
    return deleteExpiredSessions(db, now, new Date(now.getTime() - idleMs));
  }

  return { signIn, startSession, resolve, describe, switchCustomer, signOut, purgeExpired, beginSignInAttempt };
}

export type SessionService = ReturnType<typeof createSessionService>;

/** The customer a sign-in enters: the one the person used last, else their oldest membership. */
function pickMembership<M extends { customerId: string }>(memberships: M[], lastCustomerId: string | null): M | null {
  return memberships.find((m) => m.customerId === lastCustomerId) ?? memberships[0] ?? null;
}

function toSessionResponse(admin: AdminPrincipal): Omit<TSessionResponse, 'customers'> {
  return {
    admin: { id: admin.id, email: admin.email, role: admin.role },
    customer: { id: admin.customerId, name: admin.customerName },
    csrfToken: admin.csrfToken,
    passwordChangeRequired: admin.passwordChangeRequired,
    mfaEnrollmentRequired: admin.mfaEnrollmentRequired,
  };
}
