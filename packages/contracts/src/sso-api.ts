import { z } from 'zod';
import { text, ZTimestamp } from './common.ts';

/** Limits of the single sign-on settings (docs/protocol.md, "Single sign-on"). */
export const SSO_LIMITS = {
  issuerChars: 2048,
  clientIdChars: 255,
  clientSecretChars: 1024,
  emailDomains: 20,
  groupsClaimChars: 100,
  groups: 50,
  groupChars: 256,
} as const;

/** Codes the sign-in page is sent back with (`/sign-in?error=<code>`), one message each. */
export const SSO_ERROR_CODES = [
  'sso_not_configured',
  'sso_failed',
  'sso_cancelled',
  'sso_email_unverified',
  'sso_no_account',
  'sso_no_group',
] as const;
export type TSsoErrorCode = (typeof SSO_ERROR_CODES)[number];

/** An absolute http(s) URL without query or fragment; whether http is allowed is the server's call. */
const ZIssuer = text(SSO_LIMITS.issuerChars)
  .min(1, 'is required')
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !value.includes('?') && !value.includes('#');
  }, 'must be an absolute https URL without query or fragment');

/** A DNS name of two labels or more (IDNs in their xn-- form), stored lower-cased. */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ZDomain = z
  .string()
  .max(253, 'must be at most 253 characters')
  .transform((value) => value.trim().toLowerCase())
  .refine((value) => DOMAIN.test(value), 'must be a domain name such as example.com');

const ZGroupNames = z
  .array(text(SSO_LIMITS.groupChars).min(1, 'must not be empty'))
  .max(SSO_LIMITS.groups, `must hold at most ${SSO_LIMITS.groups} groups`);

export const ZSsoSettingsRequest = z
  .strictObject({
    issuer: ZIssuer,
    clientId: text(SSO_LIMITS.clientIdChars).min(1, 'is required'),
    /** Left out: the stored one is kept (a 400 when none is stored). */
    clientSecret: text(SSO_LIMITS.clientSecretChars).min(1, 'must not be empty').optional(),
    emailDomains: z
      .array(ZDomain)
      .min(1, 'must hold at least one domain')
      .max(SSO_LIMITS.emailDomains, `must hold at most ${SSO_LIMITS.emailDomains} domains`)
      .refine((domains) => new Set(domains).size === domains.length, 'must not repeat a domain'),
    groupsClaim: text(SSO_LIMITS.groupsClaimChars).min(1, 'must not be empty').optional(),
    fullAdminGroups: ZGroupNames.optional(),
    readOnlyGroups: ZGroupNames.optional(),
    justInTime: z.boolean().optional(),
    enforced: z.boolean().optional(),
  })
  .refine((body) => !body.justInTime || (body.fullAdminGroups?.length ?? 0) + (body.readOnlyGroups?.length ?? 0) > 0, {
    message: 'creating administrators on first sign-in needs at least one group',
    path: ['justInTime'],
  });
export type TSsoSettingsRequest = z.input<typeof ZSsoSettingsRequest>;

export const ZSsoSettings = z.object({
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean(),
  emailDomains: z.array(z.string()),
  groupsClaim: z.string(),
  fullAdminGroups: z.array(z.string()),
  readOnlyGroups: z.array(z.string()),
  justInTime: z.boolean(),
  enforced: z.boolean(),
  /** Register this at the identity provider. */
  redirectUri: z.string(),
  /** The last successful single sign-on of this customer since the issuer or client id changed. */
  testedAt: ZTimestamp.nullable(),
});
export type TSsoSettings = z.infer<typeof ZSsoSettings>;

/** `GET /api/console/sso/start`: a browser navigation from the sign-in page. */
export const ZSsoStartQuery = z.object({
  email: z.string().max(2048).optional(),
  redirectTo: z.string().max(2048).optional(),
});

/** `GET /api/console/sso/callback`: what the identity provider sends the browser back with. */
export const ZSsoCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});
