import type { Db } from '@reg/db/client';
import {
  deleteFailures,
  insertFailures,
  lockKeys,
  nthNewestFailureAt,
  purgeFailuresBefore,
} from './attempt-limits.repository.ts';
import type { Clock } from './clock.ts';
import { AppError } from './errors.ts';
import type { Tx } from './tx.ts';

const LIMIT_WINDOW_MS = 15 * 60 * 1000;
/** The longest window a rule may give (password resets count per hour): rows are kept this long. */
const LONGEST_WINDOW_MS = 60 * 60 * 1000;

interface LimitRule {
  key: string;
  max: number;
  /** The window failures count in; LIMIT_WINDOW_MS unless given, at most LONGEST_WINDOW_MS (rows are purged after it). */
  windowMs?: number;
}

/**
 * Failure counters kept in PostgreSQL, so a limit holds on every API instance alike.
 * Each counted failure is a row; a key is blocked while `max` rows lie in the window,
 * until the oldest of them leaves it.
 */
export function createAttemptLimits({
  db,
  clock,
  maxQueueWaitMs = 8_000,
}: {
  db: Db;
  clock: Clock;
  /**
   * Longest wait in a key's in-memory queue without the queue moving (a turn answered by the
   * database), before 503 unavailable.
   * Without it a database that stopped answering would make every attempt on a busy key (all
   * sign-ins share one) wait for all those before it to time out; a long burst on a healthy
   * database keeps moving and waits as long as it takes.
   */
  maxQueueWaitMs?: number;
}) {
  /** Per key, the tail of this process's queue of attempts on it. */
  const queues = new Map<string, Promise<void>>();
  /** Per key with a queue, how many turns have ended: what "the queue moves" means. */
  const turnsEnded = new Map<string, number>();

  /**
   * Runs `work` in a transaction holding the keys' advisory locks, so attempts on one key take
   * turns on every instance. Within this process they first queue in memory, so a burst on one
   * key holds one pooled connection, not one per request: it can't starve the pool (and with
   * it other customers' requests) while it waits. Keys are taken in sorted order: no deadlock.
   */
  async function inTurn<T>(keys: string[], work: (tx: Tx) => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    // A turn that ended because the database failed is no progress (see maxQueueWaitMs).
    let answered = false;
    try {
      for (const key of keys) {
        const previous = queues.get(key) ?? Promise.resolve();
        let release!: () => void;
        const mine = new Promise<void>((resolve) => (release = resolve));
        const tail = previous.then(() => mine);
        queues.set(key, tail);
        // Released in `finally` even when the wait below gives up, so those behind still go.
        releases.push(() => {
          release();
          if (answered) turnsEnded.set(key, (turnsEnded.get(key) ?? 0) + 1);
          if (queues.get(key) === tail) {
            queues.delete(key);
            turnsEnded.delete(key);
          }
        });
        await waitWhileMoving(previous, maxQueueWaitMs, () => turnsEnded.get(key) ?? 0);
      }
      const result = await db.$transaction(async (tx) => {
        await lockKeys(tx, keys);
        return work(tx);
      });
      answered = true;
      return result;
    } catch (error) {
      // A refusal (429) is an answer from a working database; anything else is not.
      answered = error instanceof AppError && error.code !== 'unavailable';
      throw error;
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Refuses with 429 and Retry-After while any rule's key has `max` failures in the window. */
  async function assertWithin(tx: Tx, rules: LimitRule[], message: string, now: Date) {
    let retryAfterMs = 0;
    for (const rule of rules) {
      const windowMs = rule.windowMs ?? LIMIT_WINDOW_MS;
      // The max-th newest failure in the window, if there is one.
      const oldest = await nthNewestFailureAt(tx, rule.key, new Date(now.getTime() - windowMs), rule.max);
      if (oldest) retryAfterMs = Math.max(retryAfterMs, oldest.getTime() + windowMs - now.getTime());
    }
    if (retryAfterMs > 0) {
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw new AppError('rate_limited', `${message} Try again in ${Math.ceil(seconds / 60)} minute(s).`, {}, seconds);
    }
  }

  const keysOf = (rules: LimitRule[]) => [...new Set(rules.map((rule) => rule.key))].sort();

  /**
   * Checks the rules and counts this attempt as a failure in one step, taking turns per key
   * (a transaction-scoped advisory lock), so attempts sent all at once can't all pass the
   * check before any is counted. Call `succeeded()` when the attempt turned out not to be
   * a failure: its rows go again. For slow attempts (a password hash) that shouldn't hold the lock.
   */
  async function begin(rules: LimitRule[], message: string): Promise<{ succeeded(): Promise<void> }> {
    const keys = keysOf(rules);
    const ids = await inTurn(keys, async (tx) => {
      const now = clock.now();
      await assertWithin(tx, rules, message, now);
      return insertFailures(tx, keys, now);
    });
    return {
      succeeded: async () => {
        await deleteFailures(db, ids);
      },
    };
  }

  /**
   * Runs one quick attempt while holding the rules' keys, so attempts sent all at once are
   * checked and counted one after another; an error for which `isFailure` says yes is counted
   * before it is thrown. Unlike `begin`, attempts in flight don't count, so many concurrent
   * look-ups that aren't failures are never refused.
   */
  async function guard<T>(
    rules: LimitRule[],
    message: string,
    // Runs on the guard's own connection: waiting for a second one while holding the lock could starve the pool.
    attempt: (tx: Tx) => Promise<T>,
    isFailure: (error: unknown) => boolean,
  ): Promise<T> {
    const keys = keysOf(rules);
    const outcome = await inTurn(keys, async (tx) => {
      const now = clock.now();
      await assertWithin(tx, rules, message, now);
      try {
        return { ok: true as const, value: await attempt(tx) };
      } catch (error) {
        if (isFailure(error)) await insertFailures(tx, keys, now);
        return { ok: false as const, error };
      }
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Refuses with 429 while a rule's key is at its limit, without taking a turn: for attempts
   * that are mostly not failures (a fleet enrolling behind one address), checked again by
   * `guard` when one does fail.
   */
  async function check(rules: LimitRule[], message: string): Promise<void> {
    await assertWithin(db, rules, message, clock.now());
  }

  /** Rows older than the window count for nothing: purge them now and then. */
  async function purge(): Promise<number> {
    return purgeFailuresBefore(db, new Date(clock.now().getTime() - LONGEST_WINDOW_MS));
  }

  return { begin, guard, check, purge };
}

export type AttemptLimits = ReturnType<typeof createAttemptLimits>;

/** `turn`, or 503 unavailable once `ms` pass with no turn ended: one timer at a time per wait. */
function waitWhileMoving(turn: Promise<void>, ms: number, ended: () => number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = ended();
    const check = () => {
      if (ended() === seen) {
        reject(new AppError('unavailable', 'The service is briefly unavailable; try again shortly.', {}, 5));
        return;
      }
      seen = ended();
      timer = setTimeout(check, ms);
    };
    let timer = setTimeout(check, ms);
    turn.then(() => {
      clearTimeout(timer);
      resolve();
    }, reject);
  });
}
