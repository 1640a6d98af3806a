import type { TMfaSignInRequest } from '@reg/contracts/identity-api';
import type { TSessionResponse } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { MfaService } from '../mfa/mfa.service.ts';
import type { SsoPolicy } from '../sso/sso-policy.ts';
import { recordFailedSignIn } from './failed-sign-in.ts';
import { countMfaFailure, endPendingSignIn, findPendingSignIn } from './pending-sign-in.repository.ts';
import type { SessionService, SignInClient } from './session.service.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  sessions: Pick<SessionService, 'startSession' | 'beginSignInAttempt'>;
  mfa: Pick<MfaService, 'verifySecondStep'>;
  ssoPolicy: Pick<SsoPolicy, 'mayUsePassword'>;
}

/** Wrong codes a pending sign-in takes: the 5th ends it (the password must be given again). */
const MFA_FAILURES_PER_SIGN_IN = 5;

/**
 * The second step of a password sign-in (POST /session/mfa): a code from the authenticator app
 * or a recovery code turns the pending sign-in into a session under a new token.
 */
export function createMfaSignInService({ db, clock, audit, sessions, mfa, ssoPolicy }: Deps) {
  async function complete(
    token: string | null,
    input: TMfaSignInRequest,
    client: SignInClient,
  ): Promise<{ token: string; session: TSessionResponse }> {
    const pending = token ? await findPendingSignIn(db, sha256(token), clock.now()) : null;
    if (!pending) throw new AppError('unauthenticated');
    const email = pending.person.email;
    const membership = { id: pending.adminId, customerId: pending.admin.customerId };
    // A wrong code counts as a failed sign-in of the email and the address (429 once reached).
    const attempt = await sessions.beginSignInAttempt(email, client.address);
    const step = await mfa.verifySecondStep(pending.personId, input);
    if (!step) {
      if ((await countMfaFailure(db, pending.id)) >= MFA_FAILURES_PER_SIGN_IN) await endPendingSignIn(db, pending.id);
      await recordFailedSignIn({ db, audit }, membership, { email, address: client.address, reason: 'mfa_code' });
      throw new AppError('mfa_code_invalid');
    }
    await attempt.succeeded();
    // Gone meanwhile (ended by its 5th failure, or completed by another request): no session.
    if (!(await endPendingSignIn(db, pending.id))) throw new AppError('unauthenticated');
    const who = { type: 'admin', id: pending.adminId, label: email } as const;
    if (step.method === 'recovery_code') {
      await audit.record(db, {
        customerId: pending.admin.customerId,
        actor: who,
        action: 'mfa.recovery_code_used',
        target: who,
        details: { remaining: step.remaining },
      });
    }
    // Read again at the second step: single sign-on enforced, or break-glass taken away, while
    // the code was being typed makes no session (as at the first step, only after the right code).
    const policy = await ssoPolicy.mayUsePassword(pending.admin);
    if (!policy.allowed) {
      await recordFailedSignIn({ db, audit }, membership, { email, address: client.address, reason: 'sso_required' });
      throw new AppError('sso_required');
    }
    return sessions.startSession({
      adminId: pending.adminId,
      method: 'password',
      client,
      details: { mfa: step.method, ...(policy.breakGlass && { breakGlass: true }) },
    });
  }

  return { complete };
}

export type MfaSignInService = ReturnType<typeof createMfaSignInService>;
