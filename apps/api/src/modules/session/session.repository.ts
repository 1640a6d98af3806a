import type { Tx } from '../../lib/tx.ts';

interface NewSession {
  tokenHash: string;
  adminId: string;
  personId: string;
  method: 'password' | 'sso';
  csrfToken: string;
  sourceAddress: string | null;
  userAgent: string | null;
  mfaPending: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The person with this email and their active memberships, oldest first, with their customers. */
export function findPersonForSignIn(db: Tx, email: string) {
  return db.person.findUnique({
    where: { email },
    include: {
      memberships: { where: { status: 'active' }, include: { customer: true }, orderBy: [{ createdAt: 'asc' }] },
    },
  });
}

/** A membership with its person and customer (who a session acts as). */
export function findMembership(db: Tx, adminId: string) {
  return db.admin.findUnique({ where: { id: adminId }, include: { person: true, customer: true } });
}

/** The customers a person administers (active memberships), by name. */
export function findCustomersOfPerson(db: Tx, personId: string) {
  return db.admin.findMany({
    where: { personId, status: 'active' },
    include: { customer: true },
    orderBy: [{ customer: { name: 'asc' } }, { customerId: 'asc' }],
  });
}

export function insertSession(tx: Tx, session: NewSession) {
  return tx.session.create({ data: session });
}

/** The sign-in enters this customer next time; the membership records when it was last used. */
export async function recordSignIn(tx: Tx, adminId: string, personId: string, customerId: string, at: Date) {
  await tx.admin.update({ where: { id: adminId }, data: { lastSignInAt: at } });
  await tx.person.update({ where: { id: personId }, data: { lastCustomerId: customerId } });
}

/** A session by its token's hash, with its membership, person and customer (who acts, in one query). */
export function findSessionByTokenHash(db: Tx, tokenHash: string) {
  return db.session.findUnique({
    where: { tokenHash },
    include: { person: true, admin: { include: { customer: true } } },
  });
}

export function findSessionById(db: Tx, id: string) {
  return db.session.findUnique({ where: { id }, include: { person: true, admin: { include: { customer: true } } } });
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

/** The session now acts as another membership of its person, with a new CSRF token. */
export async function moveSession(tx: Tx, id: string, adminId: string, csrfToken: string) {
  await tx.session.update({ where: { id }, data: { adminId, csrfToken } });
}

/** A person's active membership in a customer. */
export function findActiveMembershipOf(db: Tx, personId: string, customerId: string) {
  return db.admin.findFirst({ where: { personId, customerId, status: 'active' } });
}

export async function setLastCustomer(tx: Tx, personId: string, customerId: string) {
  await tx.person.update({ where: { id: personId }, data: { lastCustomerId: customerId } });
}
