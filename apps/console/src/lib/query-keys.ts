/**
 * The roots of the query keys. Features invalidate each other's data after a change
 * (a new registration changes the license servers and the audit log) without importing
 * each other, so the roots live here.
 */
export const queryRoots = {
  session: ['session'],
  registrations: ['registrations'],
  licenseServers: ['license-servers'],
  audit: ['audit-events'],
  apiClients: ['api-clients'],
  notificationChannels: ['notification-channels'],
  admins: ['admins'],
  settings: ['settings'],
} as const;
