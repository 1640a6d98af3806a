import type { TNotificationEvent } from '@reg/contracts/notifications-api';

/** What each event is called on the page (the API's names stay in the webhook bodies). */
export const EVENT_WORDS: Record<TNotificationEvent, string> = {
  'server.not_reporting': 'Server stops reporting',
  'server.reporting_again': 'Server reports again',
  'registration.created': 'Server registered',
  'registration.removed': 'Registration removed',
  'usage.overdraft': 'Usage in overdraft',
  'usage.deleted': 'Usage data deleted',
  'server.removal_scheduled': 'Silent server to be removed',
  'licenses.expiring': 'Licenses expiring',
  'licenses.expired': 'Licenses expired',
  'licenses.insufficient': 'Licenses insufficient',
  'licenses.sufficient': 'Licenses sufficient again',
  'audit.event': 'Audit events (every entry of the audit log)',
  'registration.pending_approval': 'Registration waiting for approval',
  'server.duplicate_detected': 'Duplicate server detected',
};

export const eventWords = (type: string) =>
  type === 'test' ? 'Test' : (EVENT_WORDS[type as TNotificationEvent] ?? type);

/** Where a channel sends: its URL or its email address. */
export const destinationOf = (channel: { url?: string | undefined; address?: string | undefined }) =>
  channel.url ?? channel.address ?? '';
