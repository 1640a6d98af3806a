import type { Tx } from '../../lib/tx.ts';

/** The customer's settings as stored: one column per setting on the customer's row. */
export async function findSettings(db: Tx, customerId: string) {
  return db.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { staleRemovalDays: true, requireMfa: true },
  });
}

/** The settings, with the customer's row locked until the transaction ends, so changes take turns. */
export async function lockSettings(tx: Tx, customerId: string) {
  const rows = await tx.$queryRaw<{ staleRemovalDays: number | null; requireMfa: boolean }[]>`
    SELECT stale_removal_days AS "staleRemovalDays", require_mfa AS "requireMfa"
    FROM customers WHERE id = ${customerId}::uuid FOR UPDATE`;
  return rows[0]!;
}

export async function saveSettings(
  tx: Tx,
  customerId: string,
  settings: { staleRemovalDays: number | null; requireMfa: boolean },
) {
  await tx.customer.update({ where: { id: customerId }, data: settings });
}
