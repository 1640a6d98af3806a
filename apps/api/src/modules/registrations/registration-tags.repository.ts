import type { Tx } from '../../lib/tx.ts';

/**
 * Replaces a listed (pending or active) registration's tags in one statement, under the row's
 * lock, and returns the tags it had: null when the registration is not the customer's or was
 * removed. Moving the server's usage between tags' rollups is the registrations trigger's
 * (usage-customer-rollup.repository.ts).
 */
export async function replaceTags(tx: Tx, customerId: string, id: string, tags: string[]) {
  const [row] = await tx.$queryRaw<{ from: string[] }[]>`
    UPDATE registrations r SET tags = ${tags}::text[]
    FROM (SELECT id, tags FROM registrations
          WHERE id = ${id}::uuid AND customer_id = ${customerId}::uuid AND removed_at IS NULL FOR UPDATE) old
    WHERE r.id = old.id
    RETURNING old.tags AS "from"`;
  return row ? row.from : null;
}

/** The registration as lists show it: its row and its key's description (null when not registered by key). */
export async function shownRegistration(tx: Tx, customerId: string, id: string) {
  const row = await tx.registration.findFirstOrThrow({ where: { id, customerId } });
  const key = row.registrationKeyId
    ? await tx.registrationKey.findFirst({
        where: { id: row.registrationKeyId, customerId },
        select: { description: true },
      })
    : null;
  return { ...row, registrationKeyDescription: key?.description ?? null };
}
