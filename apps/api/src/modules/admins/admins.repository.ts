import type { Db } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';

export type AdminRow = NonNullable<Awaited<ReturnType<Db['admin']['findFirst']>>>;

export function listAdmins(db: Db, customerId: string): Promise<AdminRow[]> {
  return db.admin.findMany({ where: { customerId }, orderBy: [{ email: 'asc' }] });
}

/**
 * When each admin last signed in, from the audit log's `session.signed_in` events: the log
 * already records every sign-in, so a second copy on the admin's row would only drift from it.
 */
export async function lastSignIns(db: Db, customerId: string, adminIds: string[]): Promise<Map<string, Date>> {
  const rows = await db.auditEvent.groupBy({
    by: ['actorId'],
    where: { customerId, action: 'session.signed_in', actorId: { in: adminIds } },
    _max: { at: true },
  });
  return new Map(rows.flatMap((row) => (row.actorId && row._max.at ? [[row.actorId, row._max.at] as const] : [])));
}

export function findAdmin(db: Db | Tx, customerId: string, id: string): Promise<AdminRow | null> {
  return db.admin.findFirst({ where: { id, customerId } });
}

/** Emails are unique across customers, so an email finds at most one admin. */
export function findAdminByEmail(db: Db, email: string) {
  return db.admin.findFirst({ where: { email }, include: { customer: true } });
}

export async function hasCustomers(db: Db): Promise<boolean> {
  return (await db.customer.count()) > 0;
}

/** A customer by id, or by name with case aside (the operator CLI's --customer). */
export function findCustomers(db: Db, ref: { id: string } | { name: string }) {
  return db.customer.findMany({
    where: 'id' in ref ? { id: ref.id } : { name: { equals: ref.name, mode: 'insensitive' } },
  });
}

export function insertCustomer(tx: Tx, name: string) {
  return tx.customer.create({ data: { name } });
}

export function insertAdmin(tx: Tx, data: { customerId: string; email: string; passwordHash: string; role: string }) {
  return tx.admin.create({ data });
}

/**
 * Locks the customer's admins for the rest of the transaction and counts the full ones, so two
 * demotions or removals at once can't both pass the "another full admin is left" check.
 */
export async function lockAndCountFullAdmins(tx: Tx, customerId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ role: string }[]>`
    SELECT role FROM admins WHERE customer_id = ${customerId}::uuid ORDER BY id FOR UPDATE`;
  return rows.filter((row) => row.role === 'full').length;
}

export function updateRole(tx: Tx, id: string, role: string): Promise<AdminRow> {
  return tx.admin.update({ where: { id }, data: { role } });
}

/** Deletes the admin; their sessions and the API clients they made go with them (ON DELETE CASCADE). */
export async function deleteAdmin(tx: Tx, id: string): Promise<number> {
  const clients = await tx.apiClient.count({ where: { createdByAdminId: id } });
  await tx.admin.delete({ where: { id } });
  return clients;
}

/** Whether any customer has an admin with this (normalised) email. */
export async function emailTaken(db: Tx, email: string): Promise<boolean> {
  return (await db.admin.count({ where: { email } })) > 0;
}

/** The customer's admin with this (normalised) email. */
export function findCustomerAdminByEmail(db: Tx, customerId: string, email: string): Promise<AdminRow | null> {
  return db.admin.findFirst({ where: { customerId, email } });
}
