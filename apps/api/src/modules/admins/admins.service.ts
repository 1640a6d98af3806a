import type { TAddAdminRequest, TAddedAdmin, TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword } from '../../lib/crypto.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  deleteAdmin,
  emailTaken,
  findAdmin,
  insertAdmin,
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
  /** Every scrypt takes its turn here, so adding admins can't crowd out sign-ins or uploads. */
  passwords: PasswordQueue;
}

/** 18 random bytes as base64url: 24 characters, 144 bits, shown once to the admin who adds. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

const toAdmin = (row: AdminRow, lastSignInAt: Date | null): TAdmin => ({
  id: row.id,
  email: row.email,
  role: row.role as TAdminRole,
  createdAt: row.createdAt.toISOString(),
  lastSignInAt: lastSignInAt?.toISOString() ?? null,
});

const target = (row: AdminRow) => ({ type: 'admin', id: row.id, label: row.email });

export function createAdminService({ db, audit, passwords }: Deps) {
  async function list(principal: AdminPrincipal): Promise<TAdmin[]> {
    const rows = await listAdmins(db, principal.customerId);
    const signIns = await lastSignIns(
      db,
      principal.customerId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toAdmin(row, signIns.get(row.id) ?? null));
  }

  async function add(principal: AdminPrincipal, input: TAddAdminRequest): Promise<TAddedAdmin> {
    const email = input.email.trim().toLowerCase();
    // Emails are unique across customers (an admin signs in with the email alone): a taken one
    // is refused before any hashing. Two adds racing past this check meet the unique index below.
    if (await emailTaken(db, email)) throw new AppError('admin_exists');
    const password = generatePassword();
    const place = passwords.enter();
    let passwordHash: string;
    try {
      passwordHash = await place.hash(() => hashPassword(password));
    } finally {
      place.leave();
    }
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

  /** Their sessions end and their API clients go with them, in the same transaction. */
  async function remove(principal: AdminPrincipal, id: string): Promise<void> {
    if (id === principal.id) throw new AppError('cannot_remove_self');
    await db.$transaction(async (tx) => {
      const fullAdmins = await lockAndCountFullAdmins(tx, principal.customerId);
      const admin = await findAdmin(tx, principal.customerId, id);
      if (!admin) throw notFound();
      if (admin.role === 'full' && fullAdmins <= 1) throw new AppError('last_full_admin');
      const deletedApiClients = await deleteAdmin(tx, id);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'admin.removed',
        target: target(admin),
        details: { role: admin.role as TAdminRole, deletedApiClients },
      });
    });
  }

  return { list, add, changeRole, remove };
}

export type AdminService = ReturnType<typeof createAdminService>;
