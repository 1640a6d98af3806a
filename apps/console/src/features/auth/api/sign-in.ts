import type { TSessionResponse, TSignInRequest } from '@reg/contracts/console-api';
import type { TMfaRequired, TMfaSignInRequest } from '@reg/contracts/identity-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

/** The password step: a session, or (two-step verification on) word that the second step is due. */
async function signIn(body: TSignInRequest): Promise<TSessionResponse | TMfaRequired> {
  // Loaded, not imported: the sign-in page paints without zod (lib/api-client.ts).
  const answer = await api.post(
    '/api/console/session',
    async () => {
      const [{ ZSessionResponse }, { ZMfaRequired }] = await Promise.all([
        import('@reg/contracts/console-api'),
        import('@reg/contracts/identity-api'),
      ]);
      return ZMfaRequired.or(ZSessionResponse);
    },
    { body },
  );
  if (!('mfaRequired' in answer)) setCsrfToken(answer.csrfToken);
  return answer;
}

/** The second step: a code from the authenticator app, or a recovery code. */
async function completeSignIn(body: TMfaSignInRequest): Promise<TSessionResponse> {
  const session = await api.post(
    '/api/console/session/mfa',
    async () => (await import('@reg/contracts/console-api')).ZSessionResponse,
    { body },
  );
  setCsrfToken(session.csrfToken);
  return session;
}

function useEnterSession() {
  const queryClient = useQueryClient();
  return (answer: TSessionResponse | TMfaRequired) => {
    if ('mfaRequired' in answer) return;
    // Nothing cached from another admin's session may show in this one.
    queryClient.removeQueries();
    queryClient.setQueryData(sessionQueryKey, answer);
  };
}

export function useSignIn() {
  const enter = useEnterSession();
  return useMutation({
    mutationFn: signIn,
    // Nothing to refetch: every query is dropped and the new session's are fetched afresh.
    meta: { invalidates: [] },
    onSuccess: enter,
  });
}

export function useCompleteSignIn() {
  const enter = useEnterSession();
  return useMutation({ mutationFn: completeSignIn, meta: { invalidates: [] }, onSuccess: enter });
}
