import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { Outbox } from './outbox.ts';
import { serverRef } from '../../lib/server-ref.ts';
import type { Tx } from '../../lib/tx.ts';
import { claimServerTransitions, lockServerStates, silentServers } from './sweep.repository.ts';

/** The not-reporting sweep (docs/notifications.md): safe to run on every instance at once. */
export function createSweep({
  db,
  clock,
  outbox,
  notReportingAfterHours,
  licenseAlerts,
}: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  notReportingAfterHours: number;
  /** Expiry dates and shortages of held product keys (entitlements/license-alerts.ts); returns events written. */
  licenseAlerts?: () => Promise<number>;
}) {
  /** Announces registrations that turned Not reporting or report again; returns how many. */
  async function sweep(): Promise<number> {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - notReportingAfterHours * 3600_000);
    const announced = await db.$transaction(async (tx) => {
      const transitions = await claimServerTransitions(tx, now, cutoff);
      // Held until commit: a channel being added reads the states before or after these events.
      await lockServerStates(
        tx,
        transitions.map((t) => t.customerId),
        'shared',
      );
      for (const t of transitions) {
        const data = { server: serverRef(t), lastContactAt: t.lastContactAt?.toISOString() ?? null };
        await outbox.enqueue(tx, {
          customerId: t.customerId,
          at: now,
          ...(t.notReporting ? { type: 'server.not_reporting', data } : { type: 'server.reporting_again', data }),
        });
      }
      return transitions.length;
    });
    return announced + ((await licenseAlerts?.()) ?? 0);
  }

  return { sweep };
}

/**
 * Tells a channel that starts receiving events (created, or an address confirmed) the current
 * state: one `server.not_reporting`, to it alone, per active registration the sweep last
 * recorded as silent. Transitions are claimed whether or not a channel wants them, so without
 * this a channel added while a server is silent would hear nothing until it reported again.
 * Old transitions are not replayed: only what is true now. Called in the transaction that
 * creates or confirms the channel, which is what makes it once per channel.
 */
export async function announceCurrentState(
  tx: Tx,
  outbox: Outbox,
  channel: { id: string; customerId: string; events: string[] },
  now: Date,
): Promise<number> {
  if (!channel.events.includes('server.not_reporting')) return 0;
  await lockServerStates(tx, [channel.customerId], 'exclusive');
  const silent = await silentServers(tx, channel.customerId);
  for (const s of silent) {
    await outbox.enqueue(tx, {
      customerId: channel.customerId,
      at: now,
      channelId: channel.id,
      type: 'server.not_reporting',
      data: { server: serverRef(s), lastContactAt: s.lastContactAt?.toISOString() ?? null },
    });
  }
  return silent.length;
}
