import type { Tx } from '../../lib/tx.ts';

export function findPersonById(db: Tx, personId: string) {
  return db.person.findUnique({ where: { id: personId } });
}

export function findPersonByEmail(db: Tx, email: string) {
  return db.person.findUnique({
    where: { email },
    include: { memberships: { where: { status: 'active' }, include: { customer: true } } },
  });
}

/** Whether any customer the person is an active admin of requires two-step verification. */
export async function isMfaRequiredForPerson(db: Tx, personId: string): Promise<boolean> {
  const count = await db.admin.count({ where: { personId, status: 'active', customer: { requireMfa: true } } });
  return count > 0;
}

export async function savePendingSecret(db: Tx, personId: string, sealed: string) {
  await db.person.update({ where: { id: personId }, data: { totpPendingSecret: sealed } });
}

/** Turns it on with the pending secret; false when it was on already (a confirmation raced another). */
export async function enableTotp(tx: Tx, personId: string, sealed: string, step: number, at: Date) {
  const { count } = await tx.person.updateMany({
    where: { id: personId, totpEnabledAt: null },
    data: { totpSecret: sealed, totpPendingSecret: null, totpLastStep: BigInt(step), totpEnabledAt: at },
  });
  return count === 1;
}

/**
 * Off: the secrets go, and so do the recovery codes. The last accepted step stays, so a code
 * seen once is refused even after turning it off and on again.
 */
export async function disableTotp(tx: Tx, personId: string) {
  await tx.person.update({
    where: { id: personId },
    data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null },
  });
  await tx.recoveryCode.deleteMany({ where: { personId } });
}

/**
 * Takes the step as the last accepted one unless it is not newer: one statement, so two requests
 * with the same code cannot both pass.
 */
export async function acceptStep(db: Tx, personId: string, step: number): Promise<boolean> {
  const { count } = await db.person.updateMany({
    where: {
      id: personId,
      totpEnabledAt: { not: null },
      OR: [{ totpLastStep: null }, { totpLastStep: { lt: BigInt(step) } }],
    },
    data: { totpLastStep: BigInt(step) },
  });
  return count === 1;
}

export async function replaceRecoveryCodes(tx: Tx, personId: string, hashes: string[], at: Date) {
  await tx.recoveryCode.deleteMany({ where: { personId } });
  await tx.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ personId, codeHash, createdAt: at })) });
}

/** Spends an unused recovery code; false when there is none with that hash. */
export async function useRecoveryCode(db: Tx, personId: string, codeHash: string, at: Date): Promise<boolean> {
  const { count } = await db.recoveryCode.updateMany({
    where: { personId, codeHash, usedAt: null },
    data: { usedAt: at },
  });
  return count === 1;
}

export function countUnusedRecoveryCodes(db: Tx, personId: string) {
  return db.recoveryCode.count({ where: { personId, usedAt: null } });
}
