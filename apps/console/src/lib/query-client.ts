import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.ts';

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    // Every mutation declares the queries it changes (meta.invalidates); after it succeeds and
    // its hook's onSuccess has run (a row dropped at once), they are refetched, and the
    // caller's own callbacks (a dialog closing) wait for that.
    mutationCache: new MutationCache({
      onSettled: (_data, error, _variables, _context, mutation) =>
        error
          ? undefined
          : Promise.all(
              (mutation.meta?.invalidates ?? []).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
            ),
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // A 4xx will answer the same again; retry only network trouble and 5xx.
        retry: (failureCount, error) =>
          failureCount < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
