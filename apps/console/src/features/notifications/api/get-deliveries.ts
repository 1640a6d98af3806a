import { ZNotificationDeliveryList, type TNotificationDeliveryList } from '@reg/contracts/notifications-api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getDeliveries(channelId: string, signal?: AbortSignal): Promise<TNotificationDeliveryList> {
  return api.get(
    `/api/console/notification-channels/${encodeURIComponent(channelId)}/deliveries`,
    ZNotificationDeliveryList,
    { signal, query: { limit: '50' } },
  );
}

/** The recent log, refreshed every few seconds while something is still pending. */
export function useDeliveries(channelId: string | null) {
  return useQuery({
    queryKey: [...queryRoots.notificationChannels, 'deliveries', channelId],
    queryFn: ({ signal }) => getDeliveries(channelId!, signal),
    enabled: channelId !== null,
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'pending') ? 2000 : false),
  });
}
