import pg from 'pg';
import { DeadlineExceededError, asRetry, currentDeadline, inRetry, remainingMs } from './deadline.ts';
import { MIN_RETRY_MS, isConnectionError, retryFits } from './retry.ts';

/** Failures where the statement never ran (refused at connect, or rejected before executing). */
const NOT_RUN = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|^(08001|08004|57P03|26000|42P05)$/;
/** Failures of the connection itself: a statement may have run, so only reads are sent again. */
const CONNECTION_LOST = /ECONNRESET|EPIPE|Connection terminated|^(08...|57P01|57P02)$/;
const READ_ONLY = /^\s*(SELECT|WITH)\b/i;
const WRITES = /\b(INSERT|UPDATE|DELETE|MERGE)\b/i;
/** pg-pool's words when every connection stayed busy: not the database's fault, not retried. */
const POOL_BUSY = /timeout exceeded when trying to connect/;

/** Whether a statement outside a transaction that failed with `error` may be sent once more. */
function mayRetry(error: unknown, text: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const found = (pattern: RegExp) => pattern.test(String(code ?? '')) || pattern.test(String(message ?? ''));
  if (found(NOT_RUN)) return true;
  return found(CONNECTION_LOST) && READ_ONLY.test(text) && !WRITES.test(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A pool whose statements outside a transaction (Prisma's reads and single writes) are sent
 * once more, on a fresh connection, when the first try failed on the connection (a failover,
 * a pooler restart) and that is safe (mayRetry), while time is left.
 *
 * Connecting: a failed connect is tried once more at once (nothing was sent yet). Within a
 * retry (deadline.ts's inRetry: retryIdempotent, or the second try of a read here) it goes on
 * trying, backing off, until the request's deadline is near: that wait for the database to be
 * back is what turns a failover's gap into slow answers instead of 503s. A connection had after
 * the deadline passed is given back unused: nobody would see the work's answer.
 */
export class RetryingPool extends pg.Pool {
  constructor(
    /** Outside a request: how long after the first try a retry may still start. */
    private readonly retryWithinMs: number,
    config: pg.PoolConfig,
  ) {
    super(config);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    if (typeof args[args.length - 1] === 'function') {
      return (super.query as (...all: unknown[]) => unknown).apply(this, args);
    }
    const first = args[0] as string | pg.QueryConfig;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const started = Date.now();
    return this.queryOnce(args).catch((error: unknown) => {
      if (!mayRetry(error, text) || !retryFits() || (!currentDeadline() && Date.now() - started > this.retryWithinMs))
        throw error;
      return asRetry(() => this.queryOnce(args));
    });
  }

  /** pg-pool's own query, over this pool's connect: the connection is given back, dropped on an error. */
  private async queryOnce(args: unknown[]): Promise<unknown> {
    const client = (await this.connect()) as pg.PoolClient;
    try {
      const result = await (client.query as (...all: unknown[]) => Promise<unknown>).apply(client, args);
      client.release();
      return result;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    if (typeof args[0] === 'function') return (super.connect as (...all: unknown[]) => unknown).apply(this, args);
    return this.connectWithin();
  }

  private async connectWithin(): Promise<pg.PoolClient> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await super.connect();
      } catch (error) {
        if (POOL_BUSY.test(String((error as Error)?.message))) throw error;
        const waiting = inRetry() && (currentDeadline()?.retries ?? false) && isConnectionError(error);
        if (waiting) {
          const pause = Math.min(100 * 2 ** attempt, 1_000) * (0.5 + Math.random() / 2);
          if (remainingMs() - pause <= MIN_RETRY_MS / 2) throw error;
          await sleep(pause);
          continue;
        }
        if (attempt > 0 || remainingMs() <= 0 || Date.now() - started > this.retryWithinMs) throw error;
        continue;
      }
      if (remainingMs() <= 0) {
        client.release();
        throw new DeadlineExceededError();
      }
      return client;
    }
  }
}
