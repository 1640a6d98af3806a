import { poolOf, type Db } from '@reg/db/client';

/**
 * Resolves once the database answers the way requests need it to: through Prisma, through the
 * pool's own statements (named, as the hot paths' are), and writable (not a replica left
 * behind by a failover). Rejects otherwise.
 */
export async function pingDatabase(db: Db): Promise<void> {
  await db.customer.findFirst({ select: { id: true } });
  const { rows } = await poolOf(db).query<{ recovery: boolean }>({
    name: 'readyz',
    text: 'SELECT pg_is_in_recovery() AS recovery, (SELECT count(*) FROM (SELECT 1 FROM usage_reports LIMIT 1) s) AS n',
  });
  if (rows[0]?.recovery !== false) throw new Error('The database is read-only (a standby).');
}

/** Notification deliveries waiting to be sent: how many, and how old the oldest is (seconds). */
export async function outboxBacklog(db: Db): Promise<{ depth: number; oldestSeconds: number }> {
  const [row] = await db.$queryRaw<{ depth: number; oldest: number | null }[]>`
    SELECT count(*)::int AS depth, extract(epoch FROM now() - min(at))::float8 AS oldest
    FROM notification_deliveries WHERE status = 'pending'`;
  return { depth: row?.depth ?? 0, oldestSeconds: Math.max(0, row?.oldest ?? 0) };
}

/** The connections of this process's pool: all, idle, and queries waiting for one. */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } {
  const pool = poolOf(db);
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
