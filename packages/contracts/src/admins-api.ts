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
  createdAt: ZTimestamp,
  lastSignInAt: ZTimestamp.nullable(),
  /** May still sign in with a password while the customer enforces single sign-on. */
  breakGlass: z.boolean(),
});
export type TAdmin = z.infer<typeof ZAdmin>;

export const ZAdminList = z.object({ items: z.array(ZAdmin) });
export type TAdminList = z.infer<typeof ZAdminList>;

export const ZAddAdminRequest = z.strictObject({ email: ZEmail, role: ZAdminRole });
export type TAddAdminRequest = z.infer<typeof ZAddAdminRequest>;

/** The generated password is in this answer only (the console shows it once, with a copy button). */
export const ZAddedAdmin = z.object({ admin: ZAdmin, password: z.string() });
export type TAddedAdmin = z.infer<typeof ZAddedAdmin>;

export const ZChangeRoleRequest = z.strictObject({ role: ZAdminRole });
export type TChangeRoleRequest = z.infer<typeof ZChangeRoleRequest>;

/** PATCH /admins/:id: the role, break-glass, or both at once (at least one). */
export const ZUpdateAdminRequest = z
  .strictObject({ role: ZAdminRole.optional(), breakGlass: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.breakGlass !== undefined, 'give role, breakGlass or both');
export type TUpdateAdminRequest = z.infer<typeof ZUpdateAdminRequest>;
