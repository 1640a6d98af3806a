import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { TNotificationChannel } from '@reg/contracts/notifications-api';
import { useDeleteNotificationChannel } from '../api/delete-channel.ts';

interface DeleteChannelDialogProps {
  channel: TNotificationChannel | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteChannelDialog({ channel, onClose, onDeleted }: DeleteChannelDialogProps) {
  const remove = useDeleteNotificationChannel();
  const destination = channel?.url ?? channel?.address ?? '';

  const onOpenChange = (next: boolean) => {
    if (next || remove.isPending) return;
    remove.reset();
    onClose();
  };

  const onDelete = () => {
    if (!channel) return;
    remove.mutate(channel.id, {
      onSuccess: () => {
        remove.reset();
        onDeleted(`Notifications no longer go to ${destination}.`);
      },
    });
  };

  return (
    <AlertDialog.Root open={channel !== null} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title wrap">Stop notifying {destination}?</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">
            Nothing more is sent to it, and notifications still waiting to be sent are dropped.
          </AlertDialog.Description>
          {remove.isError && (
            <p className="notice notice-error" role="alert">
              Could not delete the channel: {remove.error.message}
            </p>
          )}
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button" disabled={remove.isPending}>
              Cancel
            </AlertDialog.Cancel>
            <button
              type="button"
              className="button button-danger"
              onClick={onDelete}
              disabled={remove.isPending}
              aria-busy={remove.isPending || undefined}
            >
              {remove.isPending ? 'Deleting…' : 'Delete channel'}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
