import { ZTestAccepted } from '@reg/contracts/notifications-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Queues a `test` event for one channel; the delivery loop sends it within a second or so. */
function sendTestNotification(id: string) {
  return api.post(`/api/console/notification-channels/${encodeURIComponent(id)}/test`, ZTestAccepted);
}

export function useSendTestNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendTestNotification,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryRoots.notificationChannels }),
  });
}
