import type { TNotificationChannel } from '@reg/contracts/notifications-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { useDeleteNotificationChannel } from '../api/delete-channel.ts';
import { destinationOf } from './event-words.ts';

interface DeleteChannelDialogProps {
  channel: TNotificationChannel | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteChannelDialog({ channel, onClose, onDeleted }: DeleteChannelDialogProps) {
  const remove = useDeleteNotificationChannel();
  return (
    <MutationConfirmDialog
      target={channel}
      mutation={remove}
      variables={(channel) => channel.id}
      title={(channel) => `Stop notifying ${destinationOf(channel)}?`}
      description="Nothing more is sent to it, and notifications still waiting to be sent are dropped."
      confirmLabel="Delete channel"
      pendingLabel="Deleting…"
      failure="Could not delete the channel"
      onClose={onClose}
      onDone={(channel) => onDeleted(`Notifications no longer go to ${destinationOf(channel)}.`)}
    />
  );
}
