import type { TAuditDetails } from '@reg/contracts/audit-api';
import type { Db } from '@reg/db/client';
import type { AuditService } from '../audit/audit.service.ts';

/**
 * A sign-in that made no session (a wrong password or second step, single sign-on required), in
 * the log of the customer the person would have entered: both steps of a sign-in record it alike.
 */
export function recordFailedSignIn(
  { db, audit }: { db: Db; audit: AuditService },
  membership: { id: string; customerId: string },
  details: TAuditDetails['session.sign_in_failed'],
) {
  return audit.record(db, {
    customerId: membership.customerId,
    actor: { type: 'admin', id: null, label: details.email },
    action: 'session.sign_in_failed',
    target: { type: 'admin', id: membership.id, label: details.email },
    details,
  });
}
