import type { TApiClient } from '@reg/contracts/api-clients-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useDeleteApiClient } from '../api/delete-api-client.ts';

interface DeleteClientDialogProps {
  client: TApiClient | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteClientDialog({ client, onClose, onDeleted }: DeleteClientDialogProps) {
  const remove = useDeleteApiClient();
  return (
    <ConfirmDialog
      open={client !== null}
      title={`Delete ${client?.name ?? ''}?`}
      description="Scripts using this client stop working at once: its tokens are revoked and its secret can no longer get new ones. What it did stays in the audit log."
      confirmLabel="Delete client"
      pendingLabel="Deleting…"
      pending={remove.isPending}
      error={remove.isError ? `Could not delete the client: ${remove.error.message}` : null}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!client) return;
        remove.mutate(client.id, {
          onSuccess: () => {
            remove.reset();
            onDeleted(`API client ${client.name} is deleted. Its tokens no longer work.`);
          },
        });
      }}
    />
  );
}
