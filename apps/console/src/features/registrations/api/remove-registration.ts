import type { TRegistrationList } from '@reg/contracts/console-api';
import { useMutation, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

async function removeRegistration(id: string): Promise<void> {
  await api.delete(`/api/console/registrations/${encodeURIComponent(id)}`, null);
}

/** What a removal changes: refetched after it (lib/query-client.ts) to confirm the rows dropped at once. */
export const removalMeta = {
  invalidates: [queryRoots.registrations, queryRoots.licenseServers, queryRoots.audit],
};

/** After a removal: drop the rows at once. */
export function dropRemoved(queryClient: QueryClient, ids: readonly string[]) {
  const gone = new Set(ids);
  queryClient.setQueriesData<InfiniteData<TRegistrationList>>(
    { queryKey: [...queryRoots.registrations, 'list'] },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => !gone.has(item.id)) })),
      },
  );
}

export function useRemoveRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeRegistration,
    meta: removalMeta,
    onSuccess: (_, id) => dropRemoved(queryClient, [id]),
  });
}
