import { CONSOLE_PATHS, licenseServerPath } from '@reg/contracts/console-paths';
import type { ClaimedDelivery } from './notifications.repository.ts';

/** The server an event is about, as webhook bodies carry it (docs/notifications.md). */
export interface ServerRef {
  licenseServerId: string;
  registrationId: string | null;
  serverName: string;
  hostname: string;
}

/** The webhook body: type, the event's time, and the customer with the event's facts. */
export function webhookBody(delivery: ClaimedDelivery): string {
  return JSON.stringify({
    type: delivery.type,
    timestamp: delivery.createdAt.toISOString(),
    data: { customer: { id: delivery.customerId, name: delivery.customerName }, ...delivery.data },
  });
}

const SUBJECTS: Record<string, (name: string) => string> = {
  'server.not_reporting': (name) => `${name} stopped reporting`,
  'server.reporting_again': (name) => `${name} is reporting again`,
  'registration.created': (name) => `${name} was registered`,
  'registration.removed': (name) => `${name} was removed`,
  'usage.overdraft': (name) => `${name} is in overdraft`,
  'usage.deleted': (name) => `Usage data of ${name} was deleted`,
  'server.removal_scheduled': (name) => `${name} will be removed unless it reports`,
  test: () => 'Test notification',
};

/** Plain text naming the event and the server, with a link to the page concerned. */
export function emailOf(delivery: ClaimedDelivery, publicUrl: string): { subject: string; text: string } {
  const data = delivery.data as { server?: ServerRef } & Record<string, unknown>;
  const server = data.server;
  const subject = `[License Registration] ${(SUBJECTS[delivery.type] ?? (() => delivery.type))(server?.serverName ?? '')}`;
  const lines = [
    `Event: ${delivery.type}`,
    `Customer: ${delivery.customerName}`,
    `At: ${delivery.createdAt.toISOString()}`,
  ];
  if (server) lines.push(`Server: ${server.serverName} (${server.hostname})`);
  for (const key of [
    'reason',
    'lastContactAt',
    'productCode',
    'edition',
    'licenseModel',
    'installed',
    'peakInUse',
    'day',
    'deletedRecords',
    'removalAt',
    'staleRemovalDays',
  ]) {
    if (data[key] !== undefined && data[key] !== null) lines.push(`${key}: ${String(data[key])}`);
  }
  lines.push('', `Open: ${publicUrl}${pageOf(delivery.type, server)}`);
  if (delivery.type === 'test') lines.push('', 'This is a test sent from the Notifications page.');
  return { subject, text: lines.join('\n') + '\n' };
}

function pageOf(type: string, server: ServerRef | undefined): string {
  if (type === 'test') return CONSOLE_PATHS.notifications;
  if (type.startsWith('registration.') || type === 'server.removal_scheduled' || !server)
    return CONSOLE_PATHS.productRegistrations;
  return licenseServerPath(server.licenseServerId);
}
