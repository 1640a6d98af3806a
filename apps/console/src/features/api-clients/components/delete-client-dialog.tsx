import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { TApiClient } from '@reg/contracts/api-clients-api';
import { useDeleteApiClient } from '../api/delete-api-client.ts';

interface DeleteClientDialogProps {
  client: TApiClient | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteClientDialog({ client, onClose, onDeleted }: DeleteClientDialogProps) {
  const remove = useDeleteApiClient();

  const onOpenChange = (next: boolean) => {
    if (next || remove.isPending) return;
    remove.reset();
    onClose();
  };

  const onDelete = () => {
    if (!client) return;
    remove.mutate(client.id, {
      onSuccess: () => {
        remove.reset();
        onDeleted(`API client ${client.name} is deleted. Its tokens no longer work.`);
      },
    });
  };

  return (
    <AlertDialog.Root open={client !== null} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title wrap">Delete {client?.name}?</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">
            Scripts using this client stop working at once: its tokens are revoked and its secret can no longer get new
            ones. What it did stays in the audit log.
          </AlertDialog.Description>
          {remove.isError && (
            <p className="notice notice-error" role="alert">
              Could not delete the client: {remove.error.message}
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
              {remove.isPending ? 'Deleting…' : 'Delete client'}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
