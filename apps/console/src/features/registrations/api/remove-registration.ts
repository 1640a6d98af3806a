import type { TRegistrationList } from '@reg/contracts/console-api';
import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export async function removeRegistration(id: string): Promise<void> {
  await api.delete(`/api/console/registrations/${encodeURIComponent(id)}`, null);
}

/** After a removal: drop the rows at once, then refetch what a removal changes to confirm it. */
export function afterRemoval(queryClient: QueryClient, ids: readonly string[]) {
  const gone = new Set(ids);
  queryClient.setQueriesData<InfiniteData<TRegistrationList>>(
    { queryKey: [...queryRoots.registrations, 'list'] },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => !gone.has(item.id)) })),
      },
  );
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryRoots.registrations }),
    queryClient.invalidateQueries({ queryKey: queryRoots.licenseServers }),
    queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
  ]);
}

export function useRemoveRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeRegistration,
    onSuccess: (_, id) => afterRemoval(queryClient, [id]),
  });
}
