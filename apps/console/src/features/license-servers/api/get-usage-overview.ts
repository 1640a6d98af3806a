import { ZUsageOverview, type TUsageOverview, type TUsageOverviewQuery } from '@reg/contracts/usage-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getUsageOverview(range: TUsageOverviewQuery, signal?: AbortSignal): Promise<TUsageOverview> {
  return api.get('/api/console/usage/overview', ZUsageOverview, {
    query: { from: range.from, to: range.to, granularity: range.granularity, tag: range.tag },
    signal,
  });
}

export const useUsageOverview = (range: TUsageOverviewQuery) =>
  useQuery(
    queryOptions({
      queryKey: [...queryRoots.licenseServers, 'overview', range],
      queryFn: ({ signal }) => getUsageOverview(range, signal),
    }),
  );
