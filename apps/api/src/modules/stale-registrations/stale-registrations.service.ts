import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { claimAnnouncements, claimRemovals, type SweptRegistration } from './stale-registrations.repository.ts';

/** Rows per transaction: a large backlog is worked off in short transactions. */
const BATCH = 200;

/** The audit log's actor for the sweep's removals. */
export const STALE_SWEEP_ACTOR: Actor = { type: 'system', id: null, label: 'Stale registration policy' };

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** An event for the outbox, written in the sweep's transaction (docs/notifications.md). */
export interface StaleEvent {
  customerId: string;
  type: 'server.removal_scheduled' | 'registration.removed';
  at: Date;
  data: Record<string, unknown>;
}
export type EnqueueEvent = (tx: Tx, event: StaleEvent) => Promise<unknown>;

/** The server a notification is about (docs/notifications.md). */
const serverOf = (r: SweptRegistration) => ({
  licenseServerId: r.licenseServerId,
  registrationId: r.id,
  serverName: r.serverName,
  hostname: r.hostname,
});

/**
 * The stale-registration sweep (docs/stale-registrations.md): announces removals, then makes
 * those whose time has come. Every API instance may run it at once; each announcement and
 * each removal happens once (the repository's SKIP LOCKED claims).
 */
export function createStaleRegistrationService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  enqueueEvent: EnqueueEvent;
}) {
  const { db, clock, audit, enqueueEvent } = deps;

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
