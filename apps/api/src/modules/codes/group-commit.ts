/**
 * Group commit: concurrent callers' items are written together, one statement and one
 * commit for the lot, and each caller's promise settles only after that commit. Nothing is
 * acknowledged early, so durability is exactly that of one write per request; what is saved
 * is the per-statement and per-commit cost, which dominates small inserts.
 *
 * A batch starts as soon as fewer than `maxInFlight` are running (after the current turn of
 * the event loop, so requests parsed together go together): an idle service adds no delay,
 * and under load the batches grow by themselves while earlier ones commit.
 */
import { AppError } from '../../lib/errors.ts';

const batchTimedOut = () =>
  new AppError('unavailable', 'The service is briefly unavailable; try again shortly.', {}, 5);

interface GroupCommitOptions {
  /** Most items in one batch. */
  maxBatch: number;
  /** Most batches being written at once (each holds one database connection). */
  maxInFlight: number;
  /**
   * A batch not written within this fails its callers with 503 unavailable and stops counting
   * as in flight, so the next batch can go (a hung write would otherwise stall every caller
   * behind it). One timer per batch, none per item.
   */
  timeoutMs?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<T, R>(write: (items: T[]) => Promise<R[]>, options: GroupCommitOptions) {
  let queue: Waiting<T, R>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule() {
    if (scheduled || !queue.length || inFlight >= options.maxInFlight) return;
    scheduled = true;
    setImmediate(start);
  }

  function start() {
    scheduled = false;
    while (queue.length && inFlight < options.maxInFlight) {
      const batch = queue.length <= options.maxBatch ? queue : queue.slice(0, options.maxBatch);
      queue = queue.length <= options.maxBatch ? [] : queue.slice(options.maxBatch);
      inFlight++;
      run(batch).finally(() => {
        inFlight--;
        schedule();
      });
    }
  }

  async function run(batch: Waiting<T, R>[]) {
    let timer: NodeJS.Timeout | undefined;
    try {
      const writing = write(batch.map((w) => w.item));
      const results = options.timeoutMs
        ? await Promise.race([
            writing,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(batchTimedOut()), options.timeoutMs);
            }),
          ])
        : await writing;
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      clearTimeout(timer);
    }
  }

  return (item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
