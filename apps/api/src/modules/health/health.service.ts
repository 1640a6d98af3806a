import type { Db } from '@reg/db/client';
import { outboxBacklog, pingDatabase, poolStats } from './health.repository.ts';

/** How long readiness waits for the database before saying it is unreachable. */
const READY_TIMEOUT_MS = 2_000;

export function createHealthService({ db }: { db: Db }) {
  /** Whether the database answers within READY_TIMEOUT_MS. */
  async function databaseReady(): Promise<boolean> {
    try {
      await Promise.race([
        pingDatabase(db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS).unref()),
      ]);
      return true;
    } catch {
      return false;
    }
  }
  return {
    databaseReady,
    /** For the metrics: the pool's connections now. */
    poolStats: () => poolStats(db),
    /** For the metrics: pending notification deliveries and the oldest one's age. */
    outboxBacklog: () => outboxBacklog(db),
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
