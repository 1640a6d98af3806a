import type { TBulkRemoveResult } from '@reg/contracts/console-api';
import type { TRemovalReason } from '@reg/contracts/events';
import { notFound } from '../../lib/errors.ts';
import { actorOf, type Actor, type Principal } from '../../lib/principal.ts';
import type { ChangeDeps } from '../../lib/change-deps.ts';
import type { Tx } from '../../lib/tx.ts';
import { denyPollsOf, findActiveOfInstances, markDenied, requestedFromOf } from './key-registrations.repository.ts';
import { findRegistration, markRemoved, type RegistrationRow } from './registrations.repository.ts';
import { serverOf } from '../../lib/server-ref.ts';

interface Removal {
  /** Only this customer's registrations are removed; an id of another customer's is left alone. */
  customerId: string;
  ids: readonly string[];
  reason: TRemovalReason;
  /** Who removed: an admin or API client, the product itself, or the stale policy. */
  actor: Actor;
  now: Date;
}

/**
 * The one way a registration ends (docs/design.md, "Removing a registration"): by an admin, by
 * the product, by a newer registration of the same server and by the stale policy alike.
 */
export function createRegistrationRemoval({ db, clock, audit, outbox }: ChangeDeps) {
  /**
   * In the caller's transaction: marks the customer's active registrations among `ids` removed
   * (so their credentials are refused from then on), audits each and writes one
   * `registration.removed` event each. Returns the rows it removed: one already removed is
   * skipped, so of two overlapping removals each registration is removed (and told) once.
   */
  async function removeInTransaction(tx: Tx, removal: Removal): Promise<RegistrationRow[]> {
    const { customerId, ids, reason, actor, now } = removal;
    const rows = await markRemoved(tx, { customerId, ids, now, reason });
    // A request still waiting for approval: its poll answers 403 from now on.
    await denyPollsOf(
      tx,
      rows.filter((row) => row.pendingApproval).map((row) => row.id),
      now,
    );
    // One statement each for the audit entries and the events, however many rows (bulk removal).
    await audit.recordMany(
      tx,
      rows.map((row) => ({
        customerId,
        actor,
        action: 'registration.removed' as const,
        target: { type: 'registration', id: row.id, label: row.serverName },
        details: { reason },
      })),
    );
    await outbox.enqueueMany(
      tx,
      // A pending request was never announced as registered: nothing to tell of its end.
      rows
        .filter((row) => !row.pendingApproval)
        .map((row) => ({
          customerId,
          type: 'registration.removed' as const,
          at: now,
          data: { server: serverOf(row), reason },
        })),
    );
    return rows;
  }

  /**
   * In the caller's transaction: the working registrations of these servers end, replaced by the
   * one an admin is making now (from a code, a request file or an approved request).
   */
  async function replaceWorking(tx: Tx, servers: Omit<Removal, 'ids' | 'reason'> & { instanceIds: readonly string[] }) {
    const { customerId, instanceIds, actor, now } = servers;
    const working = await findActiveOfInstances(tx, customerId, instanceIds);
    return removeInTransaction(tx, { customerId, ids: working.map((row) => row.id), reason: 'replaced', actor, now });
  }

  /**
   * Denies the customer's pending-approval registrations among `ids`: they leave every list and
   * their polls answer 403. One conditional update, so a denial racing an approval (or another
   * denial) decides each row once. Audited registration.denied each.
   */
  async function denyPendingInTransaction(
    tx: Tx,
    denial: { customerId: string; ids: readonly string[]; actor: Actor; now: Date },
  ): Promise<RegistrationRow[]> {
    const rows = await markDenied(tx, denial.customerId, denial.ids, denial.now);
    const ids = rows.map((row) => row.id);
    const from = await requestedFromOf(tx, ids);
    await denyPollsOf(tx, ids, denial.now);
    await audit.recordMany(
      tx,
      rows.map((row) => ({
        customerId: denial.customerId,
        actor: denial.actor,
        action: 'registration.denied' as const,
        target: { type: 'registration', id: row.id, label: row.serverName },
        details: {
          via: 'registration-key' as const,
          keyId: row.registrationKeyId ?? '',
          requestedFrom: from.get(row.id) ?? '',
          hostname: row.hostname,
        },
      })),
    );
    return rows;
  }

  const removeNow = (removal: Omit<Removal, 'now'>) =>
    db.$transaction((tx) => removeInTransaction(tx, { ...removal, now: clock.now() }));

  /** Removes in any state; removing one already removed is a no-op, so a retried DELETE is safe. */
  async function removeByAdmin(principal: Principal, id: string): Promise<void> {
    const registration = await findRegistration(db, principal.customerId, id);
    if (!registration) throw notFound();
    await removeNow({ customerId: principal.customerId, ids: [id], reason: 'admin', actor: actorOf(principal) });
  }

  /**
   * Removes the customer's active registrations among `ids` in one transaction. An id that is
   * another customer's, already removed or unknown is `notFound` (never told apart, so ids can't
   * be probed); a repeated id counts once.
   */
  async function removeManyByAdmin(principal: Principal, ids: readonly string[]): Promise<TBulkRemoveResult> {
    const wanted = [...new Set(ids)];
    const rows = await removeNow({
      customerId: principal.customerId,
      ids: wanted,
      reason: 'admin',
      actor: actorOf(principal),
    });
    const removed = new Set(rows.map((row) => row.id));
    return { removed: wanted.filter((id) => removed.has(id)), notFound: wanted.filter((id) => !removed.has(id)) };
  }

  /** The product ends its own registration with its credential. */
  async function removeByProduct(registration: RegistrationRow): Promise<void> {
    await removeNow({
      customerId: registration.customerId,
      ids: [registration.id],
      reason: 'product',
      actor: { type: 'product', id: registration.id, label: registration.serverName },
    });
  }

  return {
    removeInTransaction,
    replaceWorking,
    removeByAdmin,
    removeManyByAdmin,
    removeByProduct,
    denyPendingInTransaction,
  };
}

export type RegistrationRemoval = ReturnType<typeof createRegistrationRemoval>;
