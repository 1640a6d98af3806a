import { PrismaPg } from '@prisma/adapter-pg';
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
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
