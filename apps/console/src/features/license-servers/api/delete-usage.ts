import { ZDeleteUsageResponse, type TDeleteUsageRequest, type TDeleteUsageResponse } from '@reg/contracts/usage-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The acknowledgements are the admin's, as ticked in the dialog; the API refuses the call without both. */
function deleteUsage({ id, ...body }: TDeleteUsageRequest & { id: string }): Promise<TDeleteUsageResponse> {
  return api.delete(`/api/console/license-servers/${encodeURIComponent(id)}/usage`, ZDeleteUsageResponse, { body });
}

export function useDeleteUsage() {
  return useMutation({
    mutationFn: deleteUsage,
    meta: { invalidates: [queryRoots.licenseServers, queryRoots.audit] },
  });
}
