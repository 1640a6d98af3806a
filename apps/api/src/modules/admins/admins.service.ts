import type { TAddAdminRequest, TAddedAdmin, TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword } from '../../lib/crypto.ts';
import { createPasswordQueue, type PasswordQueue } from '../../lib/password-queue.ts';
import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal, type OperatorPrincipal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RegistrationKeyService } from '../registration-keys/registration-keys.service.ts';
import {
  deleteAdmin,
  emailTaken,
  findAdmin,
  findAdminByEmail,
  findCustomers,
  hasCustomers,
  insertAdmin,
  insertCustomer,
  lastSignIns,
  listAdmins,
  lockAndCountFullAdmins,
  updateRole,
  type AdminRow,
} from './admins.repository.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /**
   * Every scrypt takes its turn here, so adding admins can't crowd out sign-ins or uploads.
   * The API passes its sign-in queue; the operator CLI and the seed, alone in their process, a queue of their own.
   */
  passwords?: PasswordQueue;
  /** Removing an admin revokes the registration keys they made (registration-keys module). */
  registrationKeys: Pick<RegistrationKeyService, 'revokeKeysOf'>;
}

/** 18 random bytes as base64url: 24 characters, 144 bits, shown once to the admin who adds. */
const generatePassword = (): string => randomBytes(18).toString('base64url');

const toAdmin = (row: AdminRow, lastSignInAt: Date | null): TAdmin => ({
  id: row.id,
  email: row.email,
  role: row.role as TAdminRole,
  createdAt: row.createdAt.toISOString(),
  lastSignInAt: lastSignInAt?.toISOString() ?? null,
});

const target = (row: AdminRow) => ({ type: 'admin', id: row.id, label: row.email });

export function createAdminService({
  db,
  audit,
  passwords = createPasswordQueue({ concurrent: 1, waiting: 64 }),
  registrationKeys,
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
    const rows = await listAdmins(db, principal.customerId);
    const signIns = await lastSignIns(
      db,
      principal.customerId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toAdmin(row, signIns.get(row.id) ?? null));
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
    if (await emailTaken(db, email)) throw new AppError('admin_exists');
    const passwordHash = await queuedHash(password);
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await insertAdmin(tx, {
          customerId: principal.customerId,
          email,
          passwordHash,
          role: input.role,
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
      return { admin: toAdmin(row, null), password };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'P2002') {
        throw new AppError('admin_exists');
      }
      throw error;
    }
  }

  async function changeRole(principal: AdminPrincipal, id: string, role: TAdminRole): Promise<TAdmin> {
    const row = await db.$transaction(async (tx) => {
      const fullAdmins = await lockAndCountFullAdmins(tx, principal.customerId);
      const admin = await findAdmin(tx, principal.customerId, id);
      if (!admin) throw notFound();
      if (admin.role === role) return admin;
      if (admin.role === 'full' && fullAdmins <= 1) throw new AppError('last_full_admin');
      const updated = await updateRole(tx, id, role);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'admin.role_changed',
        target: target(updated),
        details: { from: admin.role as TAdminRole, to: role },
      });
      return updated;
    });
    const signIns = await lastSignIns(db, principal.customerId, [row.id]);
    return toAdmin(row, signIns.get(row.id) ?? null);
  }

  /**
   * Their sessions end and their API clients go with them, and the registration keys they made
   * are revoked, in the same transaction. Only an
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
      await registrationKeys.revokeKeysOf(tx, principal.customerId, id, actorOf(principal));
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
      const admin = await insertAdmin(tx, {
        customerId: customer.id,
        email: input.email.trim().toLowerCase(),
        passwordHash,
        role: input.role,
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

  return {
    list,
    add,
    changeRole,
    remove,
    createCustomer,
    hasCustomers: () => hasCustomers(db),
    findCustomers: (ref: { id: string } | { name: string }) => findCustomers(db, ref),
    findByEmail: (email: string) => findAdminByEmail(db, email.trim().toLowerCase()),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
