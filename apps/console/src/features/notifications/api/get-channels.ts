import { ZNotificationChannelList, type TNotificationChannelList } from '@reg/contracts/notifications-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getNotificationChannels(signal?: AbortSignal): Promise<TNotificationChannelList> {
  return api.get('/api/console/notification-channels', ZNotificationChannelList, { signal });
}

const notificationChannelsQueryOptions = () =>
  queryOptions({
    queryKey: [...queryRoots.notificationChannels, 'list'],
    queryFn: ({ signal }) => getNotificationChannels(signal),
    // While a delivery is pending, its outcome shows up on its own.
    refetchInterval: (query) =>
      query.state.data?.items.some((channel) => channel.lastDelivery?.status === 'pending') ? 2000 : false,
  });

export const useNotificationChannels = () => useQuery(notificationChannelsQueryOptions());
