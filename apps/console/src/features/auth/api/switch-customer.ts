import type { TSessionResponse } from '@reg/contracts/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { sessionQueryKey } from './get-session.ts';

/** The session enters another customer of the person (a new CSRF token). */
export function useSwitchCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (customerId: string) =>
      api.put(
        '/api/console/session/customer',
        // Loaded, not imported, as at sign-in: the shell paints without zod.
        async () => (await import('@reg/contracts/console-api')).ZSessionResponse,
        { body: { customerId } },
      ),
    // Nothing to refetch: every query is dropped below, as at sign-in.
    meta: { invalidates: [] },
    onSuccess: (session: TSessionResponse) => {
      setCsrfToken(session.csrfToken);
      // Nothing cached from the other customer may show in this one.
      queryClient.removeQueries();
      queryClient.setQueryData(sessionQueryKey, session);
    },
  });
}
