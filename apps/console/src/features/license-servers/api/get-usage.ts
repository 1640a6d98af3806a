import { ZUsageSeries, type TUsageQuery, type TUsageSeries } from '@reg/contracts/usage-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getUsage(id: string, range: TUsageQuery, signal?: AbortSignal): Promise<TUsageSeries> {
  return api.get(`/api/console/license-servers/${encodeURIComponent(id)}/usage`, ZUsageSeries, {
    query: { from: range.from, to: range.to, granularity: range.granularity },
    signal,
  });
}

const usageQueryOptions = (id: string, range: TUsageQuery) =>
  queryOptions({
    queryKey: [...queryRoots.licenseServers, 'usage', id, range],
    queryFn: ({ signal }) => getUsage(id, range, signal),
  });

export const useUsage = (id: string, range: TUsageQuery) => useQuery(usageQueryOptions(id, range));
