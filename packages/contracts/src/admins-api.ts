import { z } from 'zod';
import { ZEmail, ZTimestamp, ZUuid } from './common.ts';

/** `full` may do everything; `read-only` every read and export, and no change (403 forbidden). */
export const ADMIN_ROLES = ['full', 'read-only'] as const;
export const ZAdminRole = z.enum(ADMIN_ROLES);
export type TAdminRole = z.infer<typeof ZAdminRole>;

export const ZAdmin = z.object({
  id: ZUuid,
  email: z.string(),
  role: ZAdminRole,
  /** `invited` until the invitation is accepted (or single sign-on activates them). */
  status: z.enum(['invited', 'active']),
  createdAt: ZTimestamp,
  lastSignInAt: ZTimestamp.nullable(),
  /** When the live invitation link expires; null when active (or no live link is left). */
  invitationExpiresAt: ZTimestamp.nullable(),
  mfaEnabled: z.boolean(),
  /** May still sign in with a password while the customer enforces single sign-on. */
  breakGlass: z.boolean(),
});
export type TAdmin = z.infer<typeof ZAdmin>;

export const ZAdminList = z.object({ items: z.array(ZAdmin) });
export type TAdminList = z.infer<typeof ZAdminList>;

export const ZAddAdminRequest = z.strictObject({ email: ZEmail, role: ZAdminRole });
export type TAddAdminRequest = z.infer<typeof ZAddAdminRequest>;

/** The invitation link is in this answer only (the console shows it once, with a copy button). */
export const ZInvitedAdmin = z.object({ admin: ZAdmin, invitationUrl: z.string(), emailSent: z.boolean() });
export type TInvitedAdmin = z.infer<typeof ZInvitedAdmin>;

/** The token from the link's fragment; `password` for a new person, none for one who exists. */
export const ZAcceptInvitationRequest = z.strictObject({
  token: z.string().min(1).max(200),
  password: z.string().min(1).max(1024).optional(),
});
export type TAcceptInvitationRequest = z.infer<typeof ZAcceptInvitationRequest>;

export const ZChangeRoleRequest = z.strictObject({ role: ZAdminRole });
export type TChangeRoleRequest = z.infer<typeof ZChangeRoleRequest>;

/** PATCH /admins/:id: the role, break-glass, or both at once (at least one). */
export const ZUpdateAdminRequest = z
  .strictObject({ role: ZAdminRole.optional(), breakGlass: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.breakGlass !== undefined, 'give role, breakGlass or both');
export type TUpdateAdminRequest = z.infer<typeof ZUpdateAdminRequest>;
