import type { TSessionResponse, TSignInRequest } from '@reg/contracts/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

export async function signIn(body: TSignInRequest): Promise<TSessionResponse> {
  // Loaded, not imported: the sign-in page paints without zod (lib/api-client.ts).
  const session = await api.post(
    '/api/console/session',
    async () => (await import('@reg/contracts/console-api')).ZSessionResponse,
    { body },
  );
  setCsrfToken(session.csrfToken);
  return session;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    // Nothing to refetch: every query is dropped below and the new session's are fetched afresh.
    meta: { invalidates: [] },
    onSuccess: (session) => {
      // Nothing cached from another admin's session may show in this one.
      queryClient.removeQueries();
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
