import { ZDeleteUsageResponse, type TDeleteUsageResponse } from '@reg/contracts/usage-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export function deleteUsage(id: string): Promise<TDeleteUsageResponse> {
  return api.delete(`/api/console/license-servers/${encodeURIComponent(id)}/usage`, ZDeleteUsageResponse, {
    body: { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
  });
}

export function useDeleteUsage() {
  return useMutation({
    mutationFn: deleteUsage,
    meta: { invalidates: [queryRoots.licenseServers, queryRoots.audit] },
  });
}
