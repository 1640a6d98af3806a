import type { TAdminRole } from '@reg/contracts/admins-api';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoMember } from '../sso/sso-accounts.ts';
import type { AdminService } from './admins.service.ts';
import {
  findAdmin,
  findMembershipByEmail,
  lockAndCountFullAdmins,
  updateRole,
  type AdminRow,
} from './admins.repository.ts';

interface Deps {
  audit: AuditService;
  admins: Pick<AdminService, 'createActiveWithoutPassword' | 'activateInvited'>;
}

const toMember = (row: AdminRow): SsoMember => ({
  id: row.id,
  email: row.person.email,
  role: row.role as TAdminRole,
  status: row.status === 'invited' ? 'invited' : 'active',
  breakGlass: row.breakGlass,
});

const as = (member: SsoMember) => ({ type: 'admin', id: member.id, label: member.email }) as const;

/**
 * The memberships' side of a single sign-on: find, activate an invitee, create just in time,
 * and apply the role the groups give. Each runs in the sign-in's transaction with its audit.
 */
export function createSsoMembers({ audit, admins }: Deps) {
  return {
    async findMember(tx: Tx, customerId: string, adminId: string) {
      const row = await findAdmin(tx, customerId, adminId);
      return row && toMember(row);
    },

    async findMemberByEmail(tx: Tx, customerId: string, email: string) {
      const row = await findMembershipByEmail(tx, customerId, email);
      return row && toMember(row);
    },

    /** Signing in through the customer's IdP stands for accepting the invitation. */
    async activate(tx: Tx, customerId: string, member: SsoMember) {
      await admins.activateInvited(tx, member.id);
      await audit.record(tx, {
        customerId,
        actor: as(member),
        action: 'admin.invitation_accepted',
        target: as(member),
      });
    },

    async createJustInTime(tx: Tx, customerId: string, email: string, role: TAdminRole) {
      const member = toMember(await admins.createActiveWithoutPassword(tx, { customerId, email, role }));
      await audit.record(tx, {
        customerId,
        actor: as(member),
        action: 'admin.added',
        target: as(member),
        details: { role, method: 'sso' },
      });
      return member;
    },

    /**
     * The groups' role, saved, except for a break-glass admin (their access must not hang on the
     * IdP they stand in for) and where it would leave the customer without an active full admin.
     */
    async applyRole(tx: Tx, customerId: string, member: SsoMember, role: TAdminRole): Promise<TAdminRole> {
      if (member.role === role || member.breakGlass) return member.role;
      const fullAdmins = await lockAndCountFullAdmins(tx, customerId);
      if (member.role === 'full' && member.status === 'active' && fullAdmins <= 1) return member.role;
      await updateRole(tx, member.id, role);
      await audit.record(tx, {
        customerId,
        actor: as(member),
        action: 'admin.role_changed',
        target: as(member),
        details: { from: member.role, to: role, source: 'sso' },
      });
      return role;
    },
  };
}
