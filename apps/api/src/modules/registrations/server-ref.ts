import type { TServerRef } from '@reg/contracts/events';

/** The server a notification is about (docs/notifications.md). */
export const serverOf = (r: {
  id: string;
  licenseServerId: string;
  serverName: string;
  hostname: string;
}): TServerRef => ({
  licenseServerId: r.licenseServerId,
  registrationId: r.id,
  serverName: r.serverName,
  hostname: r.hostname,
});
