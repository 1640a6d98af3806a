import { ZUsageOverview, type TUsageOverview, type TUsageQuery } from '@reg/contracts/usage-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export function getUsageOverview(range: TUsageQuery, signal?: AbortSignal): Promise<TUsageOverview> {
  return api.get('/api/console/usage/overview', ZUsageOverview, {
    query: { from: range.from, to: range.to, granularity: range.granularity },
    signal,
  });
}

export const useUsageOverview = (range: TUsageQuery) =>
  useQuery(
    queryOptions({
      queryKey: [...queryRoots.licenseServers, 'overview', range],
      queryFn: ({ signal }) => getUsageOverview(range, signal),
    }),
  );
