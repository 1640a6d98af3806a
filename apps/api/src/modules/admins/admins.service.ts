import type {
  TAddAdminRequest,
  TAdmin,
  TAdminRole,
  TInvitedAdmin,
  TUpdateAdminRequest,
} from '@reg/contracts/admins-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { createPasswordQueue, type PasswordQueue } from '../../lib/password-queue.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal, type OperatorPrincipal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RegistrationKeyService } from '../registration-keys/registration-keys.service.ts';
import {
  countBreakGlass,
  deleteAdmin,
  emailTaken,
  findAdmin,
  findCustomers,
  findMembershipByEmail,
  findPersonByEmail,
  hasCustomers,
  insertMembership,
  listAdmins,
  lockAndCountFullAdmins,
  setBreakGlass,
  setStatus,
  updateRole,
  type AdminRow,
} from './admins.repository.ts';
import { liveInvitationExpiries } from './invitations.repository.ts';
import type { InvitationService } from './invitations.service.ts';
import { adminTarget as target, normaliseEmail as normalise, toAdmin } from './admin-view.ts';
import { createOperatorAdmins } from './operator-admins.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Sends invitation links; the operator CLI and the seed, which add active admins, need none. */
  invitations?: InvitationService;
  /**
   * Every scrypt takes its turn here, so adding admins can't crowd out sign-ins or uploads.
   * The API passes its sign-in queue; the operator CLI and the seed, alone in their process, a queue of their own.
   */
  passwords?: PasswordQueue;
  /** Removing an admin revokes the registration keys they made (registration-keys module). */
  registrationKeys: Pick<RegistrationKeyService, 'revokeKeysOf'>;
}

/** Break-glass admins a customer may have. */
const MAX_BREAK_GLASS = 2;

export function createAdminService({
  db,
  audit,
  invitations,
  passwords = createPasswordQueue({ concurrent: 1, waiting: 64 }),
  registrationKeys,
}: Deps) {
  async function list(principal: AdminPrincipal): Promise<TAdmin[]> {
    const rows = await listAdmins(db, principal.customerId);
    const expiries = await liveInvitationExpiries(
      db,
      rows.filter((row) => row.status === 'invited').map((row) => row.id),
    );
    return rows.map((row) => toAdmin(row, expiries.get(row.id) ?? null));
  }

  /**
   * The console invites: an invited membership and a single-use link, mailed when SMTP is set.
   * No password is made, so only the invitee ever knows theirs. Only this customer's own admins
   * make 409: another customer's admin with that email is answered exactly as a new email (the
   * person gets a membership and signs in to accept), so no answer tells one customer another's.
   */
  async function invite(principal: AdminPrincipal, input: TAddAdminRequest): Promise<TInvitedAdmin> {
    if (!invitations) throw new Error('invitations are not wired');
    const email = normalise(input.email);
    if (await emailTaken(db, principal.customerId, email)) throw new AppError('admin_exists');
    try {
      return await db.$transaction(async (tx) => {
        const existingPerson = (await findPersonByEmail(tx, email)) !== null;
        const created = await insertMembership(tx, {
          customerId: principal.customerId,
          email,
          role: input.role,
          status: 'invited',
        });
        const link = await invitations.issue(tx, created, existingPerson);
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'admin.invited',
          target: target(created),
          details: { role: created.role as TAdminRole, emailSent: link.emailSent },
        });
        return { admin: toAdmin(created, link.expiresAt), invitationUrl: link.url, emailSent: link.emailSent };
      });
    } catch (error) {
      // Two invitations of one email racing meet the unique index (customer, person) or people.email.
      if ((error as { code?: unknown }).code === 'P2002') throw new AppError('admin_exists');
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
    const expiries = await liveInvitationExpiries(db, [row.id]);
    return toAdmin(row, expiries.get(row.id) ?? null);
  }

  /**
   * The membership goes (the person and their other memberships stay); its sessions, links and
   * API clients go with it, and the registration keys they made are revoked, in the same
   * transaction. Only an operator may `force` the removal of the last full admin (to retire a
   * customer's console).
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
      if (admin.role === 'full' && admin.status === 'active' && fullAdmins <= 1 && !forced)
        throw new AppError('last_full_admin');
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
   * For single sign-on's just-in-time creation: an active membership without a password (a new
   * person has none; an existing person keeps theirs). Inside the caller's transaction, so its
   * audit entry goes with it. Throws P2002 when the customer already has that email.
   */
  function createActiveWithoutPassword(
    tx: Tx,
    input: { customerId: string; email: string; role: TAdminRole },
  ): Promise<AdminRow> {
    return insertMembership(tx, { ...input, email: normalise(input.email), status: 'active', password: null });
  }

  /** An invited membership becomes active (single sign-on's first sign-in); its links die. */
  async function activateInvited(tx: Tx, adminId: string): Promise<AdminRow> {
    return setStatus(tx, adminId, 'active');
  }

  return {
    list,
    invite,
    ...createOperatorAdmins({ db, audit, passwords }),
    update,
    remove,
    hasCustomers: () => hasCustomers(db),
    findCustomers: (ref: { id: string } | { name: string }) => findCustomers(db, ref),
    /** The person with this email and their memberships (the operator CLI names admins by email). */
    findPersonByEmail: (email: string) => findPersonByEmail(db, normalise(email)),
    /** For single sign-on: a customer's membership (invited or active) of the person with this email. */
    findMembershipByEmail: (customerId: string, email: string) =>
      findMembershipByEmail(db, customerId, normalise(email)),
    createActiveWithoutPassword,
    activateInvited,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
