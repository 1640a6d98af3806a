import {
  ZCreatedNotificationChannel,
  type TCreateNotificationChannelRequest,
  type TCreatedNotificationChannel,
} from '@reg/contracts/notifications-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** For a webhook the answer holds its signing secret: the only time it is ever sent. */
function createNotificationChannel(request: TCreateNotificationChannelRequest): Promise<TCreatedNotificationChannel> {
  return api.post('/api/console/notification-channels', ZCreatedNotificationChannel, { body: request });
}

export function useCreateNotificationChannel() {
  return useMutation({
    mutationFn: createNotificationChannel,
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
  });
}
