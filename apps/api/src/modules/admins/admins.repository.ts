import type { Db } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';

/** A membership with its person (whose email it shows). */
const withPerson = { person: true } as const;
export type AdminRow = NonNullable<Awaited<ReturnType<typeof findAdmin>>>;

export function listAdmins(db: Db, customerId: string): Promise<AdminRow[]> {
  return db.admin.findMany({ where: { customerId }, include: withPerson, orderBy: [{ person: { email: 'asc' } }] });
}

export function findAdmin(db: Db | Tx, customerId: string, id: string) {
  return db.admin.findFirst({ where: { id, customerId }, include: withPerson });
}

/** The person with this (normalised) email and each of their memberships with its customer. */
export function findPersonByEmail(db: Db | Tx, email: string) {
  return db.person.findUnique({ where: { email }, include: { memberships: { include: { customer: true } } } });
}

/** A customer's membership of the person with this (normalised) email. */
export function findMembershipByEmail(db: Db | Tx, customerId: string, email: string) {
  return db.admin.findFirst({ where: { customerId, person: { email } }, include: withPerson });
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

interface NewMembership {
  customerId: string;
  email: string;
  role: string;
  status: 'invited' | 'active';
  /** Set only when the person is new; an existing person keeps their password. */
  password?: { hash: string; temporary: boolean } | null;
}

/**
 * A membership for the person with this email, making the person when there is none. Two adds
 * of one new email racing meet the unique index on people.email (P2002), as before.
 */
export async function insertMembership(tx: Tx, input: NewMembership) {
  const person =
    (await tx.person.findUnique({ where: { email: input.email } })) ??
    (await tx.person.create({
      data: {
        email: input.email,
        passwordHash: input.password?.hash ?? null,
        passwordTemporary: input.password?.temporary ?? false,
        lastCustomerId: input.customerId,
      },
    }));
  return tx.admin.create({
    data: { customerId: input.customerId, personId: person.id, role: input.role, status: input.status },
    include: withPerson,
  });
}

/** Activating kills the membership's live invitation links. */
export async function setStatus(tx: Tx, id: string, status: 'invited' | 'active') {
  if (status === 'active') {
    await tx.invitation.updateMany({
      where: { adminId: id, usedAt: null, killedAt: null },
      data: { killedAt: new Date() },
    });
  }
  return tx.admin.update({ where: { id }, data: { status }, include: withPerson });
}

/**
 * Locks the customer's admins for the rest of the transaction and counts the full ones, so two
 * demotions or removals at once can't both pass the "another full admin is left" check.
 */
export async function lockAndCountFullAdmins(tx: Tx, customerId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ role: string; status: string }[]>`
    SELECT role, status FROM admins WHERE customer_id = ${customerId}::uuid ORDER BY id FOR UPDATE`;
  // An invited admin can't sign in yet, so it manages nothing.
  return rows.filter((row) => row.role === 'full' && row.status === 'active').length;
}

export function updateRole(tx: Tx, id: string, role: string): Promise<AdminRow> {
  return tx.admin.update({ where: { id }, data: { role }, include: withPerson });
}

/** Deletes the admin; their sessions and the API clients they made go with them (ON DELETE CASCADE). */
export async function deleteAdmin(tx: Tx, id: string): Promise<number> {
  const clients = await tx.apiClient.count({ where: { createdByAdminId: id } });
  await tx.admin.delete({ where: { id } });
  return clients;
}

/** Whether this customer has a membership for this (normalised) email. */
export async function emailTaken(db: Tx, customerId: string, email: string): Promise<boolean> {
  return (await db.admin.count({ where: { customerId, person: { email } } })) > 0;
}

export function setBreakGlass(tx: Tx, id: string, breakGlass: boolean): Promise<AdminRow> {
  return tx.admin.update({ where: { id }, data: { breakGlass }, include: withPerson });
}

/** The customer's break-glass admins (call after lockAndCountFullAdmins, so the count holds). */
export function countBreakGlass(tx: Tx, customerId: string): Promise<number> {
  return tx.admin.count({ where: { customerId, breakGlass: true } });
}
