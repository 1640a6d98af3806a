import type { TAuditEvent } from './audit-api.ts';
import type { TNotificationEventType } from './notifications-api.ts';

/** The License Server an event is about, as webhook bodies and mails carry it. */
export interface TServerRef {
  licenseServerId: string;
  registrationId: string | null;
  serverName: string;
  hostname: string;
}

/** Why a registration ended: by an admin, by the product itself, by a newer registration, by the stale policy. */
export type TRemovalReason = 'admin' | 'product' | 'replaced' | 'stale';

/**
 * Every outbox event type with the facts it carries (docs/notifications.md). One map, so a
 * caller cannot enqueue an event with a payload of its own making.
 */
export interface TEventData {
  'server.not_reporting': { server: TServerRef; lastContactAt: string | null };
  'server.reporting_again': { server: TServerRef; lastContactAt: string | null };
  'registration.created': { server: TServerRef };
  'registration.removed': { server: TServerRef; reason: TRemovalReason };
  /** One per server and product key per upload; `day`, `installed`, `peakInUse` are those of the highest peak. */
  'usage.overdraft': {
    server: TServerRef;
    productCode: string;
    edition: string;
    licenseModel: string;
    installed: number;
    peakInUse: number;
    day: string;
    /** Every day of the upload newly in overdraft for this key, oldest first (YYYY-MM-DD). */
    days: string[];
  };
  'usage.deleted': { server: TServerRef; deletedRecords: number };
  'server.removal_scheduled': {
    server: TServerRef;
    lastContactAt: string | null;
    removalAt: string;
    staleRemovalDays: number;
  };
  /** A registration by key waits for an admin's approval. */
  'registration.pending_approval': {
    server: TServerRef;
    requestedFrom: string;
    registrationKey: { id: string; description: string };
  };
  /** A credential used from a second machine while the first is alive; `requestedFrom`: the refused machine's address. */
  'server.duplicate_detected': { server: TServerRef; requestedFrom: string };
  test: { message: string };
  /** A date of a held product key is `threshold` days or fewer ahead (docs/notifications.md, Entitlements). */
  'licenses.expiring': TLicenseKeyOf & {
    field: TLicenseDateField;
    date: string;
    daysLeft: number;
    threshold: number;
    installed: number;
  };
  /** A date of a held product key is today or past. */
  'licenses.expired': TLicenseKeyOf & { field: TLicenseDateField; date: string; daysLeft: number; installed: number };
  /** The latest record has more in use than installed; once per transition. */
  'licenses.insufficient': TLicenseKeyOf & TLicenseCounts;
  /** After licenses.insufficient, the latest record is within what is installed again. */
  'licenses.sufficient': TLicenseKeyOf & TLicenseCounts;
  /** An audit record exactly as `GET /audit-events` shows it; opt-in, never muted. */
  'audit.event': { audit: TAuditEvent };
}

/** Which date of a product key an expiry event is about. */
export type TLicenseDateField = 'expiresAt' | 'maintenanceEndsAt';
/** The server and product key the licenses.* events are about. */
export interface TLicenseKeyOf {
  server: TServerRef;
  productCode: string;
  edition: string;
  licenseModel: string;
}
/** The latest record's counts (and its period) in licenses.insufficient and licenses.sufficient. */
interface TLicenseCounts {
  installed: number;
  inUse: number;
  periodStart: string;
}

/** One event: its type and the payload that type carries. */
export type TEvent = { [K in keyof TEventData]: { type: K; data: TEventData[K] } }[keyof TEventData];

// Every notification event type has a payload here, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyTypeHasPayload: Exact<keyof TEventData, TNotificationEventType> = true;
void _everyTypeHasPayload;

/**
 * Mails to one person's address rather than to a customer's channels (an invitation, a
 * password reset). The outbox keeps and retries them as it does events, written in the
 * transaction that makes the link; no channel's log shows them. The link's token is kept
 * sealed (AES-GCM under a key of the app's secrets), never in clear; `null` for a reset mail
 * that holds no link (the person must sign in with single sign-on).
 */
export interface TSystemMailData {
  'mail.invitation': { to: string; existingPerson: boolean; expiresAt: string; sealedToken: string };
  'mail.password_reset': { to: string; expiresAt: string; sealedToken: string | null };
}

/** One system mail: its type and what it carries. */
export type TSystemMail = {
  [K in keyof TSystemMailData]: { type: K; data: TSystemMailData[K] };
}[keyof TSystemMailData];
