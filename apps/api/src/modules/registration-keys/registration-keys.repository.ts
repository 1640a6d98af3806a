import type { TRegistrationKeyStatus } from '@reg/contracts/registration-keys-api';
import { Prisma, type Db } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import type { Tx } from '../../lib/tx.ts';

export type KeyRow = NonNullable<Awaited<ReturnType<Db['registrationKey']['findFirst']>>>;

interface NewKey {
  customerId: string;
  description: string;
  secretHash: string;
  maxUses: number | null;
  expiresAt: Date;
  approval: string;
  tags: string[];
  createdAt: Date;
  createdByAdminId: string;
  createdByEmail: string;
}

export function insertKey(tx: Tx, key: NewKey) {
  return tx.registrationKey.create({ data: key });
}

/** Each status as SQL, in the order they win: revoked, then used up, then expired, else active. */
function statusCondition(status: TRegistrationKeyStatus, now: Date): Prisma.Sql {
  const exhausted = Prisma.sql`(k.max_uses IS NOT NULL AND k.uses >= k.max_uses)`;
  switch (status) {
    case 'revoked':
      return Prisma.sql`k.revoked_at IS NOT NULL`;
    case 'exhausted':
      return Prisma.sql`k.revoked_at IS NULL AND ${exhausted}`;
    case 'expired':
      return Prisma.sql`k.revoked_at IS NULL AND NOT ${exhausted} AND k.expires_at <= ${now}`;
    case 'active':
      return Prisma.sql`k.revoked_at IS NULL AND NOT ${exhausted} AND k.expires_at > ${now}`;
  }
}

/** A customer's keys, newest first, after a (created_at, id) key. */
export function listKeys(
  db: Tx,
  args: {
    customerId: string;
    status: TRegistrationKeyStatus | undefined;
    now: Date;
    after: KeyValue[] | null;
    take: number;
  },
): Promise<KeyRow[]> {
  const conditions = [Prisma.sql`k.customer_id = ${args.customerId}::uuid`];
  if (args.status) conditions.push(statusCondition(args.status, args.now));
  if (args.after) {
    const [createdAt, id] = args.after;
    conditions.push(Prisma.sql`(k.created_at, k.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return db.$queryRaw<KeyRow[]>`
    SELECT k.id, k.customer_id AS "customerId", k.description, k.secret_hash AS "secretHash", k.max_uses AS "maxUses",
           k.uses, k.expires_at AS "expiresAt", k.approval, k.tags, k.created_at AS "createdAt",
           k.created_by_admin_id AS "createdByAdminId", k.created_by_email AS "createdByEmail",
           k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt", k.revoked_reason AS "revokedReason"
    FROM registration_keys k
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY k.created_at DESC, k.id DESC
    LIMIT ${args.take}`;
}

export function findKey(db: Tx, customerId: string, id: string) {
  return db.registrationKey.findFirst({ where: { id, customerId } });
}

export function findKeyBySecretHash(db: Tx, secretHash: string) {
  return db.registrationKey.findFirst({ where: { secretHash } });
}

/**
 * Revokes the customer's key if it is not revoked yet: the row it changed, or none. The update
 * waits for a registration holding the key's row (a use counted, not yet committed), so no
 * registration with the key commits after this one does.
 */
export function revokeKey(tx: Tx, customerId: string, id: string, now: Date, reason: string) {
  return tx.registrationKey.updateManyAndReturn({
    where: { id, customerId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
}

/** Revokes every live key an admin made (they are being removed). */
export function revokeKeysOfCreator(tx: Tx, customerId: string, adminId: string, now: Date) {
  return tx.registrationKey.updateManyAndReturn({
    where: { customerId, createdByAdminId: adminId, revokedAt: null },
    data: { revokedAt: now, revokedReason: 'creator_removed' },
  });
}

/**
 * Counts one use of an active key, atomically: one conditional UPDATE, so of concurrent
 * registrations no more pass than the uses left (each waits for the row, then re-checks
 * the condition on the row as the one before it left it). Null: the key is not active.
 */
export async function countUse(tx: Tx, id: string, now: Date): Promise<KeyRow | null> {
  const rows = await tx.registrationKey.updateManyAndReturn({
    where: {
      id,
      revokedAt: null,
      expiresAt: { gt: now },
      OR: [{ maxUses: null }, { uses: { lt: tx.registrationKey.fields.maxUses } }],
    },
    data: { uses: { increment: 1 }, lastUsedAt: now },
  });
  return rows[0] ?? null;
}
