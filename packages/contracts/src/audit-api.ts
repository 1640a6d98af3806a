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
  'registration.tags_changed',
  'registration.duplicate_detected',
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
    via?: 'offline-request';
    requestId?: string;
    requestCreatedAt?: string;
  };
  'registration.denied': { codeRequestedAt: string; codeRequestedFrom: string; hostname: string };
  'registration.removed': { reason: 'admin' | 'product' | 'replaced' | 'stale' };
  'usage.deleted': { deletedRecords: number };
  'session.signed_in': { sourceAddress: string };
  'api_client.created': Record<string, never>;
  'api_client.deleted': Record<string, never>;
  'usage.files_uploaded': { files: number; accepted: number; duplicate: number; refused: number; records: number };
  'notification_channel.created': { type: 'webhook' | 'email'; events: string[] };
  'notification_channel.deleted': Record<string, never>;
  'notification_channel.test_sent': { eventId: string };
  'notification_channel.confirmed': Record<string, never>;
  /** Never the password. */
  'session.sign_in_failed': { email: string; address: string };
  'session.signed_out': Record<string, never>;
  /** A code looked up before registering: it shows another product's host and address. */
  'registration.previewed':
    | { codeRequestedFrom: string; hostname: string }
    | { via: 'offline-request'; requestCreatedAt: string; hostname: string; instanceId: string };
  'api_client.token_issued': { sourceAddress: string };
  'admin.added': { role: 'full' | 'read-only' };
  'admin.role_changed': { from: 'full' | 'read-only'; to: 'full' | 'read-only' };
  'admin.removed': { role: 'full' | 'read-only'; deletedApiClients: number };
  'settings.changed': { old: Record<string, unknown>; new: Record<string, unknown> };
  'registration.tags_changed': { from: string[]; to: string[] };
  /** The refused machine's address; recorded once per marking, as the event is sent. */
  'registration.duplicate_detected': { requestedFrom: string };
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
