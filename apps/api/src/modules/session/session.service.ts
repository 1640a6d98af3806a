import type { TSessionResponse, TSignInRequest } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import { retryIdempotent } from '@reg/db/retry';
import type { Config } from '../../config.ts';
import { addressKey, networkKey } from '../../lib/address.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { DUMMY_PASSWORD_HASH, randomSecret, sha256, verifyPassword } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { actorOf, type AdminPrincipal, type Role } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  findAdminByEmail,
  findSessionByTokenHash,
  insertSession,
  touchSession,
} from './session.repository.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  limits: AttemptLimits;
  passwords: PasswordQueue;
  config: Pick<
    Config,
    | 'SESSION_IDLE_MINUTES'
    | 'SESSION_MAX_HOURS'
    | 'LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS'
    | 'LIMIT_SIGNIN_FAILURES_PER_EMAIL'
    | 'LIMIT_SIGNIN_FAILURES_PER_ADDRESS'
    | 'LIMIT_SIGNIN_FAILURES_PER_NETWORK'
    | 'LIMIT_SIGNIN_FAILURES_PER_MINUTE'
  >;
}

/** Last-seen is written at most this often, so reading pages doesn't write on every request. */
const TOUCH_EVERY_MS = 60_000;

export function createSessionService({ db, clock, audit, limits, passwords, config }: Deps) {
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;

  async function signIn(
    input: TSignInRequest,
    sourceAddress: string,
  ): Promise<{ token: string; session: TSessionResponse }> {
    // A place in the hashing queue first: when it is full the sign-in is refused before any work.
    const place = passwords.enter();
    let admin;
    let attempt;
    try {
      const email = input.email.trim().toLowerCase();
      const address = addressKey(sourceAddress);
      const network = networkKey(sourceAddress);
      // Counted as a failure up front (so guesses sent at once can't outrun the count), uncounted
      // on success: per email and address, per email, per address (an IPv6 /64), per IPv6 /48
      // (one holder has 65,536 /64s of it), and all failures together per minute.
      attempt = await limits.begin(
        [
          { key: `signin:email-address:${email}|${address}`, max: config.LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS },
          { key: `signin:email:${email}`, max: config.LIMIT_SIGNIN_FAILURES_PER_EMAIL },
          { key: `signin:address:${address}`, max: config.LIMIT_SIGNIN_FAILURES_PER_ADDRESS },
          ...(network ? [{ key: `signin:network:${network}`, max: config.LIMIT_SIGNIN_FAILURES_PER_NETWORK }] : []),
          { key: 'signin:all', max: config.LIMIT_SIGNIN_FAILURES_PER_MINUTE, windowMs: 60_000 },
        ],
        'Too many failed sign-ins.',
      );
      admin = await findAdminByEmail(db, email);
      // An unknown email costs the same hash as a wrong password: the answer and its time match.
      const hash = admin?.passwordHash ?? DUMMY_PASSWORD_HASH;
      const valid = await place.hash(() => verifyPassword(input.password, hash));
      if (!admin || !valid) {
        // Into the log of the customer whose admin it names (an unknown email names none). One
        // insert, after the failure was counted, so the global budget bounds these writes too.
        if (admin) {
          await audit.record(db, {
            customerId: admin.customerId,
            actor: { type: 'admin', id: null, label: email },
            action: 'session.sign_in_failed',
            target: { type: 'admin', id: admin.id, label: admin.email },
            details: { email, address: sourceAddress },
          });
        }
        throw new AppError('invalid_credentials');
      }
    } finally {
      place.leave();
    }
    await attempt.succeeded();
    const now = clock.now();
    const token = randomSecret();
    const csrfToken = randomSecret();
    const session = await db.$transaction(async (tx) => {
      const created = await insertSession(tx, {
        tokenHash: sha256(token),
        adminId: admin.id,
        csrfToken,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + config.SESSION_MAX_HOURS * 3600_000),
      });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: { type: 'admin', id: admin.id, label: admin.email },
        action: 'session.signed_in',
        target: { type: 'admin', id: admin.id, label: admin.email },
        details: { sourceAddress },
      });
      return created;
    });
    return {
      token,
      session: {
        admin: { id: admin.id, email: admin.email, role: admin.role as Role },
        customer: { id: admin.customer.id, name: admin.customer.name },
        csrfToken: session.csrfToken,
      },
    };
  }

  /**
   * The live session for a cookie token, or null when absent, idle too long or past its maximum.
   * Idempotent (a read, a contact time written again, an expired session deleted again): run
   * once more when it failed on the connection, so console reads ride out a failover.
   */
  const resolve = (token: string) => retryIdempotent(() => resolveOnce(token));

  async function resolveOnce(token: string): Promise<AdminPrincipal | null> {
    const session = await findSessionByTokenHash(db, sha256(token));
    if (!session) return null;
    const now = clock.now();
    if (session.expiresAt <= now || session.lastSeenAt.getTime() + idleMs <= now.getTime()) {
      await deleteSession(db, session.id);
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await touchSession(db, session.id, now);
    }
    return {
      type: 'admin',
      id: session.admin.id,
      email: session.admin.email,
      role: session.admin.role as Role,
      customerId: session.admin.customerId,
      customerName: session.admin.customer.name,
      sessionId: session.id,
      csrfToken: session.csrfToken,
    };
  }

  async function signOut(principal: AdminPrincipal): Promise<void> {
    await db.$transaction(async (tx) => {
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

  return { signIn, resolve, signOut, purgeExpired };
}

export type SessionService = ReturnType<typeof createSessionService>;

export function toSessionResponse(admin: AdminPrincipal): TSessionResponse {
  return {
    admin: { id: admin.id, email: admin.email, role: admin.role },
    customer: { id: admin.customerId, name: admin.customerName },
    csrfToken: admin.csrfToken,
  };
}
