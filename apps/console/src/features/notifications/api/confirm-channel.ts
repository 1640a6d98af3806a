import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The token of the link mailed to a new email channel confirms it (single use). */
async function confirmNotificationChannel({ id, token }: { id: string; token: string }): Promise<void> {
  await api.post(`/api/console/notification-channels/${encodeURIComponent(id)}/confirm`, null, { body: { token } });
}

export function useConfirmNotificationChannel() {
  return useMutation({
    mutationFn: confirmNotificationChannel,
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
  });
}

/** Mails a new link to an unconfirmed email channel; the previous one stops working. */
async function resendConfirmation(id: string): Promise<void> {
  await api.post(`/api/console/notification-channels/${encodeURIComponent(id)}/resend-confirmation`, null);
}

export function useResendConfirmation() {
  // A new link changes nothing a list shows, and is not audited.
  return useMutation({ mutationFn: resendConfirmation, meta: { invalidates: [] } });
}
