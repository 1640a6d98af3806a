import type { TEvent, TEventData, TServerRef } from '@reg/contracts/events';
import { CONSOLE_PATHS, licenseServerPath } from '@reg/contracts/console-paths';
import { auditActionLabel, auditSummary, labelledFacts, type Fact } from './event-facts.ts';

/** An event as it is sent: the typed event, when it happened and the customer it is for. */
export type EventMessage = TEvent & { createdAt: Date; customerId: string; customerName: string };

/** The webhook body: type, the event's time, and the customer with the event's facts. */
export function webhookBody(event: EventMessage): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: { customer: { id: event.customerId, name: event.customerName }, ...event.data },
  });
}

// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
const CONTROLS = /[\p{Cc}\u2028\u2029]/gu;
const escapeCode = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A value of ours in a mail line: quoted and with every control character escaped, so a name
 * can neither start a line of its own nor pass for one of our `Key: value` lines.
 */
function quoted(value: string | number): string {
  return JSON.stringify(String(value)).replace(CONTROLS, escapeCode);
}

/** A value in the subject: one line (nodemailer encodes the header; this keeps it readable too). */
const oneLine = (value: string) => value.replace(CONTROLS, ' ').slice(0, 200);

const SUBJECTS: {
  [K in Exclude<TEvent['type'], LicenseEvent['type']>]: (name: string, data: TEventData[K]) => string;
} = {
  'server.not_reporting': (name) => `${name} stopped reporting`,
  'server.reporting_again': (name) => `${name} is reporting again`,
  'registration.created': (name) => `${name} was registered`,
  'registration.removed': (name) => `${name} was removed`,
  'usage.overdraft': (name) => `${name} is in overdraft`,
  'usage.deleted': (name) => `Usage data of ${name} was deleted`,
  'server.removal_scheduled': (name) => `${name} will be removed unless it reports`,
  'registration.pending_approval': (name) => `${name} waits for approval`,
  'server.duplicate_detected': (name) => `A copy of ${name} was refused`,
  test: () => 'Test notification',
  'audit.event': (_name, { audit }) => auditSummary(audit),
};

/** The event's summary: the mail's subject (after its prefix) and the text of chat messages. */
export function summaryOf(event: TEvent): string {
  if (isLicenseEvent(event)) return oneLine(licenseSummary(event));
  const subject = SUBJECTS[event.type as keyof typeof SUBJECTS] as (name: string, data: TEvent['data']) => string;
  return oneLine(subject(serverOf(event)?.serverName ?? '', event.data));
}

/** The event's facts besides the server, labelled in words (event-facts.ts). */
export const factsOf = (event: TEvent): Fact[] => labelledFacts(rawFactsOf(event));

/** The event's facts besides the server, by field name. */
function rawFactsOf(event: TEvent): Fact[] {
  switch (event.type) {
    case 'server.not_reporting':
    case 'server.reporting_again':
      // Null: registered but never made contact (the sweep's "failed to connect").
      return [['lastContactAt', event.data.lastContactAt ?? 'never']];
    case 'registration.created':
      return [];
    case 'registration.removed':
      return [['reason', event.data.reason]];
    case 'usage.overdraft': {
      const { productCode, edition, licenseModel, installed, peakInUse, day } = event.data;
      return Object.entries({ productCode, edition, licenseModel, installed, peakInUse, day });
    }
    case 'usage.deleted':
      return [['deletedRecords', event.data.deletedRecords]];
    case 'server.removal_scheduled': {
      const { lastContactAt, removalAt, staleRemovalDays } = event.data;
      return Object.entries({ lastContactAt, removalAt, staleRemovalDays });
    }
    case 'registration.pending_approval':
      return [
        ['requestedFrom', event.data.requestedFrom],
        ['registrationKey', event.data.registrationKey.description],
      ];
    case 'server.duplicate_detected':
      return [['requestedFrom', event.data.requestedFrom]];
    case 'test':
      return [];
    case 'licenses.expiring':
    case 'licenses.expired':
    case 'licenses.insufficient':
    case 'licenses.sufficient':
      return licenseFacts(event);
    case 'audit.event': {
      const { action, actor, target } = event.data.audit;
      return [
        ['action', auditActionLabel(action)],
        ['actor', actor.label],
        ['target', target.label],
      ];
    }
  }
}

export const serverOf = (event: TEvent): TServerRef | undefined =>
  'server' in event.data ? event.data.server : undefined;

/** Plain text naming the event and the server, with a link to the page concerned. */
export function emailOf(event: EventMessage, publicUrl: string): { subject: string; text: string } {
  const server = serverOf(event);
  const subject = `[License Registration] ${summaryOf(event)}`;
  const lines = [
    `Event: ${event.type}`,
    `Customer: ${quoted(event.customerName)}`,
    `At: ${event.createdAt.toISOString()}`,
  ];
  if (server) lines.push(`Server: ${quoted(server.serverName)} (${quoted(server.hostname)})`);
  for (const [key, value] of factsOf(event)) if (value !== null) lines.push(`${key}: ${quoted(value)}`);
  lines.push('', `Open: ${publicUrl}${pageOf(event)}`);
  if (event.type === 'test') lines.push('', 'This is a test sent from the Notifications page.');
  return { subject, text: lines.join('\n') + '\n' };
}

/** The console page an event's link opens. */
export function pageOf(event: TEvent): string {
  const { type } = event;
  const server = serverOf(event);
  if (type === 'test') return CONSOLE_PATHS.notifications;
  if (type.startsWith('licenses.')) return CONSOLE_PATHS.entitlements;
  if (type === 'audit.event') return CONSOLE_PATHS.audit;
  if (
    type.startsWith('registration.') ||
    type === 'server.removal_scheduled' ||
    type === 'server.duplicate_detected' ||
    !server
  )
    return CONSOLE_PATHS.productRegistrations;
  return licenseServerPath(server.licenseServerId);
}

/** The confirmation mail of a new email channel: the link works once, until `expiresAt`. */
export function confirmationMail(args: { customerName: string; link: string; expiresAt: Date }) {
  return {
    subject: '[License Registration] Confirm this address for notifications',
    text: [
      `Someone added this address to the notifications of ${quoted(args.customerName)}.`,
      'It gets no notifications until you confirm. To confirm, sign in and open:',
      '',
      args.link,
      '',
      `The link works once, until ${args.expiresAt.toISOString()}. If you did not expect this mail, ignore it.`,
      '',
    ].join('\n'),
  };
}

/** The licenses.* events (entitlements: expiry, maintenance, shortage). */
type LicenseEvent = Extract<TEvent, { type: `licenses.${string}` }>;
const isLicenseEvent = (event: TEvent): event is LicenseEvent => event.type.startsWith('licenses.');

/** A product key as people read it: `XDT PLT (user-device)`. */
const keyText = (d: { productCode: string; edition: string; licenseModel: string }) =>
  `${d.productCode} ${d.edition} (${d.licenseModel})`;

/** The one-line summary of a licenses.* event: the mail's subject (and the chat message's text). */
function licenseSummary(event: LicenseEvent): string {
  const d = event.data;
  const [key, server] = [keyText(d), d.server.serverName];
  switch (event.type) {
    case 'licenses.expiring':
      return event.data.field === 'expiresAt'
        ? `${key} licenses on ${server} expire in ${event.data.daysLeft} days (${event.data.date})`
        : `Customer Success Services for ${key} on ${server} end in ${event.data.daysLeft} days (${event.data.date})`;
    case 'licenses.expired':
      return event.data.field === 'expiresAt'
        ? `${key} licenses on ${server} expired on ${event.data.date}`
        : `Customer Success Services for ${key} on ${server} ended on ${event.data.date}`;
    case 'licenses.insufficient':
      return `${server} is short of ${key} licenses: ${event.data.inUse} in use, ${event.data.installed} installed`;
    case 'licenses.sufficient':
      return `${server} has enough ${key} licenses again: ${event.data.inUse} in use, ${event.data.installed} installed`;
  }
}

/** A licenses.* event's facts besides the server, as `key: value` lines. */
function licenseFacts(event: LicenseEvent): [string, string | number | null][] {
  const { productCode, edition, licenseModel, installed } = event.data;
  const key = { productCode, edition, licenseModel };
  switch (event.type) {
    case 'licenses.expiring': {
      const { field, date, daysLeft, threshold } = event.data;
      return Object.entries({ ...key, field, date, daysLeft, threshold, installed });
    }
    case 'licenses.expired': {
      const { field, date, daysLeft } = event.data;
      return Object.entries({ ...key, field, date, daysLeft, installed });
    }
    case 'licenses.insufficient':
    case 'licenses.sufficient':
      return Object.entries({ ...key, inUse: event.data.inUse, installed, periodStart: event.data.periodStart });
  }
}
