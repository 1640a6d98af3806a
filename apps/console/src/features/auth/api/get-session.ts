import { ZSessionResponse, type TSessionResponse } from '@reg/contracts/console-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export async function getSession(): Promise<TSessionResponse> {
  const session = await api.get('/api/console/session', ZSessionResponse);
  setCsrfToken(session.csrfToken);
  return session;
}

export const sessionQueryKey = queryRoots.session;

export const sessionQueryOptions = () =>
  queryOptions({ queryKey: sessionQueryKey, queryFn: getSession, staleTime: 60_000, retry: false });

export const useSession = () => useQuery(sessionQueryOptions());
