import type { Tx } from '../../lib/tx.ts';

export interface MuteRow {
  id: string;
  registrationId: string | null;
  serverName: string | null;
  fromAt: Date;
  toAt: Date;
  reason: string;
  createdAt: Date;
  createdById: string;
  createdByEmail: string;
}

/** The active registration's server name, or null when it is not an active registration of the customer. */
export async function activeServerName(tx: Tx, customerId: string, registrationId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ serverName: string }[]>`
    SELECT server_name AS "serverName" FROM registrations
    WHERE id = ${registrationId}::uuid AND customer_id = ${customerId}::uuid AND removed_at IS NULL`;
  return rows[0]?.serverName ?? null;
}

export async function createMute(
  tx: Tx,
  mute: Omit<MuteRow, 'id' | 'serverName'> & { customerId: string },
): Promise<string> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO notification_mutes (id, customer_id, registration_id, from_at, to_at, reason, created_at, created_by_id, created_by_email)
    VALUES (gen_random_uuid(), ${mute.customerId}::uuid, ${mute.registrationId}::uuid, ${mute.fromAt}, ${mute.toAt},
            ${mute.reason}, ${mute.createdAt}, ${mute.createdById}::uuid, ${mute.createdByEmail})
    RETURNING id`;
  return rows[0]!.id;
}

/** The customer's mutes that end after `endedAfter`: from newest first, then id. */
export function listMutes(tx: Tx, customerId: string, endedAfter: Date) {
  return tx.$queryRaw<MuteRow[]>`
    SELECT m.id, m.registration_id AS "registrationId", r.server_name AS "serverName", m.from_at AS "fromAt",
           m.to_at AS "toAt", m.reason, m.created_at AS "createdAt", m.created_by_id AS "createdById",
           m.created_by_email AS "createdByEmail"
    FROM notification_mutes m LEFT JOIN registrations r ON r.id = m.registration_id
    WHERE m.customer_id = ${customerId}::uuid AND m.to_at > ${endedAfter} ORDER BY m.from_at DESC, m.id`;
}

export async function findMute(tx: Tx, customerId: string, id: string): Promise<MuteRow | null> {
  const rows = await tx.$queryRaw<MuteRow[]>`
    SELECT m.id, m.registration_id AS "registrationId", r.server_name AS "serverName", m.from_at AS "fromAt",
           m.to_at AS "toAt", m.reason, m.created_at AS "createdAt", m.created_by_id AS "createdById",
           m.created_by_email AS "createdByEmail"
    FROM notification_mutes m LEFT JOIN registrations r ON r.id = m.registration_id
    WHERE m.customer_id = ${customerId}::uuid AND m.id = ${id}::uuid FOR UPDATE OF m`;
  return rows[0] ?? null;
}

export async function deleteMute(tx: Tx, customerId: string, id: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM notification_mutes WHERE customer_id = ${customerId}::uuid AND id = ${id}::uuid`;
}

/** Housekeeping: mutes that ended before `before`. */
export function purgeMutes(tx: Tx, before: Date): Promise<number> {
  return tx.$executeRaw`DELETE FROM notification_mutes WHERE to_at < ${before}`;
}
