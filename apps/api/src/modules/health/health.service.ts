import type { Db } from '@reg/db/client';
import { pingDatabase } from './health.repository.ts';

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
  return { databaseReady };
}

export type HealthService = ReturnType<typeof createHealthService>;
