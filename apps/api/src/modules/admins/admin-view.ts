import type { TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import type { AdminRow } from './admins.repository.ts';

/** An admin as the API answers it. */
export const toAdmin = (row: AdminRow, invitationExpiresAt: Date | null = null): TAdmin => ({
  id: row.id,
  email: row.person.email,
  role: row.role as TAdminRole,
  status: row.status === 'invited' ? 'invited' : 'active',
  createdAt: row.createdAt.toISOString(),
  lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
  invitationExpiresAt: row.status === 'invited' ? (invitationExpiresAt?.toISOString() ?? null) : null,
  mfaEnabled: row.person.totpEnabledAt !== null,
  breakGlass: row.breakGlass,
});

/** An admin as the audit log names it. */
export const adminTarget = (row: AdminRow) => ({ type: 'admin', id: row.id, label: row.person.email });
/** Emails are compared as typed, trimmed and in lower case. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
