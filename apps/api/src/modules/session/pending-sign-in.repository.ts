import type { Tx } from '../../lib/tx.ts';

/** A pending sign-in by its token's hash, while it lives, with its membership and person. */
export function findPendingSignIn(db: Tx, tokenHash: string, now: Date) {
  return db.session.findFirst({
    where: { tokenHash, mfaPending: true, expiresAt: { gt: now } },
    include: { person: true, admin: true },
  });
}

/** One more wrong code; the count after it (0 when the pending sign-in is gone). */
export async function countMfaFailure(db: Tx, id: string): Promise<number> {
  const rows = await db.$queryRaw<{ failures: number }[]>`
    UPDATE sessions SET mfa_failures = mfa_failures + 1 WHERE id = ${id}::uuid AND mfa_pending
    RETURNING mfa_failures AS failures`;
  return rows[0]?.failures ?? 0;
}

/** Ends a pending sign-in; false when it was gone already (another request completed it). */
export async function endPendingSignIn(db: Tx, id: string): Promise<boolean> {
  const { count } = await db.session.deleteMany({ where: { id, mfaPending: true } });
  return count === 1;
}
