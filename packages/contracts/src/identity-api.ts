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

/** Starting to enrol in two-step verification: the secret (base32) and the URL an authenticator app reads. */
export const ZTotpEnrollment = z.object({ secret: z.string(), otpauthUrl: z.string() });
export type TTotpEnrollment = z.infer<typeof ZTotpEnrollment>;

/** A six-digit code (spaces ignored by the service): any text up to 64 characters, checked there. */
const ZTotpCode = z.string().min(1, 'is required').max(64, 'must be at most 64 characters');

export const ZTotpConfirmRequest = z.strictObject({ code: ZTotpCode });
export type TTotpConfirmRequest = z.infer<typeof ZTotpConfirmRequest>;

/** Ten single-use codes, shown this once. */
export const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type TRecoveryCodes = z.infer<typeof ZRecoveryCodes>;

/** The caller's password, confirming a change to their two-step verification. */
export const ZPasswordConfirmation = z.strictObject({ password: ZGivenPassword });
export type TPasswordConfirmation = z.infer<typeof ZPasswordConfirmation>;

/** The second step of a password sign-in: exactly one of a code from the app or a recovery code. */
export const ZMfaSignInRequest = z.union([
  z.strictObject({ code: ZTotpCode }),
  z.strictObject({ recoveryCode: ZTotpCode }),
]);
export type TMfaSignInRequest = z.infer<typeof ZMfaSignInRequest>;

export const MFA_METHODS = ['totp', 'recovery_code'] as const;
/** POST /session's answer when the password was right and a second step is due. */
export const ZMfaRequired = z.object({ mfaRequired: z.literal(true), methods: z.array(z.enum(MFA_METHODS)) });
export type TMfaRequired = z.infer<typeof ZMfaRequired>;

/** GET /session/mfa: whether the caller has two-step verification on, and their unused recovery codes. */
export const ZMfaStatus = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int() });
export type TMfaStatus = z.infer<typeof ZMfaStatus>;
