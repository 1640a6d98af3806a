import { ZOwnSessionList } from '@reg/contracts/identity-api';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const ownSessionsQueryOptions = () =>
  queryOptions({
    queryKey: queryRoots.ownSessions,
    queryFn: ({ signal }) => api.get('/api/console/sessions', ZOwnSessionList, { signal }),
  });

export const useOwnSessions = () => useQuery(ownSessionsQueryOptions());

const meta = { invalidates: [queryRoots.ownSessions, queryRoots.audit] };

export function useEndSession() {
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/console/sessions/${encodeURIComponent(id)}`, null),
    meta,
  });
}

export function useEndOtherSessions() {
  return useMutation({ mutationFn: () => api.delete('/api/console/sessions', null), meta });
}
