import type { TApiClientList } from '@reg/contracts/api-clients-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Its tokens stop working at once (the server deletes them with the client). */
async function deleteApiClient(id: string): Promise<void> {
  await api.delete(`/api/console/api-clients/${encodeURIComponent(id)}`, null);
}

export function useDeleteApiClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteApiClient,
    meta: { invalidates: [queryRoots.apiClients, queryRoots.audit] },
    // Drop the row at once; the refetch (meta) confirms it.
    onSuccess: (_, id) => {
      queryClient.setQueriesData<TApiClientList>(
        { queryKey: queryRoots.apiClients },
        (data) => data && { ...data, items: data.items.filter((item) => item.id !== id) },
      );
    },
  });
}
