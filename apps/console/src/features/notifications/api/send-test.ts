import { ZTestAccepted } from '@reg/contracts/notifications-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Queues a `test` event for one channel; the delivery loop sends it within a second or so. */
function sendTestNotification(id: string) {
  return api.post(`/api/console/notification-channels/${encodeURIComponent(id)}/test`, ZTestAccepted);
}

export function useSendTestNotification() {
  // The channel's last delivery shows the test once it is sent.
  return useMutation({
    mutationFn: sendTestNotification,
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
  });
}
