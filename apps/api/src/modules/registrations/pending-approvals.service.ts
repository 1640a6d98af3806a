import type { TApproveRegistrationsResult, TDenyRegistrationsResult } from '@reg/contracts/registration-keys-api';
import type { Db } from '@reg/db/client';
import type { Config } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { approveRows, lockPending, markPollsRegistered } from './key-registrations.repository.ts';
import type { RegistrationRemoval } from './registration-removal.service.ts';
import { serverOf } from '../../lib/server-ref.ts';

interface Deps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'CODE_TTL_SECONDS'>;
  audit: AuditService;
  outbox: Outbox;
  removal: RegistrationRemoval;
}

/** Splits the wanted ids (each once) into those decided and the rest, never told apart. */
function split(ids: readonly string[], decided: readonly string[]) {
  const wanted = [...new Set(ids)];
  const done = new Set(decided);
  return { done: wanted.filter((id) => done.has(id)), notFound: wanted.filter((id) => !done.has(id)) };
}

/**
 * An admin's decision on registrations waiting for approval (a manual registration key), up to
 * 1,000 in one transaction. Approval stays a person's act: API clients can't (the routes).
 */
export function createPendingApprovals({ db, clock, config, audit, outbox, removal }: Deps) {
  async function approve(admin: AdminPrincipal, ids: readonly string[]): Promise<TApproveRegistrationsResult> {
    const approved = await db.$transaction(async (tx) => {
      const now = clock.now();
      const pending = await lockPending(tx, admin.customerId, [...new Set(ids)]);
      if (pending.length === 0) return [];
      // The servers' working registrations end now (replaced), not when the request came.
      await removal.replaceWorking(tx, {
        customerId: admin.customerId,
        instanceIds: pending.map((row) => row.instanceId),
        actor: actorOf(admin),
        now,
      });
      const rows = await approveRows(
        tx,
        pending.map((row) => row.id),
        now,
      );
      const polls = await markPollsRegistered(
        tx,
        rows.map((row) => row.id),
        now,
        new Date(now.getTime() + config.CODE_TTL_SECONDS * 1000),
      );
      const from = new Map(polls.map((poll) => [poll.registrationId, poll.requestedFrom]));
      await audit.recordMany(
        tx,
        rows.map((row) => ({
          customerId: admin.customerId,
          actor: actorOf(admin),
          action: 'registration.created' as const,
          target: { type: 'registration', id: row.id, label: row.serverName },
          details: {
            via: 'registration-key' as const,
            keyId: row.registrationKeyId ?? undefined,
            requestedFrom: from.get(row.id),
            approval: 'manual' as const,
            hostname: row.hostname,
            instanceId: row.instanceId,
          },
        })),
      );
      await outbox.enqueueMany(
        tx,
        rows.map((row) => ({
          customerId: admin.customerId,
          type: 'registration.created' as const,
          at: now,
          data: { server: serverOf(row) },
        })),
      );
      return rows.map((row) => row.id);
    });
    const { done, notFound } = split(ids, approved);
    return { approved: done, notFound };
  }

  async function deny(admin: AdminPrincipal, ids: readonly string[]): Promise<TDenyRegistrationsResult> {
    const rows = await db.$transaction((tx) =>
      removal.denyPendingInTransaction(tx, {
        customerId: admin.customerId,
        ids: [...new Set(ids)],
        actor: actorOf(admin),
        now: clock.now(),
      }),
    );
    const { done, notFound } = split(
      ids,
      rows.map((row) => row.id),
    );
    return { denied: done, notFound };
  }

  return { approve, deny };
}

export type PendingApprovals = ReturnType<typeof createPendingApprovals>;
