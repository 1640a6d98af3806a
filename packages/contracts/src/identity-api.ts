import { z } from 'zod';
import { ZEmail, ZTimestamp, ZUuid } from './common.ts';

/** Enters another customer of the signed-in person. */
export const ZSwitchCustomerRequest = z.strictObject({ customerId: ZUuid });
export type TSwitchCustomerRequest = z.infer<typeof ZSwitchCustomerRequest>;

/** Any password of 1 to 1,024 characters: the policy (and its 400 weak_password) is the server's. */
const ZNewPassword = z.string().min(1).max(1024);
/** Signing in and confirming take any password up to 256, as before this policy. */
const ZGivenPassword = z.string().min(1).max(256);

export const ZChangePasswordRequest = z.strictObject({ currentPassword: ZGivenPassword, newPassword: ZNewPassword });
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequest>;

export const ZPasswordResetRequest = z.strictObject({ email: ZEmail });
export type TPasswordResetRequest = z.infer<typeof ZPasswordResetRequest>;

export const ZCompletePasswordResetRequest = z.strictObject({
  token: z.string().min(1).max(200),
  newPassword: ZNewPassword,
});
export type TCompletePasswordResetRequest = z.infer<typeof ZCompletePasswordResetRequest>;

/** The reasons of a 400 weak_password. */
export const WEAK_PASSWORD_REASONS = ['too_short', 'too_long', 'contains_email', 'common'] as const;

export const ZOwnSession = z.object({
  id: ZUuid,
  createdAt: ZTimestamp,
  lastUsedAt: ZTimestamp,
  sourceAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  method: z.enum(['password', 'sso']),
  current: z.boolean(),
});
export type TOwnSession = z.infer<typeof ZOwnSession>;
export const ZOwnSessionList = z.object({ items: z.array(ZOwnSession) });
export type TOwnSessionList = z.infer<typeof ZOwnSessionList>;
