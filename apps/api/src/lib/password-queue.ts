import { AppError } from './errors.ts';

interface PasswordQueueOptions {
  /** Hashes computed at once. */
  concurrent: number;
  /** Callers holding a place beyond those, waiting. */
  waiting: number;
}

/**
 * Bounds password hashing: scrypt takes tens of milliseconds of a libuv thread, and the pool
 * has four threads that gzip bodies and DNS use too, so a flood of sign-ins would stall
 * uploads. A caller takes a place first (refused at once, 503 with Retry-After, when all
 * places are taken: no database work, no hash), then hashes in turn. Hand-written because
 * p-limit and its kin queue without bound; this is a counting semaphore with a cap.
 */
export function createPasswordQueue({ concurrent, waiting }: PasswordQueueOptions) {
  let placesTaken = 0;
  let hashing = 0;
  /** Hashes run through the queue since it was made (a test counts them). */
  let hashed = 0;
  const turns: (() => void)[] = [];

  /** A place in the queue, or 503 unavailable when there is none. Call leave() when done. */
  function enter() {
    if (placesTaken >= concurrent + waiting) {
      throw new AppError('unavailable', 'Too many sign-ins at once; try again in a few seconds.', {}, 2);
    }
    placesTaken++;
    let left = false;
    return {
      async hash<T>(work: () => Promise<T>): Promise<T> {
        if (hashing < concurrent) hashing++;
        else await new Promise<void>((resolve) => turns.push(resolve)); // the slot is handed over
        hashed++;
        try {
          return await work();
        } finally {
          const next = turns.shift();
          if (next) next();
          else hashing--;
        }
      },
      leave() {
        if (!left) placesTaken--;
        left = true;
      },
    };
  }

  return { enter, stats: () => ({ placesTaken, hashing, waiting: turns.length, hashed }) };
}

export type PasswordQueue = ReturnType<typeof createPasswordQueue>;
