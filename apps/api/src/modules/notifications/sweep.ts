import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { Outbox } from './outbox.ts';
import { claimServerTransitions } from './sweep.repository.ts';

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
      for (const t of transitions) {
        const server = {
          licenseServerId: t.licenseServerId,
          registrationId: t.registrationId,
          serverName: t.serverName,
          hostname: t.hostname,
        };
        const data = { server, lastContactAt: t.lastContactAt?.toISOString() ?? null };
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
