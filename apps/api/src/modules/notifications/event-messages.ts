import type { TEvent, TServerRef } from '@reg/contracts/events';
import { CONSOLE_PATHS, licenseServerPath } from '@reg/contracts/console-paths';

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

const SUBJECTS: { [K in TEvent['type']]: (name: string) => string } = {
  'server.not_reporting': (name) => `${name} stopped reporting`,
  'server.reporting_again': (name) => `${name} is reporting again`,
  'registration.created': (name) => `${name} was registered`,
  'registration.removed': (name) => `${name} was removed`,
  'usage.overdraft': (name) => `${name} is in overdraft`,
  'usage.deleted': (name) => `Usage data of ${name} was deleted`,
  'server.removal_scheduled': (name) => `${name} will be removed unless it reports`,
  'server.duplicate_detected': (name) => `A copy of ${name} was refused`,
  test: () => 'Test notification',
};

/** The event's facts besides the server, as `key: value` lines. */
function factsOf(event: TEvent): [string, string | number | null][] {
  switch (event.type) {
    case 'server.not_reporting':
    case 'server.reporting_again':
      return [['lastContactAt', event.data.lastContactAt]];
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
    case 'server.duplicate_detected':
      return [['requestedFrom', event.data.requestedFrom]];
    case 'test':
      return [];
  }
}

const serverOf = (event: TEvent): TServerRef | undefined => ('server' in event.data ? event.data.server : undefined);

/** Plain text naming the event and the server, with a link to the page concerned. */
export function emailOf(event: EventMessage, publicUrl: string): { subject: string; text: string } {
  const server = serverOf(event);
  const subject = `[License Registration] ${oneLine(SUBJECTS[event.type](server?.serverName ?? ''))}`;
  const lines = [
    `Event: ${event.type}`,
    `Customer: ${quoted(event.customerName)}`,
    `At: ${event.createdAt.toISOString()}`,
  ];
  if (server) lines.push(`Server: ${quoted(server.serverName)} (${quoted(server.hostname)})`);
  for (const [key, value] of factsOf(event)) if (value !== null) lines.push(`${key}: ${quoted(value)}`);
  lines.push('', `Open: ${publicUrl}${pageOf(event.type, server)}`);
  if (event.type === 'test') lines.push('', 'This is a test sent from the Notifications page.');
  return { subject, text: lines.join('\n') + '\n' };
}

function pageOf(type: TEvent['type'], server: TServerRef | undefined): string {
  if (type === 'test') return CONSOLE_PATHS.notifications;
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
