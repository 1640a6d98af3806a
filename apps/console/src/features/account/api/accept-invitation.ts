import type { TAcceptInvitationRequest } from '@reg/contracts/admins-api';
import { ZSessionResponse } from '@reg/contracts/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Accepting signs in: the answer is the session body, as at sign-in. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TAcceptInvitationRequest) =>
      api.post('/api/console/invitations/accept', ZSessionResponse, { body }),
    meta: { invalidates: [] },
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.removeQueries();
      queryClient.setQueryData(queryRoots.session, session);
    },
  });
}
