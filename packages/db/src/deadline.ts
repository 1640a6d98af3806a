import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The time by which the work under way (an API request) must be answered, carried with it
 * through every await (AsyncLocalStorage), so the pool can tell how long it may wait for the
 * database and whether a retry still fits. Outside one (background sweeps, the CLIs) there is
 * no deadline: each wait is bounded by its own timeout, as before.
 */
export interface Deadline {
  /** Epoch ms. Infinity once the answer has started (a streamed export goes on past it). */
  at: number;
  /** The deadline passed before an answer: nothing may start any more. */
  expired: boolean;
  /** Whether failed work may wait for the database and run once more (not for readiness probes). */
  retries: boolean;
  /**
   * The work's last statement was a COMMIT (sent, or answered with nothing sent since): what it
   * did has landed or is landing, so the answer must say so and not be a deadline's 503.
   */
  landing?: boolean;
}

const deadlines = new AsyncLocalStorage<Deadline>();
const retrying = new AsyncLocalStorage<true>();

/** Runs `work` (and everything it awaits) under `deadline`. */
export const runWithDeadline = <T>(deadline: Deadline, work: () => T): T => deadlines.run(deadline, work);

export const currentDeadline = (): Deadline | undefined => deadlines.getStore();

/** Milliseconds left before the current deadline; Infinity outside one, 0 once it expired. */
export function remainingMs(): number {
  const deadline = deadlines.getStore();
  if (!deadline) return Infinity;
  return deadline.expired ? 0 : deadline.at - Date.now();
}

/** Whether the work under way is a retry: its connections then wait for the database to be back. */
export const inRetry = (): boolean => retrying.getStore() === true;

/** Runs `work` as a retry (inRetry). */
export const asRetry = <T>(work: () => T): T => retrying.run(true, work);

/** The error of work that would start after its deadline: nobody would see its answer. */
export class DeadlineExceededError extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
  constructor() {
    super('The request deadline passed before the database could be used.');
  }
}
