import type { TCompletePasswordResetRequest } from '@reg/contracts/identity-api';
import type { Config } from '../../config.ts';
import { addressKey } from '../../lib/address.ts';
import { hashPassword, randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { passwordWeaknesses } from '../../lib/password-policy.ts';
import type { IdentityMail } from '../identity-mail/identity-mail.ts';
import type { PasswordCheckDeps } from './session.service.ts';
import {
  endSessionsOfPerson,
  findPasswordReset,
  findPersonWithActiveMemberships,
  insertPasswordReset,
  setPassword,
  usePasswordReset,
} from './account.repository.ts';

/** How long a reset link works. */
const RESET_VALID_MS = 30 * 60_000;
const HOUR_MS = 3_600_000;

/** A person who may sign in only by single sign-on gets a mail saying so, without a link. */
interface Deps extends PasswordCheckDeps {
  mailer: Pick<IdentityMail, 'queuePasswordReset'>;
  config: Pick<Config, 'LIMIT_PASSWORD_RESETS_PER_EMAIL' | 'LIMIT_PASSWORD_RESETS_PER_ADDRESS'>;
}

/** "Forgot password?": a single-use link by mail, the same answer for any address. */
export function createPasswordResetService({ db, clock, audit, limits, passwords, mailer, ssoPolicy, config }: Deps) {
  /**
   * Every request counts toward the limits, known email or not (so the limits tell nothing).
   * Only an active admin gets a mail; it is queued in the outbox with the link and sent after
   * the answer, which therefore takes about the same time either way. While every customer of
   * the person enforces single sign-on (and they are break-glass in none), the mail says to
   * use it and holds no link, and no link is made.
   */
  async function request(emailInput: string, address: string): Promise<void> {
    const email = emailInput.trim().toLowerCase();
    await limits.begin(
      [
        { key: `reset:email:${email}`, max: config.LIMIT_PASSWORD_RESETS_PER_EMAIL, windowMs: HOUR_MS },
        {
          key: `reset:address:${addressKey(address)}`,
          max: config.LIMIT_PASSWORD_RESETS_PER_ADDRESS,
          windowMs: HOUR_MS,
        },
      ],
      'Too many password reset requests.',
    );
    const person = await findPersonWithActiveMemberships(db, email);
    const membership =
      person?.memberships.find((m) => m.customerId === person.lastCustomerId) ?? person?.memberships[0];
    if (!person || !membership) return;
    let passwordAllowed = false;
    for (const m of person.memberships) passwordAllowed ||= (await ssoPolicy.mayUsePassword(m)).allowed;
    const token = passwordAllowed ? randomSecret() : null;
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + RESET_VALID_MS);
    await db.$transaction(async (tx) => {
      if (token) await insertPasswordReset(tx, person.id, sha256(token), now, expiresAt);
      await audit.record(tx, {
        customerId: membership.customerId,
        actor: { type: 'admin', id: null, label: email },
        action: 'password.reset_requested',
        target: { type: 'admin', id: membership.id, label: email },
        details: { address },
      });
      await mailer.queuePasswordReset(tx, { customerId: membership.customerId, to: email, at: now, expiresAt, token });
    });
  }

  /** Sets the password (not temporary); every session of the person ends and their other links die. */
  async function complete(input: TCompletePasswordResetRequest): Promise<void> {
    const reset = await findPasswordReset(db, sha256(input.token));
    if (!reset || reset.usedAt || reset.killedAt) throw new AppError('password_reset_not_found');
    if (reset.expiresAt <= clock.now()) throw new AppError('password_reset_expired');
    const reasons = passwordWeaknesses(input.newPassword, reset.person.email);
    if (reasons.length) throw new AppError('weak_password', undefined, { reasons });
    const place = passwords.enter();
    let passwordHash;
    try {
      passwordHash = await place.hash(() => hashPassword(input.newPassword));
    } finally {
      place.leave();
    }
    const person = await findPersonWithActiveMemberships(db, reset.person.email);
    await db.$transaction(async (tx) => {
      if (!(await usePasswordReset(tx, reset.id, reset.personId, clock.now())))
        throw new AppError('password_reset_not_found');
      await setPassword(tx, reset.personId, passwordHash);
      await endSessionsOfPerson(tx, reset.personId, null);
      const membership =
        person?.memberships.find((m) => m.customerId === person.lastCustomerId) ?? person?.memberships[0];
      if (membership) {
        const who = { type: 'admin', id: membership.id, label: reset.person.email } as const;
        await audit.record(tx, {
          customerId: membership.customerId,
          actor: who,
          action: 'password.reset_completed',
          target: who,
        });
      }
    });
  }

  /** Whether a reset link still works (its mail is not sent otherwise). */
  async function isLinkLive(token: string): Promise<boolean> {
    const reset = await findPasswordReset(db, sha256(token));
    return !!reset && !reset.usedAt && !reset.killedAt && reset.expiresAt > clock.now();
  }

  return { request, complete, isLinkLive };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
