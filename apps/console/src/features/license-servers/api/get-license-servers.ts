import { ZLicenseServerList, type TLicenseServerList } from '@reg/contracts/usage-api';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getLicenseServers(
  query: string,
  cursor: string | null,
  limit = 50,
  signal?: AbortSignal,
): Promise<TLicenseServerList> {
  return api.get('/api/console/license-servers', ZLicenseServerList, {
    query: { query: query.trim(), cursor, limit },
    signal,
  });
}

const licenseServersQueryKey = queryRoots.licenseServers;

const licenseServersQueryOptions = (query: string) =>
  infiniteQueryOptions({
    queryKey: [...licenseServersQueryKey, 'list', { query }],
    queryFn: ({ pageParam, signal }) => getLicenseServers(query, pageParam, 50, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    placeholderData: keepPreviousData,
  });

export const useLicenseServers = (query: string) => useInfiniteQuery(licenseServersQueryOptions(query));
