import type { TAdminRole } from '@reg/contracts/admins-api';
import type { Tx } from '../../lib/tx.ts';

/** A customer's membership as single sign-on sees it. */
export interface SsoMember {
  id: string;
  email: string;
  role: TAdminRole;
  status: 'invited' | 'active';
  breakGlass: boolean;
}

/**
 * The "who" of a single sign-on: what the sign-in needs from the admins and sessions modules,
 * wired in services.ts. Each write but the session runs in the sign-in's transaction and records its own audit.
 */
export interface SsoAccounts {
  findMember(tx: Tx, customerId: string, adminId: string): Promise<SsoMember | null>;
  /** The customer's admin (active or invited) with this email. */
  findMemberByEmail(tx: Tx, customerId: string, email: string): Promise<SsoMember | null>;
  /** An invited admin becomes active (the SSO sign-in stands for accepting the invitation). */
  activate(tx: Tx, customerId: string, member: SsoMember): Promise<void>;
  /** A new active admin without a password (audit `admin.added` with `method: "sso"`). */
  createJustInTime(tx: Tx, customerId: string, email: string, role: TAdminRole): Promise<SsoMember>;
  /**
   * Saves the role the groups give (audit `admin.role_changed` with `source: "sso"`), except for
   * a break-glass admin and where it would leave the customer without a full admin. Returns
   * the role the admin has afterwards.
   */
  applyRole(tx: Tx, customerId: string, member: SsoMember, role: TAdminRole): Promise<TAdminRole>;
  /**
   * A session with `method: "sso"` (audit `session.signed_in` with `method` and `issuer`), made
   * after the sign-in's transaction has committed the link and the role.
   */
  startSession(
    member: SsoMember,
    context: { sourceAddress: string; userAgent: string | null; issuer: string },
  ): Promise<{ token: string }>;
}
