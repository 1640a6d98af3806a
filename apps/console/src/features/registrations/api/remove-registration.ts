import type { TRegistrationList } from '@reg/contracts/console-api';
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export async function removeRegistration(id: string): Promise<void> {
  await api.delete(`/api/console/registrations/${encodeURIComponent(id)}`, null);
}

export function useRemoveRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeRegistration,
    onSuccess: (_, id) => {
      // Drop the row at once; the refetch below confirms it.
      queryClient.setQueriesData<InfiniteData<TRegistrationList>>(
        { queryKey: [...queryRoots.registrations, 'list'] },
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })),
          },
      );
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryRoots.registrations }),
        queryClient.invalidateQueries({ queryKey: queryRoots.licenseServers }),
        queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
      ]);
    },
  });
}
