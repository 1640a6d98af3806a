import type { Tx } from './tx.ts';

/** The queries of attempt-limits.ts: failure rows, one per counted failure and key. */

/** Holds the keys' transaction-scoped advisory locks, so attempts on a key take turns on every instance. */
export async function lockKeys(tx: Tx, keys: readonly string[]): Promise<void> {
  for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** The time of the `n`-th newest failure of `key` after `since`, if there is one: one row read, however large `n` is. */
export async function nthNewestFailureAt(tx: Tx, key: string, since: Date, n: number): Promise<Date | null> {
  const [row] = await tx.attemptFailure.findMany({
    where: { key, at: { gt: since } },
    orderBy: { at: 'desc' },
    skip: n - 1,
    take: 1,
    select: { at: true },
  });
  return row?.at ?? null;
}

/** One failure row per key; their ids. */
export async function insertFailures(tx: Tx, keys: readonly string[], at: Date): Promise<bigint[]> {
  const created = await tx.attemptFailure.createManyAndReturn({
    data: keys.map((key) => ({ key, at })),
    select: { id: true },
  });
  return created.map((row) => row.id);
}

export async function deleteFailures(tx: Tx, ids: readonly bigint[]): Promise<void> {
  await tx.attemptFailure.deleteMany({ where: { id: { in: [...ids] } } });
}

export async function purgeFailuresBefore(tx: Tx, before: Date): Promise<number> {
  const { count } = await tx.attemptFailure.deleteMany({ where: { at: { lt: before } } });
  return count;
}
