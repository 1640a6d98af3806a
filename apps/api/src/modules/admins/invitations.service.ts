import type { TAcceptInvitationRequest, TInvitedAdmin } from '@reg/contracts/admins-api';
import { CONSOLE_PATHS } from '@reg/contracts/console-paths';
import type { TSessionResponse } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword, randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { passwordWeaknesses } from '../../lib/password-policy.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoPolicy } from '../sso/sso-policy.ts';
import type { IdentityMail } from '../identity-mail/identity-mail.ts';
import type { SessionService, SignInClient } from '../session/session.service.ts';
import { findAdmin, type AdminRow } from './admins.repository.ts';
import {
  activateMembership,
  findInvitationByTokenHash,
  hasOtherActiveMembership,
  replaceInvitation,
  setFirstPassword,
  useInvitation,
} from './invitations.repository.ts';
import { toAdmin } from './admin-view.ts';

/** How long an invitation link works. */
const INVITATION_VALID_MS = 72 * 3_600_000;

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  mailer: Pick<IdentityMail, 'queueInvitation'>;
  sessions: SessionService;
  passwords: PasswordQueue;
  publicUrl: string;
  /** Enforced single sign-on: an invitee of such a customer signs in with SSO instead. */
  ssoPolicy: Pick<SsoPolicy, 'mayUsePassword'>;
}

/** Hides most of an email (403 sign_in_required names whom to sign in as, not the whole address). */
const maskEmail = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'*'.repeat(Math.max(1, local.length - 1))}@${domain}`;
};

export function createInvitationService({ db, clock, audit, mailer, sessions, passwords, publicUrl, ssoPolicy }: Deps) {
  /**
   * A new link for an invited membership, in the caller's transaction (the earlier links die),
   * and its mail queued in the same transaction (sent after the answer). Only the token's hash
   * is kept (and, for the mail, the token sealed); the link is shown once.
   */
  async function issue(tx: Tx, admin: AdminRow, existingPerson: boolean) {
    const token = randomSecret();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_VALID_MS);
    await replaceInvitation(tx, admin.id, sha256(token), now, expiresAt);
    // In the fragment: no server log or Referer sees it.
    const url = `${publicUrl}${CONSOLE_PATHS.acceptInvitation}#token=${token}`;
    const emailSent = await mailer.queueInvitation(tx, {
      customerId: admin.customerId,
      to: admin.person.email,
      at: now,
      expiresAt,
      token,
      existingPerson,
    });
    return { url, expiresAt, emailSent };
  }

  /** A new link (72 hours from now) for an invited admin; the earlier one dies at once. */
  async function renew(principal: AdminPrincipal, id: string): Promise<TInvitedAdmin> {
    return db.$transaction(async (tx) => {
      const admin = await findAdmin(tx, principal.customerId, id);
      if (!admin) throw notFound();
      if (admin.status === 'active') throw new AppError('admin_active');
      const existingPerson = await hasOtherActiveMembership(tx, admin.personId, admin.id);
      const link = await issue(tx, admin, existingPerson || admin.person.passwordHash !== null);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'admin.invitation_renewed',
        target: { type: 'admin', id: admin.id, label: admin.person.email },
        details: { emailSent: link.emailSent },
      });
      return { admin: toAdmin(admin, link.expiresAt), invitationUrl: link.url, emailSent: link.emailSent };
    });
  }

  /**
   * A new person chooses their password and is signed in. A person who exists already (another
   * customer's admin) takes no new password: they accept from a session of their own, which
   * then enters the new customer.
   */
  async function accept(
    input: TAcceptInvitationRequest,
    signedIn: AdminPrincipal | null,
    client: SignInClient,
  ): Promise<{ token: string | null; session: TSessionResponse }> {
    const invitation = await findInvitationByTokenHash(db, sha256(input.token));
    if (!invitation || invitation.usedAt || invitation.killedAt) throw new AppError('invitation_not_found');
    if (invitation.expiresAt <= clock.now()) throw new AppError('invitation_expired');
    const { admin } = invitation;
    // The invitee signs in with single sign-on instead, which activates them.
    if (!(await ssoPolicy.mayUsePassword(admin)).allowed) throw new AppError('sso_required');
    const person = admin.person;
    const existingPerson = person.passwordHash !== null || (await hasOtherActiveMembership(db, person.id, admin.id));
    if (existingPerson) {
      if (signedIn?.personId !== person.id) {
        throw new AppError('sign_in_required', undefined, { email: maskEmail(person.email) });
      }
    } else {
      const reasons = passwordWeaknesses(input.password ?? '', person.email);
      if (reasons.length) throw new AppError('weak_password', undefined, { reasons });
    }
    const passwordHash = existingPerson ? null : await queued(input.password!);
    await db.$transaction(async (tx) => {
      if (!(await useInvitation(tx, invitation.id, admin.id, clock.now()))) throw new AppError('invitation_not_found');
      if (passwordHash) await setFirstPassword(tx, person.id, passwordHash);
      await activateMembership(tx, admin.id);
      const who = { type: 'admin', id: admin.id, label: person.email } as const;
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: who,
        action: 'admin.invitation_accepted',
        target: who,
      });
    });
    if (signedIn && existingPerson) {
      return { token: null, session: await sessions.switchCustomer(signedIn, admin.customerId) };
    }
    return sessions.startSession({ adminId: admin.id, method: 'password', client });
  }

  async function queued(password: string): Promise<string> {
    const place = passwords.enter();
    try {
      return await place.hash(() => hashPassword(password));
    } finally {
      place.leave();
    }
  }

  /** Whether an invitation link still works (its mail is not sent otherwise). */
  async function isLinkLive(token: string): Promise<boolean> {
    const invitation = await findInvitationByTokenHash(db, sha256(token));
    return (
      !!invitation &&
      !invitation.usedAt &&
      !invitation.killedAt &&
      invitation.expiresAt > clock.now() &&
      invitation.admin.status === 'invited'
    );
  }

  return { issue, renew, accept, isLinkLive };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
