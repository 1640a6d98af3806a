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
  ssoSettings: ['sso-settings'],
  ownSessions: ['own-sessions'],
  registrationKeys: ['registration-keys'],
  ownMfa: ['own-mfa'],
} as const;

type QueryRoot = (typeof queryRoots)[keyof typeof queryRoots];

declare module '@tanstack/react-query' {
  interface Register {
    /**
     * What a mutation changes, declared where it is defined: the query client refetches these
     * roots after it succeeds (lib/query-client.ts). A change the API audits lists
     * queryRoots.audit, so the audit log shows it without a reload.
     */
    mutationMeta: { invalidates: readonly QueryRoot[] };
  }
}
