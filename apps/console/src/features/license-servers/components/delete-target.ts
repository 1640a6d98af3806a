import type { TLicenseServer } from '@reg/contracts/usage-api';

/** What the Delete data dialog needs to know of a server. */
export interface DeleteTarget {
  id: string;
  serverName: string;
  /** Whether the server is registered now: what happens to its data afterwards differs. */
  registered: boolean;
}

export const deleteTargetOf = (server: TLicenseServer): DeleteTarget => ({
  id: server.id,
  serverName: server.serverName,
  registered: server.registration !== null,
});

/** The second acknowledgement says what is true of this server (the API asks for both either way). */
export const afterwardsText = (registered: boolean) =>
  registered
    ? 'I understand that usage data continues to be collected while the server stays registered'
    : 'I understand that this server is no longer registered: no more usage data arrives from it unless it registers again';
