import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

export { Prisma } from './generated/prisma/client.ts';
export type { PrismaClient } from './generated/prisma/client.ts';
export type Db = PrismaClient;

export interface DbOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
  /** PostgreSQL's statement_timeout on every connection (ms). */
  statementTimeoutMs?: number;
  /** Most time to connect, or to wait for a free connection of the pool (ms). */
  connectTimeoutMs?: number;
}

/** How much later than the server's statement timeout the client gives up on its own. */
const CLIENT_MARGIN_MS = 1_000;

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
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    idle_in_transaction_session_timeout: Math.max(2 * statementTimeoutMs, 10_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A pool's idle connection that fails (the server went away) must not take the process down.
  pool.on('error', () => undefined);
  // Nor one in use: a server shut down mid-query (57P01) emits 'error' on the client as well as
  // failing the query, and with no listener that event would be an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // Interactive transactions: waiting for a connection and running are bounded like the rest.
    transactionOptions: { maxWait: connectTimeoutMs, timeout: statementTimeoutMs + CLIENT_MARGIN_MS },
  });
  pools.set(db, pool);
  return db;
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
