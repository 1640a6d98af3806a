import type { Tx } from '../../lib/tx.ts';

/** A new link for an invited membership; the earlier live ones die. */
export async function replaceInvitation(tx: Tx, adminId: string, tokenHash: string, now: Date, expiresAt: Date) {
  await tx.invitation.updateMany({ where: { adminId, usedAt: null, killedAt: null }, data: { killedAt: now } });
  return tx.invitation.create({ data: { adminId, tokenHash, createdAt: now, expiresAt } });
}

/** An invitation by its token's hash, with its membership, person and customer. */
export function findInvitationByTokenHash(tx: Tx, tokenHash: string) {
  return tx.invitation.findUnique({
    where: { tokenHash },
    include: { admin: { include: { person: true, customer: true } } },
  });
}

/** The link is used: it and any other live link of the membership die. */
export async function useInvitation(tx: Tx, id: string, adminId: string, now: Date): Promise<boolean> {
  const { count } = await tx.invitation.updateMany({
    where: { id, usedAt: null, killedAt: null },
    data: { usedAt: now },
  });
  await tx.invitation.updateMany({ where: { adminId, usedAt: null, killedAt: null }, data: { killedAt: now } });
  return count === 1;
}

/** When each invited membership's live link expires. */
export async function liveInvitationExpiries(tx: Tx, adminIds: string[]): Promise<Map<string, Date>> {
  const rows = await tx.invitation.findMany({
    where: { adminId: { in: adminIds }, usedAt: null, killedAt: null },
    select: { adminId: true, expiresAt: true },
  });
  return new Map(rows.map((row) => [row.adminId, row.expiresAt]));
}

/** Sets a new person's first password (accepting an invitation). */
export async function setFirstPassword(tx: Tx, personId: string, passwordHash: string) {
  await tx.person.update({ where: { id: personId }, data: { passwordHash, passwordTemporary: false } });
}

/** Whether the person has another active membership (then they exist already and sign in first). */
export async function hasOtherActiveMembership(tx: Tx, personId: string, adminId: string): Promise<boolean> {
  return (await tx.admin.count({ where: { personId, status: 'active', id: { not: adminId } } })) > 0;
}

export async function activateMembership(tx: Tx, adminId: string) {
  await tx.admin.update({ where: { id: adminId }, data: { status: 'active' } });
}
