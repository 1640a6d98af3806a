import type { NotificationService } from './notifications.service.ts';

/** How often an instance looks for due deliveries: one indexed query when there are none. */
const DELIVERY_POLL_MS = 1_000;

/**
 * The delivery loop and the not-reporting sweep of one API instance. Every instance runs
 * both: claims (SKIP LOCKED with a lease) and the sweep's conditional upsert make that safe,
 * and a delivery written by a stopped instance is sent by whichever runs next. Passes never
 * overlap within an instance; stop() waits for the one in progress.
 */
export function startNotificationLoop(
  notifications: Pick<NotificationService, 'deliverDue' | 'sweep'>,
  { sweepSeconds, log }: { sweepSeconds: number; log: (message: string) => void },
) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastSweep = 0;

  const pass = async () => {
    if (Date.now() - lastSweep >= sweepSeconds * 1000) {
      lastSweep = Date.now();
      await notifications.sweep().catch((error) => log(`notification sweep failed: ${(error as Error).message}`));
    }
    // Keep going while full batches come back, so a backlog drains without waiting a poll each.
    while (!stopped && (await notifications.deliverDue()) > 0);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((error) => log(`notification delivery failed: ${(error as Error).message}`))
        .finally(schedule);
    }, DELIVERY_POLL_MS);
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
