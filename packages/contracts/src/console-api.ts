import { z } from 'zod';
import { ZCustomerRef, ZEmail, ZTimestamp, ZUuid, text } from './common.ts';
import { ZApproveRegistrationsRequest, ZRegistrationKeyRef, ZTag, ZTags } from './registration-keys-api.ts';

export const ZSignInRequest = z.strictObject({
  email: ZEmail,
  password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
});
export type TSignInRequest = z.infer<typeof ZSignInRequest>;

export const ZSessionResponse = z.object({
  admin: z.object({ id: ZUuid, email: z.string(), role: z.enum(['full', 'read-only']) }),
  customer: ZCustomerRef,
  csrfToken: z.string(),
  /** A restricted session: only the password change (and signing out) until it is done. */
  passwordChangeRequired: z.boolean(),
  /** A restricted session: only enrolling in two-step verification until it is done. */
  mfaEnrollmentRequired: z.boolean(),
  /** Every customer the person administers, to switch between (PUT /session/customer). */
  customers: z.array(z.object({ id: ZUuid, name: z.string(), role: z.enum(['full', 'read-only']) })),
});
export type TSessionResponse = z.infer<typeof ZSessionResponse>;

/** Any text the admin typed; normalised and checked by the service (a typo is a 400). */
export const ZCodeRequest = z.strictObject({ code: text(64) });
export type TCodeRequest = z.infer<typeof ZCodeRequest>;

export const ZCodePreview = z.object({
  product: z.string(),
  productVersion: z.string(),
  serverName: z.string(),
  hostname: z.string(),
  os: z.string().nullable(),
  instanceId: ZUuid,
  requestedAt: ZTimestamp,
  requestedFrom: z.string(),
  expiresAt: ZTimestamp,
});
export type TCodePreview = z.infer<typeof ZCodePreview>;

/** `pending-approval` wins over the others: such a registration has no credential and no contact. */
export const REGISTRATION_STATUSES = ['reporting', 'not-reporting', 'never-contacted', 'pending-approval'] as const;
export const ZRegistrationStatus = z.enum(REGISTRATION_STATUSES);
export type TRegistrationStatus = z.infer<typeof ZRegistrationStatus>;

export const ZRegistration = z.object({
  id: ZUuid,
  serverName: z.string(),
  hostname: z.string(),
  os: z.string().nullable(),
  product: z.string(),
  productVersion: z.string(),
  instanceId: ZUuid,
  registeredAt: ZTimestamp,
  registeredBy: z.object({ id: ZUuid.nullable(), email: z.string() }),
  lastContactAt: ZTimestamp.nullable(),
  status: ZRegistrationStatus,
  /** When the stale-registration sweep will remove it unless it reports; absent when it won't. */
  scheduledRemovalAt: ZTimestamp.optional(),
  /** 0 to 10 tags, in the order given (registration-keys-api.ts's ZTags). */
  tags: z.array(z.string()),
  /** The registration key it was made with; null when registered by code or request file. */
  registrationKey: ZRegistrationKeyRef.nullable(),
  /** Another machine used its credential while the first was alive, within the last 24 hours. */
  duplicate: z.boolean(),
});
export type TRegistration = z.infer<typeof ZRegistration>;

/** The columns the registrations list sorts by: the API's query, its SQL and the console's menu key on these. */
export const REGISTRATION_SORTS = ['serverName', 'registeredAt', 'lastContactAt'] as const;
export type TRegistrationSort = (typeof REGISTRATION_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type TSortOrder = (typeof SORT_ORDERS)[number];

export const ZListRegistrationsQuery = z.strictObject({
  query: text(255).optional(),
  status: ZRegistrationStatus.optional(),
  /** Only registrations carrying this tag. */
  tag: ZTag.optional(),
  sort: z.enum(REGISTRATION_SORTS).default('serverName'),
  order: z.enum(SORT_ORDERS).default('asc'),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListRegistrationsQuery = z.input<typeof ZListRegistrationsQuery>;

/** The CSV export takes the list's search, filter and sort, and gives every matching row. */
export const ZRegistrationsCsvQuery = ZListRegistrationsQuery.omit({ cursor: true, limit: true });

export const ZRegistrationList = z.object({
  items: z.array(ZRegistration),
  nextCursor: z.string().nullable(),
});
export type TRegistrationList = z.infer<typeof ZRegistrationList>;

export const ZIdParams = z.object({ id: z.string() });

/** Bulk removal: one transaction over at most a page's worth (200) of rows. */
export const ZBulkRemoveRequest = z.strictObject({
  ids: z.array(ZUuid).min(1, 'must name at least one registration').max(200, 'must name at most 200 registrations'),
});
export type TBulkRemoveRequest = z.infer<typeof ZBulkRemoveRequest>;

export const ZBulkRemoveResult = z.object({ removed: z.array(ZUuid), notFound: z.array(ZUuid) });
export type TBulkRemoveResult = z.infer<typeof ZBulkRemoveResult>;

/** POST /registrations/deny: a code (204), or the ids of pending-approval registrations (200), never both. */
export const ZDenyRequest = z.union([ZCodeRequest, ZApproveRegistrationsRequest]);
export type TDenyRequest = z.infer<typeof ZDenyRequest>;
/** Bodies naming up to 1,000 ids (approve, deny). */
export const DECISION_BODY_BYTES = 64 * 1024;
/** PATCH /registrations/:id: the registration's tags, replaced whole (order kept). */
export const ZRegistrationTagsRequest = z.strictObject({ tags: ZTags });
export type TRegistrationTagsRequest = z.infer<typeof ZRegistrationTagsRequest>;
