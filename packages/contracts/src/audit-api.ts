import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.ts';

export const AUDIT_ACTIONS = [
  'session.signed_in',
  'registration.created',
  'registration.denied',
  'registration.removed',
  'usage.deleted',
  'api_client.created',
  'api_client.deleted',
  'usage.files_uploaded',
  'notification_channel.created',
  'notification_channel.deleted',
  'session.sign_in_failed',
  'session.signed_out',
  'registration.previewed',
  'api_client.token_issued',
  'admin.added',
  'admin.removed',
  'admin.role_changed',
  'settings.changed',
  'notification_channel.test_sent',
  'notification_channel.confirmed',
  'mute.created',
  'mute.deleted',
  'session.revoked',
  'password.changed',
  'password.reset_requested',
  'password.reset_completed',
  'admin.invited',
  'admin.invitation_renewed',
  'admin.invitation_accepted',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_code_used',
  'mfa.reset',
  'sso.settings_changed',
  'sso.sign_in_failed',
  'admin.break_glass_changed',
  'registration_key.created',
  'registration_key.revoked',
  'registration.requested',
  'registration.tags_changed',
  'registration.duplicate_detected',
  'mfa.recovery_codes_renewed',
] as const;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

/** The details each action carries (docs/protocol.md: removal has its reason, deletion its count). */
export type TAuditDetails = {
  /** A code registration carries the code request's time and address; one from a request file (via offline-request) the file's id and time. */
  'registration.created': {
    codeRequestedAt?: string;
    codeRequestedFrom?: string;
    hostname: string;
    instanceId: string;
    via?: 'offline-request' | 'registration-key';
    requestId?: string;
    requestCreatedAt?: string;
    /** By registration key: the key, the product's address and the key's approval. */
    keyId?: string;
    requestedFrom?: string;
    approval?: 'automatic' | 'manual';
  };
  'registration.denied':
    | { codeRequestedAt: string; codeRequestedFrom: string; hostname: string }
    | { via: 'registration-key'; keyId: string; requestedFrom: string; hostname: string };
  'registration.removed': { reason: 'admin' | 'product' | 'replaced' | 'stale' };
  'usage.deleted': { deletedRecords: number };
  /** `mfa` names the second step taken; `breakGlass` and `issuer` belong to single sign-on. */
  'session.signed_in': {
    sourceAddress: string;
    method?: 'password' | 'sso';
    mfa?: 'totp' | 'recovery_code';
    breakGlass?: true;
    issuer?: string;
  };
  'api_client.created': Record<string, never>;
  'api_client.deleted': Record<string, never>;
  'usage.files_uploaded': { files: number; accepted: number; duplicate: number; refused: number; records: number };
  'notification_channel.created': { type: 'webhook' | 'email' | 'slack' | 'teams'; events: string[] };
  'notification_channel.deleted': Record<string, never>;
  'notification_channel.test_sent': { eventId: string };
  'notification_channel.confirmed': Record<string, never>;
  /** Never the password. */
  'session.sign_in_failed': { email: string; address: string; reason?: 'password' | 'mfa_code' | 'sso_required' };
  'session.signed_out': Record<string, never>;
  /** A code looked up before registering: it shows another product's host and address. */
  'registration.previewed':
    | { codeRequestedFrom: string; hostname: string }
    | { via: 'offline-request'; requestCreatedAt: string; hostname: string; instanceId: string };
  'api_client.token_issued': { sourceAddress: string };
  'admin.added': { role: 'full' | 'read-only'; method?: 'sso' };
  'admin.role_changed': { from: 'full' | 'read-only'; to: 'full' | 'read-only'; source?: 'sso' };
  'admin.removed': { role: 'full' | 'read-only'; deletedApiClients: number };
  'settings.changed': { old: Record<string, unknown>; new: Record<string, unknown> };
  'mute.created': { scope: { registrationId: string } | { all: true }; from: string; to: string; reason: string };
  'mute.deleted': { scope: { registrationId: string } | { all: true }; from: string; to: string };
  /** Never a token, a password, a secret or a code in any of these. */
  'session.revoked': { sessionIds: string[] };
  'password.changed': Record<string, never>;
  'password.reset_requested': { address: string };
  'password.reset_completed': Record<string, never>;
  'admin.invited': { role: 'full' | 'read-only'; emailSent: boolean };
  'admin.invitation_renewed': { emailSent: boolean };
  'admin.invitation_accepted': Record<string, never>;
  'mfa.enabled': Record<string, never>;
  'mfa.disabled': Record<string, never>;
  'mfa.recovery_code_used': { remaining: number };
  'mfa.reset': Record<string, never>;
  /** Never the client secret: only whether it changed. */
  'sso.settings_changed': {
    old: Record<string, unknown> | null;
    new: Record<string, unknown> | null;
    clientSecretChanged: boolean;
  };
  'sso.sign_in_failed': { error: string; reason: string; issuer?: string; subject?: string; email?: string };
  'admin.break_glass_changed': { from: boolean; to: boolean };
  /** Never the secret. */
  'registration_key.created': {
    description: string;
    maxUses: number | null;
    expiresAt: string;
    approval: 'automatic' | 'manual';
    tags: string[];
  };
  'registration_key.revoked': { uses: number; reason: 'admin' | 'creator_removed' };
  /** A key registration waiting for an admin's approval (actor: the product). */
  'registration.requested': {
    via: 'registration-key';
    keyId: string;
    requestedFrom: string;
    hostname: string;
    instanceId: string;
  };
  'registration.tags_changed': { from: string[]; to: string[] };
  /** The refused machine's address; recorded once per marking, as the event is sent. */
  'registration.duplicate_detected': { requestedFrom: string };
  /** Never the codes: ten new ones replace the old. */
  'mfa.recovery_codes_renewed': Record<string, never>;
};

export const ZAuditEvent = z.object({
  id: ZUuid,
  at: ZTimestamp,
  actor: z.object({
    type: z.enum(['admin', 'product', 'api-client', 'operator', 'system']),
    id: ZUuid.nullable(),
    label: z.string(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: ZUuid.nullable(), label: z.string() }),
  details: z.record(z.string(), z.unknown()),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

const startOf = (value: string) => Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
/**
 * An ISO timestamp, or a day (`YYYY-MM-DD`, UTC) meaning all of that day: what a date input
 * gives. From year 1 on: the calendar (and PostgreSQL) has no year 0000.
 */
const ZTimeOrDay = z
  .union([ZTimestamp, z.iso.date()])
  .refine((value) => new Date(startOf(value)).getUTCFullYear() >= 1, 'must be in year 1 or later');

/** The audit log's filters, the same for the list and the CSV export. */
const auditFilters = {
  action: z.enum(AUDIT_ACTIONS).optional(),
  actorId: ZUuid.optional(),
  from: ZTimeOrDay.optional(),
  to: ZTimeOrDay.optional(),
};
const fromNotAfterTo = (q: { from?: string | undefined; to?: string | undefined }) =>
  !q.from || !q.to || startOf(q.from) <= startOf(q.to);
const fromAfterTo = { message: '"from" must not be after "to"', path: ['from'] };

export const ZListAuditEventsQuery = z
  .strictObject({
    ...auditFilters,
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(fromNotAfterTo, fromAfterTo);
export type TListAuditEventsQuery = z.input<typeof ZListAuditEventsQuery>;

export const ZAuditEventsCsvQuery = z.strictObject(auditFilters).refine(fromNotAfterTo, fromAfterTo);
/** What the audit list and its export filter by. */
export type TAuditFilters = z.infer<typeof ZAuditEventsCsvQuery>;

export const ZAuditEventList = z.object({ items: z.array(ZAuditEvent), nextCursor: z.string().nullable() });
export type TAuditEventList = z.infer<typeof ZAuditEventList>;

/**
 * Every action in words: the console's log and its "Action" filter, and the summary of an
 * `audit.event` notification. An action added above without words here does not compile.
 */
export const AUDIT_ACTION_LABELS: Record<TAuditAction, string> = {
  'session.signed_in': 'Signed in',
  'session.sign_in_failed': 'Failed sign-in',
  'session.signed_out': 'Signed out',
  'registration.previewed': 'Looked up a code',
  'registration.created': 'Registered',
  'registration.denied': 'Denied',
  'registration.removed': 'Removed registration',
  'usage.deleted': 'Deleted usage data',
  'usage.files_uploaded': 'Uploaded usage files',
  'api_client.created': 'Created API client',
  'api_client.deleted': 'Deleted API client',
  'api_client.token_issued': 'Issued an API token',
  'notification_channel.created': 'Added notification channel',
  'notification_channel.deleted': 'Deleted notification channel',
  'notification_channel.test_sent': 'Sent a test notification',
  'notification_channel.confirmed': 'Confirmed an email channel',
  'admin.added': 'Added administrator',
  'admin.role_changed': 'Changed the role of an administrator',
  'admin.removed': 'Removed administrator',
  'settings.changed': 'Changed settings',
  'mute.created': 'Added maintenance window',
  'mute.deleted': 'Deleted maintenance window',
  'session.revoked': 'Ended sessions',
  'password.changed': 'Changed password',
  'password.reset_requested': 'Asked for a password reset',
  'password.reset_completed': 'Reset password',
  'admin.invited': 'Invited administrator',
  'admin.invitation_renewed': 'Renewed invitation',
  'admin.invitation_accepted': 'Accepted invitation',
  'mfa.enabled': 'Turned on two-step verification',
  'mfa.disabled': 'Turned off two-step verification',
  'mfa.recovery_code_used': 'Used a recovery code',
  'mfa.reset': 'Two-step verification reset by the operator',
  'sso.settings_changed': 'Changed single sign-on',
  'sso.sign_in_failed': 'Failed single sign-on',
  'admin.break_glass_changed': 'Changed break-glass',
  'registration_key.created': 'Created registration key',
  'registration_key.revoked': 'Revoked registration key',
  'registration.requested': 'Requested registration by key',
  'registration.tags_changed': 'Changed tags',
  'registration.duplicate_detected': 'Detected a duplicate server',
  'mfa.recovery_codes_renewed': 'Renewed recovery codes',
};
