import type { Db } from '@reg/db/client';
import { actorOf, type OperatorPrincipal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { disableTotp, findPersonByEmail } from './mfa.repository.ts';

/**
 * The operator turns off the two-step verification of a person who lost both their device and
 * their recovery codes; audited `mfa.reset` in every customer they administer. Apart from the
 * TOTP service because the operator CLI runs without the app's secrets.
 */
export function createMfaReset({ db, audit }: { db: Db; audit: AuditService }) {
  return async function resetMfa(
    email: string,
    operatorFor: (customerId: string) => OperatorPrincipal,
  ): Promise<'reset' | 'not_enabled' | 'not_found'> {
    const person = await findPersonByEmail(db, email.trim().toLowerCase());
    if (!person) return 'not_found';
    if (!person.totpEnabledAt) return 'not_enabled';
    await db.$transaction(async (tx) => {
      await disableTotp(tx, person.id);
      for (const membership of person.memberships) {
        await audit.record(tx, {
          customerId: membership.customerId,
          actor: actorOf(operatorFor(membership.customerId)),
          action: 'mfa.reset',
          target: { type: 'admin', id: membership.id, label: person.email },
        });
      }
    });
    return 'reset';
  };
}

export type MfaReset = ReturnType<typeof createMfaReset>;
