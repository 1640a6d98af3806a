import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { RegistrationRemoval } from '../registrations/registration-removal.service.ts';
import { serverOf } from '../../lib/server-ref.ts';
import { cancelScheduledRemovals, claimAnnouncements, claimRemovals } from './stale-registrations.repository.ts';

/** Rows per transaction: a large backlog is worked off in short transactions. */
const BATCH = 200;

/** The audit log's actor for the sweep's removals. */
const STALE_SWEEP_ACTOR: Actor = { type: 'system', id: null, label: 'Stale registration policy' };

interface Deps {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  /** The registrations module's one removal path. */
  registrations: Pick<RegistrationRemoval, 'removeInTransaction'>;
}

/**
 * The stale-registration sweep (docs/stale-registrations.md): announces removals, then makes
 * those whose time has come, each with its event in the outbox in the same transaction.
 * Every API instance may run it at once; each announcement and each removal happens once
 * (the repository's SKIP LOCKED claims).
 */
export function createStaleRegistrationService({ db, clock, outbox, registrations }: Deps) {
  async function announce(now: Date): Promise<number> {
    return db.$transaction(async (tx) => {
      const announced = await claimAnnouncements(tx, now, BATCH);
      for (const r of announced) {
        await outbox.enqueue(tx, {
          customerId: r.customerId,
          type: 'server.removal_scheduled',
          at: now,
          data: {
            server: serverOf(r),
            lastContactAt: r.lastContactAt?.toISOString() ?? null,
            removalAt: r.removalScheduledAt.toISOString(),
            staleRemovalDays: r.staleRemovalDays,
          },
        });
      }
      return announced.length;
    });
  }

  /** Exactly as an admin's removal: the credential stops, history stays, the server can register again. */
  async function remove(now: Date): Promise<number> {
    return db.$transaction(async (tx) => {
      const claimed = await claimRemovals(tx, now, BATCH);
      const byCustomer = new Map<string, string[]>();
      for (const r of claimed) byCustomer.set(r.customerId, [...(byCustomer.get(r.customerId) ?? []), r.id]);
      for (const [customerId, ids] of byCustomer) {
        await registrations.removeInTransaction(tx, {
          customerId,
          ids,
          reason: 'stale',
          actor: STALE_SWEEP_ACTOR,
          now,
        });
      }
      return claimed.length;
    });
  }

  /** One pass: what was announced and what was removed. */
  async function sweep(): Promise<{ announced: number; removed: number }> {
    const now = clock.now();
    let announced = 0;
    let removed = 0;
    for (let n = BATCH; n === BATCH; announced += n) n = await announce(now);
    for (let n = BATCH; n === BATCH; removed += n) n = await remove(now);
    return { announced, removed };
  }

  /** In the caller's transaction: drops a customer's announced removals (the policy changed). */
  const cancelAnnounced = (tx: Tx, customerId: string) => cancelScheduledRemovals(tx, customerId);

  return { sweep, cancelAnnounced };
}

export type StaleRegistrationService = ReturnType<typeof createStaleRegistrationService>;
