import type { TChangePasswordRequest } from '@reg/contracts/identity-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The session body changes (a password change lifts passwordChangeRequired); other sessions end. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (body: TChangePasswordRequest) => api.put('/api/console/session/password', null, { body }),
    meta: { invalidates: [queryRoots.session, queryRoots.ownSessions, queryRoots.audit] },
  });
}
