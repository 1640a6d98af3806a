import type { NotificationService } from './notifications.service.ts';

/** How often an instance looks for due deliveries: one indexed query when there are none. */
const DELIVERY_POLL_MS = 1_000;

/**
 * The delivery loop and the not-reporting sweep of one API instance, each on its own timer:
 * a slow receiver never delays the sweep, and a long sweep never delays deliveries. Every
 * instance runs both: claims (SKIP LOCKED with a lease) and the sweep's conditional upsert
 * make that safe, and a delivery written by a stopped instance is sent by whichever runs
 * next. Each poll claims what is due while earlier sends are still in flight (within the
 * bounds of delivery.ts); stop() waits for the poll and the sweep in progress, and the
 * service's close() gives up the sends in flight.
 */
export function startNotificationLoop(
  notifications: Pick<NotificationService, 'deliverDue' | 'sweep'>,
  { sweepSeconds, log }: { sweepSeconds: number; log: (message: string) => void },
) {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  /** Runs `pass` a poll's time after the start, then again `ms` after each pass ends. */
  const every = (ms: number, pass: () => Promise<unknown>, what: string) => {
    let wait = DELIVERY_POLL_MS;
    const schedule = () => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const run = pass()
          .catch((error) => log(`notification ${what} failed: ${(error as Error).message}`))
          .finally(() => {
            running.delete(run);
            schedule();
          });
        running.add(run);
      }, wait);
      wait = ms;
      timer.unref();
      timers.add(timer);
    };
    schedule();
  };

  // Claim until nothing more can be started (nothing due, or the bounds are reached).
  every(
    DELIVERY_POLL_MS,
    async () => {
      while (!stopped && (await notifications.deliverDue({ wait: false })) > 0);
    },
    'delivery',
  );
  every(sweepSeconds * 1000, () => notifications.sweep(), 'sweep');

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
