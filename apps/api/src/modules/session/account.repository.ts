import type { Tx } from '../../lib/tx.ts';

export function findPerson(db: Tx, personId: string) {
  return db.person.findUnique({ where: { id: personId } });
}

/** The person with this email and their active memberships (a reset link goes only to an active admin). */
export function findPersonWithActiveMemberships(db: Tx, email: string) {
  return db.person.findUnique({
    where: { email },
    include: { memberships: { where: { status: 'active' }, orderBy: [{ createdAt: 'asc' }] } },
  });
}

/** A new password, not temporary: the person chose it. */
export async function setPassword(tx: Tx, personId: string, passwordHash: string) {
  await tx.person.update({ where: { id: personId }, data: { passwordHash, passwordTemporary: false } });
}

/** Ends the person's sessions but `keep` (null: all of them); the ids ended. */
export async function endSessionsOfPerson(tx: Tx, personId: string, keep: string | null): Promise<string[]> {
  const where = { personId, ...(keep && { id: { not: keep } }) };
  const rows = await tx.session.findMany({ where, select: { id: true } });
  await tx.session.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
  return rows.map((row) => row.id);
}

/** Ends one of the person's sessions; false when it is not theirs (or gone). */
export async function endSessionOfPerson(tx: Tx, personId: string, id: string): Promise<boolean> {
  const { count } = await tx.session.deleteMany({ where: { id, personId } });
  return count === 1;
}

/** The person's live sessions (no pending sign-ins), newest first. */
export function listSessionsOfPerson(db: Tx, personId: string, now: Date, idleSince: Date) {
  return db.session.findMany({
    where: { personId, mfaPending: false, expiresAt: { gt: now }, lastSeenAt: { gt: idleSince } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

export async function insertPasswordReset(tx: Tx, personId: string, tokenHash: string, now: Date, expiresAt: Date) {
  await tx.passwordReset.create({ data: { personId, tokenHash, createdAt: now, expiresAt } });
}

export function findPasswordReset(db: Tx, tokenHash: string) {
  return db.passwordReset.findUnique({ where: { tokenHash }, include: { person: true } });
}

/** This link is used (false when another request used it first); the person's other live links die. */
export async function usePasswordReset(tx: Tx, id: string, personId: string, now: Date): Promise<boolean> {
  const { count } = await tx.passwordReset.updateMany({
    where: { id, usedAt: null, killedAt: null },
    data: { usedAt: now },
  });
  await killPasswordResets(tx, personId, now);
  return count === 1;
}

export async function killPasswordResets(tx: Tx, personId: string, now: Date) {
  await tx.passwordReset.updateMany({ where: { personId, usedAt: null, killedAt: null }, data: { killedAt: now } });
}
