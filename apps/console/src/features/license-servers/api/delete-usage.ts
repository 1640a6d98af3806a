import { ZDeleteUsageResponse, type TDeleteUsageResponse } from '@reg/contracts/usage-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export function deleteUsage(id: string): Promise<TDeleteUsageResponse> {
  return api.delete(`/api/console/license-servers/${encodeURIComponent(id)}/usage`, ZDeleteUsageResponse, {
    body: { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
  });
}

export function useDeleteUsage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteUsage,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryRoots.licenseServers }),
        queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
      ]),
  });
}
