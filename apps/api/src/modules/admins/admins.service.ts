import type { TAddAdminRequest, TAddedAdmin, TAdmin, TAdminRole, TUpdateAdminRequest } from '@reg/contracts/admins-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword } from '../../lib/crypto.ts';
import { createPasswordQueue, type PasswordQueue } from '../../lib/password-queue.ts';
import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal, type OperatorPrincipal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  countBreakGlass,
  deleteAdmin,
  findAdmin,
  findCustomers,
  findMembershipByEmail,
  findPersonByEmail,
  hasCustomers,
  insertCustomer,
  insertMembership,
  listAdmins,
  lockAndCountFullAdmins,
  setBreakGlass,
  setStatus,
  updateRole,
  type AdminRow,
} from './admins.repository.ts';
import type { Tx } from '../../lib/tx.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /**
   * Every scrypt takes its turn here, so adding admins can't crowd out sign-ins or uploads.
   * The API passes its sign-in queue; the operator CLI and the seed, alone in their process, a queue of their own.
   */
  passwords?: PasswordQueue;
}

/** Break-glass admins a customer may have. */
const MAX_BREAK_GLASS = 2;

/** 18 random bytes as base64url: 24 characters, 144 bits, shown once to the admin who adds. */
const generatePassword = (): string => randomBytes(18).toString('base64url');

const toAdmin = (row: AdminRow): TAdmin => ({
  id: row.id,
  email: row.person.email,
  role: row.role as TAdminRole,
  createdAt: row.createdAt.toISOString(),
  lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  breakGlass: row.breakGlass,
});

const target = (row: AdminRow) => ({ type: 'admin', id: row.id, label: row.person.email });

export function createAdminService({
  db,
  audit,
  passwords = createPasswordQueue({ concurrent: 1, waiting: 64 }),
}: Deps) {
  /** Every scrypt goes through the password queue, so adding admins can't starve sign-ins. */
  async function queuedHash(password: string): Promise<string> {
    const place = passwords.enter();
    try {
      return await place.hash(() => hashPassword(password));
    } finally {
      place.leave();
    }
  }

  async function list(principal: AdminPrincipal): Promise<TAdmin[]> {
    return (await listAdmins(db, principal.customerId)).map(toAdmin);
  }

  /** The console's admins get a generated password; an operator may give one. */
  async function add(
    principal: AdminPrincipal | OperatorPrincipal,
    input: TAddAdminRequest,
    password = generatePassword(),
  ): Promise<TAddedAdmin> {
    const email = input.email.trim().toLowerCase();
    // Emails are unique across customers (an admin signs in with the email alone): a taken one
    // is refused before any hashing. Two adds racing past this check meet the unique index below.
    if (await findPersonByEmail(db, email)) throw new AppError('admin_exists');
    const passwordHash = await queuedHash(password);
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await insertMembership(tx, {
          customerId: principal.customerId,
          email,
          role: input.role,
          status: 'active',
          password: { hash: passwordHash, temporary: false },
        });
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'admin.added',
          target: target(created),
          details: { role: created.role as TAdminRole },
        });
        return created;
      });
      return { admin: toAdmin(row), password };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'P2002') {
        throw new AppError('admin_exists');
      }
      throw error;
    }
  }

  /**
   * A role change, a break-glass change, or both at once (PATCH /admins/:id). Break-glass admins
   * may still use a password while the customer enforces single sign-on, so only an active full
   * admin may be one, and at most MAX_BREAK_GLASS per customer: a few known accounts, not a way
   * around the IdP.
   */
  async function update(principal: AdminPrincipal, id: string, input: TUpdateAdminRequest): Promise<TAdmin> {
    const row = await db.$transaction(async (tx) => {
      const fullAdmins = await lockAndCountFullAdmins(tx, principal.customerId);
      const admin = await findAdmin(tx, principal.customerId, id);
      if (!admin) throw notFound();
      const role = input.role ?? (admin.role as TAdminRole);
      const breakGlass = input.breakGlass ?? admin.breakGlass;
      if (breakGlass && (role !== 'full' || admin.status !== 'active')) throw new AppError('break_glass_requires_full');
      if (breakGlass && !admin.breakGlass && (await countBreakGlass(tx, principal.customerId)) >= MAX_BREAK_GLASS)
        throw new AppError('break_glass_limit');
      let updated = admin;
      if (role !== admin.role) {
        if (admin.role === 'full' && admin.status === 'active' && fullAdmins <= 1)
          throw new AppError('last_full_admin');
        updated = await updateRole(tx, id, role);
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'admin.role_changed',
          target: target(updated),
          details: { from: admin.role as TAdminRole, to: role },
        });
      }
      if (breakGlass !== admin.breakGlass) {
        updated = await setBreakGlass(tx, id, breakGlass);
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'admin.break_glass_changed',
          target: target(updated),
          details: { from: admin.breakGlass, to: breakGlass },
        });
      }
      return updated;
    });
    return toAdmin(row);
  }

  /**
   * Their sessions end and their API clients go with them, in the same transaction. Only an
   * operator may `force` the removal of the last full admin (to retire a customer's console).
   */
  async function remove(
    principal: AdminPrincipal | OperatorPrincipal,
    id: string,
    options: { force?: boolean } = {},
  ): Promise<{ deletedApiClients: number }> {
    if (principal.type === 'admin' && id === principal.id) throw new AppError('cannot_remove_self');
    const forced = principal.type === 'operator' && options.force === true;
    return db.$transaction(async (tx) => {
      const fullAdmins = await lockAndCountFullAdmins(tx, principal.customerId);
      const admin = await findAdmin(tx, principal.customerId, id);
      if (!admin) throw notFound();
      if (admin.role === 'full' && fullAdmins <= 1 && !forced) throw new AppError('last_full_admin');
      const deletedApiClients = await deleteAdmin(tx, id);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'admin.removed',
        target: target(admin),
        details: { role: admin.role as TAdminRole, deletedApiClients },
      });
      return { deletedApiClients };
    });
  }

  /**
   * A new customer with its first admin (operator CLI and first start only). Names pick a
   * customer in the operator CLI, so two alike (case aside) are refused: the one taken is answered.
   */
  async function createCustomer(
    by: Omit<OperatorPrincipal, 'customerId'>,
    input: { name: string; email: string; password: string; role: TAdminRole },
  ): Promise<{ created: { id: string; name: string } } | { taken: { id: string; name: string } }> {
    const [taken] = await findCustomers(db, { name: input.name });
    if (taken) return { taken };
    const passwordHash = await queuedHash(input.password);
    return db.$transaction(async (tx) => {
      const customer = await insertCustomer(tx, input.name);
      const admin = await insertMembership(tx, {
        customerId: customer.id,
        email: input.email.trim().toLowerCase(),
        role: input.role,
        status: 'active',
        password: { hash: passwordHash, temporary: false },
      });
      await audit.record(tx, {
        customerId: customer.id,
        actor: actorOf({ ...by, customerId: customer.id }),
        action: 'admin.added',
        target: target(admin),
        details: { role: admin.role as TAdminRole },
      });
      return { created: customer };
    });
  }

  /**
   * For single sign-on's just-in-time creation: an active membership without a password (a new
   * person has none; an existing person keeps theirs). Inside the caller's transaction, so its
   * audit entry goes with it. Throws P2002 when the customer already has that email.
   */
  function createActiveWithoutPassword(
    tx: Tx,
    input: { customerId: string; email: string; role: TAdminRole },
  ): Promise<AdminRow> {
    return insertMembership(tx, {
      customerId: input.customerId,
      email: input.email.trim().toLowerCase(),
      role: input.role,
      status: 'active',
      password: null,
    });
  }

  /** An invited membership becomes active (single sign-on or an accepted invitation); its links die. */
  async function activateInvited(tx: Tx, adminId: string): Promise<AdminRow> {
    return setStatus(tx, adminId, 'active');
  }

  return {
    list,
    add,
    update,
    remove,
    createCustomer,
    hasCustomers: () => hasCustomers(db),
    findCustomers: (ref: { id: string } | { name: string }) => findCustomers(db, ref),
    /** The person with this email and their memberships (the operator CLI names admins by email). */
    findPersonByEmail: (email: string) => findPersonByEmail(db, email.trim().toLowerCase()),
    /** For single sign-on: a customer's membership (invited or active) of the person with this email. */
    findMembershipByEmail: (customerId: string, email: string) =>
      findMembershipByEmail(db, customerId, email.trim().toLowerCase()),
    createActiveWithoutPassword,
    activateInvited,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
