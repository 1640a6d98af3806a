import type { Tx } from '../../lib/tx.ts';

interface NewSession {
  tokenHash: string;
  adminId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function findAdminByEmail(db: Tx, email: string) {
  return db.admin.findUnique({ where: { email }, include: { customer: true } });
}

export function insertSession(tx: Tx, session: NewSession) {
  return tx.session.create({ data: session });
}

/** A session by its token's hash, with its admin and customer (who acts, in one query). */
export function findSessionByTokenHash(db: Tx, tokenHash: string) {
  return db.session.findUnique({ where: { tokenHash }, include: { admin: { include: { customer: true } } } });
}

export async function touchSession(db: Tx, id: string, lastSeenAt: Date): Promise<void> {
  await db.session.update({ where: { id }, data: { lastSeenAt } });
}

/** How many were deleted: 0 when it was gone already. */
export async function deleteSession(db: Tx, id: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { id } });
  return count;
}

/** Sessions past their maximum, or idle since before `idleSince`. */
export async function deleteExpiredSessions(db: Tx, now: Date, idleSince: Date): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleSince } }] },
  });
  return count;
}
