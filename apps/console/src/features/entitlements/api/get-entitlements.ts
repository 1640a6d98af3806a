import { ZEntitlements, type TEntitlements } from '@reg/contracts/entitlements-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getEntitlements(signal?: AbortSignal): Promise<TEntitlements> {
  return api.get('/api/console/entitlements', ZEntitlements, { signal });
}

/** Under the license servers' root: what changes their usage (uploads, Delete data) changes this. */
export const useEntitlements = () =>
  useQuery(
    queryOptions({
      queryKey: [...queryRoots.licenseServers, 'entitlements'],
      queryFn: ({ signal }) => getEntitlements(signal),
    }),
  );
