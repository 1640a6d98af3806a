import type { TNotificationChannelList } from '@reg/contracts/notifications-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

async function deleteNotificationChannel(id: string): Promise<void> {
  await api.delete(`/api/console/notification-channels/${encodeURIComponent(id)}`, null);
}

export function useDeleteNotificationChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteNotificationChannel,
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
    // Drop the row at once; the refetch (meta) confirms it.
    onSuccess: (_, id) => {
      queryClient.setQueriesData<TNotificationChannelList>(
        { queryKey: [...queryRoots.notificationChannels, 'list'] },
        (data) => data && { ...data, items: data.items.filter((item) => item.id !== id) },
      );
    },
  });
}
