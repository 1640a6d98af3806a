import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';

async function signOut(): Promise<void> {
  await api.delete('/api/console/session', null);
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    // Nothing to refetch: the whole cache is cleared below.
    meta: { invalidates: [] },
    // Signed out or not (an expired session answers 401), forget everything of this session.
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
    },
  });
}
