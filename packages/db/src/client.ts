import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { currentDeadline, DeadlineExceededError } from './deadline.ts';
import { RetryingPool } from './retrying-pool.ts';

export { Prisma } from './generated/prisma/client.ts';
export type { PrismaClient } from './generated/prisma/client.ts';
export type Db = PrismaClient;

/**
 * How the connections reach PostgreSQL: `session` (directly, or a pooler in session mode: a
 * connection is one server session) or `transaction` (PgBouncer in transaction mode: each
 * transaction, or each statement outside one, may run on another server connection).
 */
export type PoolMode = 'session' | 'transaction';

export interface DbOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
  /** PostgreSQL's statement_timeout (ms). */
  statementTimeoutMs?: number;
  /** Most time to connect, or to wait for a free connection of the pool (ms). */
  connectTimeoutMs?: number;
  /** Default: DATABASE_POOL_MODE from the environment, else `session`. */
  poolMode?: PoolMode;
  /**
   * The longest a request may take (the API's REQUEST_TIMEOUT_MS): a retried transaction may
   * wait that long for a connection while the database comes back (retrying-pool.ts).
   */
  requestTimeoutMs?: number;
}

/** How much later than the server's statement timeout the client gives up on its own. */
const CLIENT_MARGIN_MS = 1_000;

/**
 * SQLSTATEs and errors after which a connection can't be trusted any more: connection
 * exceptions (class 08, 08P01 a protocol violation), and a prepared statement missing (26000)
 * or already there (42P05), which behind a pooler in transaction mode means the client's idea
 * of its server session is wrong. Such a connection is closed, never handed out again.
 */
const BROKEN = /^(08...|26000|42P05)$/;
export const isBrokenConnectionError = (error: unknown): boolean =>
  BROKEN.test(String((error as { code?: unknown } | null)?.code ?? ''));

export const poolModeOf = (value = process.env.DATABASE_POOL_MODE): PoolMode =>
  value === 'transaction' ? 'transaction' : 'session';

/**
 * The Prisma client over node-postgres, with every wait bounded so that requests answer 503
 * instead of hanging while the database is unreachable or frozen (a failover, a network
 * black hole: TCP still open, no answer):
 * - statement_timeout: PostgreSQL cancels a statement that runs too long (a slow query);
 * - query_timeout: the client gives up a little later by itself (a server that answers nothing
 *   can't cancel anything); the pool then drops that connection;
 * - idle_in_transaction_session_timeout: a transaction left open by a stuck client is ended
 *   by the server, its locks released;
 * - connectionTimeoutMillis: connecting, and waiting for a free connection, both give up;
 * - TCP keep-alive: a peer that vanished is noticed on idle connections too.
 * In `transaction` pool mode the two server-side timeouts can't be startup parameters
 * (PgBouncer refuses them, and a session setting would leak to other clients): every
 * transaction sets them with SET LOCAL, and statements outside a transaction rely on the
 * role's settings (docs/operations.md) and on query_timeout. No statement is prepared by name
 * there either, since the next transaction may run on a server session that never saw it.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  const idleInTransactionMs = Math.max(2 * statementTimeoutMs, 10_000);
  const transactionMode = (options.poolMode ?? poolModeOf()) === 'transaction';
  const pool = new RetryingPool(statementTimeoutMs, {
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    query_timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    ...(!transactionMode && {
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: idleInTransactionMs,
    }),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    Client: clientFor(
      transactionMode
        ? `BEGIN; SET LOCAL statement_timeout = ${statementTimeoutMs}; SET LOCAL idle_in_transaction_session_timeout = ${idleInTransactionMs}`
        : null,
    ),
  });
  // A pool's idle connection that fails (the server went away) must not take the process down.
  pool.on('error', () => undefined);
  // Nor one in use: a server shut down mid-query (57P01) emits 'error' on the client as well as
  // failing the query, and with no listener that event would be an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // Interactive transactions: running is bounded like the rest; waiting for a connection is
    // bounded by the pool (connectionTimeoutMillis, and a retry's wait by the request's
    // deadline), so Prisma's own bound only has to be longer than both.
    transactionOptions: {
      maxWait: Math.max(connectTimeoutMs, options.requestTimeoutMs ?? 0) + CLIENT_MARGIN_MS,
      timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    },
  });
  pools.set(db, pool);
  return db;
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * node-postgres's Client, made safe behind a pooler: a connection that failed in a way that
 * leaves it unusable is closed at once (the pool then drops it instead of handing it out
 * again); with `begin` set (transaction pool mode), a statement's name is dropped and each
 * BEGIN carries the transaction's timeouts. Every query of the pool goes through here, so
 * repositories may name statements freely.
 */
function clientFor(begin: string | null): typeof pg.Client {
  return class PoolerSafeClient extends pg.Client {
    // node-postgres's query has a dozen overloads; this passes each through unchanged.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const [first] = args;
      const submittable = typeof (first as { submit?: unknown } | null)?.submit === 'function';
      if (begin !== null && !submittable) {
        if (first === 'BEGIN') args[0] = begin;
        else if (typeof first === 'object' && first) {
          const config = { ...(first as pg.QueryConfig) };
          delete config.name;
          if (config.text === 'BEGIN' && !config.values?.length) config.text = begin;
          args[0] = config;
        }
      }
      const text = typeof first === 'string' ? first : (first as pg.QueryConfig | null)?.text;
      const deadline = submittable ? undefined : currentDeadline();
      if (deadline && text === 'COMMIT' && deadline.expired) return this.rollBackLate(args);
      if (deadline) deadline.landing = text === 'COMMIT';
      const discard = (error: unknown) => {
        if (isBrokenConnectionError(error)) void this.end().catch(() => undefined);
      };
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const callback = args[last] as QueryCallback;
        args[last] = (error: Error | null, result?: unknown) => {
          if (error) discard(error);
          callback(error, result);
        };
      }
      const result: unknown = (super.query as (...all: unknown[]) => unknown).apply(this, args);
      if (result && typeof (result as Promise<unknown>).catch === 'function' && !submittable) {
        return (result as Promise<unknown>).catch((error: unknown) => {
          discard(error);
          throw error;
        });
      }
      return result;
    }

    /**
     * Work whose request was answered 503 at its deadline does not land after that answer: its
     * COMMIT becomes a ROLLBACK. The client was told to try again; had the work committed, the
     * retry would do it twice (a registration key's use counted for a credential nobody holds).
     * The other way round, once a COMMIT is sent the deadline waits for the answer it leads to
     * (`landing`, request-deadline.ts): a 503 means nothing landed.
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private rollBackLate(args: any[]): any {
      const rolledBack = super.query('ROLLBACK').then(() => {
        throw new DeadlineExceededError();
      });
      const callback = args.at(-1) as QueryCallback | unknown;
      if (typeof callback !== 'function') return rolledBack;
      rolledBack.catch((error: Error) => (callback as QueryCallback)(error));
      return undefined;
    }
  };
}

const pools = new WeakMap<Db, pg.Pool>();

/**
 * The node-postgres pool under a client made by createDb (the same connections). For the
 * few hot statements where Prisma's per-query work shows (bulk usage inserts, batched code
 * inserts); their SQL stays in the service that runs it.
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This database client was not made by createDb.');
  return pool;
}
