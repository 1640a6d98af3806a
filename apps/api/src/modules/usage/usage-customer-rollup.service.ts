import type { Db } from '@reg/db/client';
import { foldDeltaBatch } from './usage-customer-rollup.repository.ts';

/** Deltas folded per transaction: a few thousand uploads' worth, a transaction of well under a second. */
const FOLD_BATCH = 20_000;
/** A sweep stops after this many batches and leaves the rest to the next: it shares its loop. */
const MAX_BATCHES_PER_SWEEP = 25;

/**
 * The customer rollup's fold (usage-customer-rollup.repository.ts): run from the notification
 * loop's sweep. Reads are exact without it; it keeps them reading one row per key and period
 * rather than every delta since.
 */
export function createCustomerRollup({ db }: { db: Db }) {
  async function foldCustomerRollup(): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES_PER_SWEEP; i++) {
      const folded = await foldDeltaBatch(db, FOLD_BATCH);
      total += folded;
      if (folded < FOLD_BATCH) break;
    }
    return total;
  }
  return { foldCustomerRollup };
}
