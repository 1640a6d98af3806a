import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

export { Prisma } from './generated/prisma/client.ts';
export type { PrismaClient } from './generated/prisma/client.ts';
export type Db = PrismaClient;

export interface DbOptions {
  /** Connections in this process's pool. */
  poolSize?: number;
}

/**
 * The Prisma client over node-postgres. Connection attempts give up after a few seconds
 * so that requests answer 503 instead of hanging while the database is unreachable.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
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
