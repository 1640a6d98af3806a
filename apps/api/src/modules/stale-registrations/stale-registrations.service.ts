import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { enqueueEvent } from '../notifications/notifications.repository.ts';
import { claimAnnouncements, claimRemovals, type SweptRegistration } from './stale-registrations.repository.ts';

/** Rows per transaction: a large backlog is worked off in short transactions. */
const BATCH = 200;

/** The audit log's actor for the sweep's removals. */
export const STALE_SWEEP_ACTOR: Actor = { type: 'system', id: null, label: 'Stale registration policy' };

/** The server a notification is about (docs/notifications.md). */
const serverOf = (r: SweptRegistration) => ({
  licenseServerId: r.licenseServerId,
  registrationId: r.id,
  serverName: r.serverName,
  hostname: r.hostname,
});

/**
 * The stale-registration sweep (docs/stale-registrations.md): announces removals, then makes
 * those whose time has come, each with its event in the outbox in the same transaction.
 * Every API instance may run it at once; each announcement and each removal happens once
 * (the repository's SKIP LOCKED claims).
 */
export function createStaleRegistrationService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  async function announce(now: Date): Promise<number> {
    return db.$transaction(async (tx) => {
      const announced = await claimAnnouncements(tx, now, BATCH);
      for (const r of announced) {
        await enqueueEvent(tx, {
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
      const removed = await claimRemovals(tx, now, BATCH);
      for (const r of removed) {
        await audit.record(tx, {
          customerId: r.customerId,
          actor: STALE_SWEEP_ACTOR,
          action: 'registration.removed',
          target: { type: 'registration', id: r.id, label: r.serverName },
          details: { reason: 'stale' },
        });
        await enqueueEvent(tx, {
          customerId: r.customerId,
          type: 'registration.removed',
          at: now,
          data: { server: serverOf(r), reason: 'stale' },
        });
      }
      return removed.length;
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

  return { sweep };
}

export type StaleRegistrationService = ReturnType<typeof createStaleRegistrationService>;
