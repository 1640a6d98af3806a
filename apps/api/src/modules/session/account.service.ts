import type { TChangePasswordRequest, TOwnSession } from '@reg/contracts/identity-api';
import type { Db } from '@reg/db/client';
import type { Config } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { passwordWeaknesses } from '../../lib/password-policy.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  endSessionOfPerson,
  endSessionsOfPerson,
  findPerson,
  killPasswordResets,
  listSessionsOfPerson,
  setPassword,
} from './account.repository.ts';
import type { SessionService } from './session.service.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  passwords: PasswordQueue;
  sessions: SessionService;
  config: Pick<Config, 'SESSION_IDLE_MINUTES'>;
}

/** The signed-in person's own account: their password and their sessions. */
export function createAccountService({ db, clock, audit, passwords, sessions, config }: Deps) {
  async function hashed(password: string): Promise<string> {
    const place = passwords.enter();
    try {
      return await place.hash(() => hashPassword(password));
    } finally {
      place.leave();
    }
  }

  /**
   * The caller's password, confirming a change: a wrong one is 403 password_incorrect and counts
   * as a failed sign-in of the email and the address (429 once the limits are reached).
   */
  async function confirmPassword(principal: AdminPrincipal, password: string, address: string) {
    const person = await findPerson(db, principal.personId);
    if (!person) throw new AppError('unauthenticated');
    if (!person.passwordHash) throw new AppError('password_not_set');
    const attempt = await sessions.beginSignInAttempt(person.email, address);
    const place = passwords.enter();
    let valid;
    try {
      valid = await place.hash(() => verifyPassword(password, person.passwordHash!));
    } finally {
      place.leave();
    }
    if (!valid) throw new AppError('password_incorrect');
    await attempt.succeeded();
    return person;
  }

  /** A new password: the person's other sessions end (this one stays) and their reset links die. */
  async function changePassword(principal: AdminPrincipal, input: TChangePasswordRequest, address: string) {
    const person = await confirmPassword(principal, input.currentPassword, address);
    const reasons = passwordWeaknesses(input.newPassword, person.email);
    if (reasons.length) throw new AppError('weak_password', undefined, { reasons });
    const passwordHash = await hashed(input.newPassword);
    await db.$transaction(async (tx) => {
      await setPassword(tx, person.id, passwordHash);
      await endSessionsOfPerson(tx, person.id, principal.sessionId);
      await killPasswordResets(tx, person.id, clock.now());
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'password.changed',
        target: { type: 'admin', id: principal.id, label: principal.email },
      });
    });
  }

  async function listSessions(principal: AdminPrincipal): Promise<TOwnSession[]> {
    const now = clock.now();
    const rows = await listSessionsOfPerson(
      db,
      principal.personId,
      now,
      new Date(now.getTime() - config.SESSION_IDLE_MINUTES * 60_000),
    );
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastSeenAt.toISOString(),
      sourceAddress: row.sourceAddress,
      userAgent: row.userAgent,
      method: row.method === 'sso' ? 'sso' : 'password',
      current: row.id === principal.sessionId,
    }));
  }

  /** The caller's own sessions, ended in `tx`: one record, whether one session or all the others. */
  const recordRevoked = (tx: Tx, principal: AdminPrincipal, sessionIds: string[]) =>
    audit.record(tx, {
      customerId: principal.customerId,
      actor: actorOf(principal),
      action: 'session.revoked',
      target: { type: 'admin', id: principal.id, label: principal.email },
      details: { sessionIds },
    });

  /** Ends one of the caller's sessions (the current one too); another person's is 404. */
  async function endSession(principal: AdminPrincipal, id: string) {
    await db.$transaction(async (tx) => {
      if (!(await endSessionOfPerson(tx, principal.personId, id))) throw notFound();
      await recordRevoked(tx, principal, [id]);
    });
  }

  /** Ends every session of the caller but this one. */
  async function endOtherSessions(principal: AdminPrincipal) {
    await db.$transaction(async (tx) => {
      const ended = await endSessionsOfPerson(tx, principal.personId, principal.sessionId);
      if (ended.length > 0) await recordRevoked(tx, principal, ended);
    });
  }

  return { confirmPassword, changePassword, listSessions, endSession, endOtherSessions };
}

export type AccountService = ReturnType<typeof createAccountService>;
