import type { TSessionResponse } from '@reg/contracts/console-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/**
 * 204 (undefined) is the probe's "signed out". The schema loads only when a session comes
 * back, so the sign-in page of a signed-out visit never downloads zod.
 */
const probeAnswer = async () => (await import('@reg/contracts/console-api')).ZSessionResponse.optional();

/**
 * Asks with `?probe=1`, so being signed out is a 204 rather than a 401 the browser would log
 * as a failed request on the sign-in page; it then becomes the usual `unauthenticated` error.
 */
async function getSession(): Promise<TSessionResponse> {
  const session = await api.get('/api/console/session', probeAnswer, {
    query: { probe: 1 },
  });
  if (!session) {
    setCsrfToken(null);
    throw new ApiError({ status: 401, error: 'unauthenticated', message: 'Sign in to continue.' });
  }
  setCsrfToken(session.csrfToken);
  return session;
}

export const sessionQueryKey = queryRoots.session;

const sessionQueryOptions = () =>
  queryOptions({ queryKey: sessionQueryKey, queryFn: getSession, staleTime: 60_000, retry: false });

export const useSession = () => useQuery(sessionQueryOptions());
