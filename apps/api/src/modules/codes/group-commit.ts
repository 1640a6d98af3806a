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
export interface GroupCommitOptions {
  /** Most items in one batch. */
  maxBatch: number;
  /** Most batches being written at once (each holds one database connection). */
  maxInFlight: number;
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
    try {
      const results = await write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  return (item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
