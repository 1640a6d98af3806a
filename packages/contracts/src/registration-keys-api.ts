import { z } from 'zod';
import { ZTimestamp, ZUuid, nonEmptyText } from './common.ts';

/**
 * A tag on a registration key or a registration: lower-case letters, digits and '-', starting
 * with a letter or digit. Never lower-cased, trimmed or cut for the caller: anything else is 400.
 */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const MAX_TAGS = 10;
export const ZTag = z.string().regex(TAG_PATTERN, 'must be 1 to 32 of a-z, 0-9 and -, starting with a letter or digit');
export const ZTags = z
  .array(ZTag)
  .max(MAX_TAGS, `must hold at most ${MAX_TAGS} tags`)
  .refine((tags) => new Set(tags).size === tags.length, 'must not name a tag twice');

/** The secret's shape: `lsreg_` and 43 base64url characters (32 random bytes). */
export const REGISTRATION_KEY_PREFIX = 'lsreg_';
export const REGISTRATION_KEY_PATTERN = /^lsreg_[A-Za-z0-9_-]{43}$/;

export const REGISTRATION_KEY_APPROVALS = ['automatic', 'manual'] as const;
export type TRegistrationKeyApproval = (typeof REGISTRATION_KEY_APPROVALS)[number];
/** In the order they win: a revoked key that is also used up is `revoked`. */
export const REGISTRATION_KEY_STATUSES = ['revoked', 'exhausted', 'expired', 'active'] as const;
export type TRegistrationKeyStatus = (typeof REGISTRATION_KEY_STATUSES)[number];
export const MAX_KEY_USES = 100_000;
export const MAX_KEY_DAYS = 365;

export const ZRegistrationKey = z.object({
  id: ZUuid,
  description: z.string(),
  maxUses: z.number().int().nullable(),
  uses: z.number().int(),
  expiresAt: ZTimestamp,
  approval: z.enum(REGISTRATION_KEY_APPROVALS),
  tags: z.array(z.string()),
  status: z.enum(REGISTRATION_KEY_STATUSES),
  createdAt: ZTimestamp,
  createdBy: z.string(),
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
});
export type TRegistrationKey = z.infer<typeof ZRegistrationKey>;

export const ZListRegistrationKeysQuery = z.strictObject({
  status: z.enum(REGISTRATION_KEY_STATUSES).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListRegistrationKeysQuery = z.input<typeof ZListRegistrationKeysQuery>;

export const ZRegistrationKeyList = z.object({ items: z.array(ZRegistrationKey), nextCursor: z.string().nullable() });
export type TRegistrationKeyList = z.infer<typeof ZRegistrationKeyList>;

export const ZCreateRegistrationKeyRequest = z.strictObject({
  description: nonEmptyText(100),
  maxUses: z.number().int().min(1).max(MAX_KEY_USES).nullable(),
  expiresInDays: z.number().int().min(1).max(MAX_KEY_DAYS),
  approval: z.enum(REGISTRATION_KEY_APPROVALS),
  tags: ZTags.default([]),
});
export type TCreateRegistrationKeyRequest = z.input<typeof ZCreateRegistrationKeyRequest>;

/** The secret is in this answer only: the service keeps its SHA-256. */
export const ZCreatedRegistrationKey = z.object({ key: ZRegistrationKey, secret: z.string() });
export type TCreatedRegistrationKey = z.infer<typeof ZCreatedRegistrationKey>;

/** The key a registration was made with, as lists show it. */
export const ZRegistrationKeyRef = z.object({ id: ZUuid, description: z.string() });
export type TRegistrationKeyRef = z.infer<typeof ZRegistrationKeyRef>;

/** Approve or deny pending-approval registrations: one transaction over up to 1,000. */
export const MAX_DECISION_IDS = 1_000;
export const ZRegistrationIds = z
  .array(ZUuid)
  .min(1, 'must name at least one registration')
  .max(MAX_DECISION_IDS, `must name at most ${MAX_DECISION_IDS} registrations`);
export const ZApproveRegistrationsRequest = z.strictObject({ ids: ZRegistrationIds });
export type TApproveRegistrationsRequest = z.infer<typeof ZApproveRegistrationsRequest>;
export const ZApproveRegistrationsResult = z.object({ approved: z.array(ZUuid), notFound: z.array(ZUuid) });
export type TApproveRegistrationsResult = z.infer<typeof ZApproveRegistrationsResult>;
export const ZDenyRegistrationsResult = z.object({ denied: z.array(ZUuid), notFound: z.array(ZUuid) });
export type TDenyRegistrationsResult = z.infer<typeof ZDenyRegistrationsResult>;
