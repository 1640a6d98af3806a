import type { TServerRef } from '@reg/contracts/events';

/**
 * The server an event is about (docs/notifications.md), and nothing more of the row it is read
 * from: every event names its server the same way, whichever module writes it.
 */
export const serverRef = (row: TServerRef): TServerRef => ({
  licenseServerId: row.licenseServerId,
  registrationId: row.registrationId,
  serverName: row.serverName,
  hostname: row.hostname,
});

/** The same, from a registration row (whose id is the registration's). */
export const serverOf = (registration: { id: string; licenseServerId: string; serverName: string; hostname: string }) =>
  serverRef({ ...registration, registrationId: registration.id });
