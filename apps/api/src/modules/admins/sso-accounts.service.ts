import type { TAdminRole } from '@reg/contracts/admins-api';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword } from '../../lib/crypto.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoMember } from '../sso/sso-accounts.ts';
import {
  findAdmin,
  findCustomerAdminByEmail,
  insertAdmin,
  lockAndCountFullAdmins,
  updateRole,
  type AdminRow,
} from './admins.repository.ts';

interface Deps {
  clock: Clock;
  audit: AuditService;
}

const toMember = (row: AdminRow): SsoMember => ({
  id: row.id,
  email: row.email,
  role: row.role as TAdminRole,
  status: 'active',
  breakGlass: false,
});

/** The admins' side of a single sign-on: find, create just in time, and apply the groups' role. */
export function createSsoMembers({ audit }: Deps) {
  return {
    async findMember(tx: Tx, customerId: string, adminId: string) {
      const row = await findAdmin(tx, customerId, adminId);
      return row && toMember(row);
    },
    async findMemberByEmail(tx: Tx, customerId: string, email: string) {
      const row = await findCustomerAdminByEmail(tx, customerId, email);
      return row && toMember(row);
    },
    async activate() {},
    async createJustInTime(tx: Tx, customerId: string, email: string, role: TAdminRole) {
      // No usable password: a random one nobody is told.
      const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
      const row = await insertAdmin(tx, { customerId, email, passwordHash, role });
      await audit.record(tx, {
        customerId,
        actor: { type: 'admin', id: row.id, label: email },
        action: 'admin.added',
        target: { type: 'admin', id: row.id, label: email },
        details: { role, method: 'sso' },
      });
      return toMember(row);
    },
    async applyRole(tx: Tx, customerId: string, member: SsoMember, role: TAdminRole): Promise<TAdminRole> {
      if (member.role === role || member.breakGlass) return member.role;
      const fullAdmins = await lockAndCountFullAdmins(tx, customerId);
      if (member.role === 'full' && fullAdmins <= 1) return member.role;
      await updateRole(tx, member.id, role);
      await audit.record(tx, {
        customerId,
        actor: { type: 'admin', id: member.id, label: member.email },
        action: 'admin.role_changed',
        target: { type: 'admin', id: member.id, label: member.email },
        details: { from: member.role, to: role, source: 'sso' },
      });
      return role;
    },
  };
}
