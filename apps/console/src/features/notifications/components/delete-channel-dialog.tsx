import type { TNotificationChannel } from '@reg/contracts/notifications-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useDeleteNotificationChannel } from '../api/delete-channel.ts';
import { destinationOf } from './event-words.ts';

interface DeleteChannelDialogProps {
  channel: TNotificationChannel | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteChannelDialog({ channel, onClose, onDeleted }: DeleteChannelDialogProps) {
  const remove = useDeleteNotificationChannel();
  const destination = channel ? destinationOf(channel) : '';
  return (
    <ConfirmDialog
      open={channel !== null}
      title={`Stop notifying ${destination}?`}
      description="Nothing more is sent to it, and notifications still waiting to be sent are dropped."
      confirmLabel="Delete channel"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.isError ? `Could not delete the channel: ${remove.error.message}` : null}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!channel) return;
        remove.mutate(channel.id, {
          onSuccess: () => {
            remove.reset();
            onDeleted(`Notifications no longer go to ${destination}.`);
          },
        });
      }}
    />
  );
}
